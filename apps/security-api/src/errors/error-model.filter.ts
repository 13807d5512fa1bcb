import { DirectoryUnavailableError } from '@app/directory';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { Environment } from '../config/environment';
import { noteErrorReason } from '../logging/request-log';
import { ApiError, ErrorData } from './api-error';
import { describeWithCauses } from './describe-with-causes';

export interface ErrorAnswer {
  readonly status: number;
  readonly message: string;
  readonly data: ErrorData;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Every error leaves as the Error model with the request's logId, repeated in X-Log-Id and in the log, so an operator
 * can find the cause from what the client saw. Only ApiError messages reach the client; anything else is described
 * by its status alone and logged with its cause. A client error (4xx) is routine: the request line says it, with its
 * reason, and nothing else is logged for it.
 */
@Catch()
export class ErrorModelFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorModel');

  constructor(private readonly environment: Environment) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // Given when the request arrived (see logging/request-log.ts); a request that bypassed that gets one here.
    const logId = typeof request.id === 'string' ? request.id : randomUUID();
    const answer = this.clientsView(this.answerFor(exception));

    noteErrorReason(response, answer.data.reason);
    this.logCause(logId, request, answer, exception);
    if (response.headersSent) {
      response.end();
      return;
    }
    response
      .status(answer.status)
      .set({ ...answer.headers, 'X-Log-Id': logId })
      .json({ logId, message: answer.message, data: answer.data, type: 'error' });
  }

  /** The answer as this route's clients must see it; a route whose clients understand fewer statuses overrides it. */
  protected clientsView(answer: ErrorAnswer): ErrorAnswer {
    return answer;
  }

  private answerFor(exception: unknown): ErrorAnswer {
    if (exception instanceof ApiError) {
      return {
        status: exception.getStatus(),
        message: exception.message,
        data: exception.data,
        headers: exception.headers,
      };
    }
    if (exception instanceof DirectoryUnavailableError) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        message: 'The directory is unavailable; try again later',
        data: { reason: 'DIRECTORY_UNAVAILABLE' },
        headers: { 'Retry-After': String(this.environment.RETRY_AFTER_SECONDS) },
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const reason = status === HttpStatus.NOT_FOUND ? 'ROUTE_NOT_FOUND' : 'BAD_REQUEST';
      return { status, message: STATUS_CODES[status] ?? 'Error', data: { reason }, headers: {} };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      message: 'An unexpected error occurred',
      data: { reason: 'UNEXPECTED_ERROR' },
      headers: {},
    };
  }

  private logCause(logId: string, request: Request, answer: ErrorAnswer, exception: unknown): void {
    const line = `${logId} ${request.method} ${request.originalUrl} -> ${answer.status} ${answer.data.reason}`;
    if (answer.status === HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.error(`${line}: ${describeWithCauses(exception)}`);
    } else if (answer.status === HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.warn(`${line}: ${describeWithCauses(exception)}`);
    }
  }
}

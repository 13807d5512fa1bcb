import { DirectoryError, DirectoryUnavailableError } from '@app/directory';
import {
  BadRequestException,
  HttpStatus,
  InternalServerErrorException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Environment } from '../config/environment';
import { ApiError, authenticationRequired, invalidIdentifier, notAMember } from './api-error';
import { ErrorModelFilter } from './error-model.filter';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class RecordingResponse {
  statusCode: number | undefined;
  headers: Record<string, string> = {};
  body: unknown;
  ended = false;
  locals: Record<string, unknown> = {};

  constructor(readonly headersSent = false) {}

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  set(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }

  json(body: unknown): this {
    this.body = body;
    return this;
  }

  end(): this {
    this.ended = true;
    return this;
  }

  get bodyText(): string {
    return JSON.stringify(this.body);
  }
}

interface ErrorBody {
  readonly logId: string;
  readonly message: string;
  readonly data: { readonly reason: string; readonly [detail: string]: unknown };
  readonly type: string;
}

describe(ErrorModelFilter.name, () => {
  const environment = Object.assign(new Environment(), { RETRY_AFTER_SECONDS: 17 });
  let sut: ErrorModelFilter;
  let logged: { error: jest.SpyInstance; warn: jest.SpyInstance; log: jest.SpyInstance };

  function answer(exception: unknown, response = new RecordingResponse(), id?: string): RecordingResponse {
    const request = { id, method: 'HEAD', originalUrl: '/api/security/users/tyler/groups/Project%20Mayhem' };
    sut.catch(exception, new ExecutionContextHost([request, response]));
    return response;
  }

  const bodyOf = (response: RecordingResponse): ErrorBody => response.body as ErrorBody;

  beforeEach(() => {
    sut = new ErrorModelFilter(environment);
    logged = {
      error: jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      log: jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
    };
  });

  afterEach(() => jest.restoreAllMocks());

  it('answers an ApiError with its own status, message, data and headers', () => {
    const response = answer(authenticationRequired());

    expect(response.statusCode).toBe(HttpStatus.UNAUTHORIZED);
    expect(response.headers['WWW-Authenticate']).toBe(authenticationRequired().headers['WWW-Authenticate']);
    expect(bodyOf(response)).toEqual({
      logId: expect.any(String),
      message: 'Valid credentials are required',
      data: { reason: 'AUTHENTICATION_REQUIRED' },
      type: 'error',
    });
  });

  it('passes on the details an ApiError carries in its data', () => {
    const response = answer(invalidIdentifier('Group identifier 2 is empty', 'EMPTY'));

    expect(response.statusCode).toBe(HttpStatus.BAD_REQUEST);
    expect(bodyOf(response).message).toBe('Group identifier 2 is empty');
    expect(bodyOf(response).data).toEqual({ reason: 'INVALID_IDENTIFIER', problem: 'EMPTY' });
  });

  it('gives the answer a UUID logId, repeated in the X-Log-Id header', () => {
    const response = answer(new ApiError(HttpStatus.NOT_FOUND, 'User not found', { reason: 'USER_NOT_FOUND' }));

    expect(bodyOf(response).logId).toMatch(UUID);
    expect(response.headers['X-Log-Id']).toBe(bodyOf(response).logId);
  });

  it('gives the answer the logId its request was given when it arrived', () => {
    const logId = '3f1c0a6e-8d2b-4c5e-9f7a-0b1c2d3e4f50';

    const response = answer(authenticationRequired(), new RecordingResponse(), logId);

    expect(bodyOf(response).logId).toBe(logId);
    expect(response.headers['X-Log-Id']).toBe(logId);
  });

  it('gives every answer a fresh logId when its request has none', () => {
    const first = answer(authenticationRequired());
    const second = answer(authenticationRequired());

    expect(bodyOf(first).logId).not.toBe(bodyOf(second).logId);
  });

  it('answers an unavailable directory with 503 and Retry-After from the configuration, hiding its internals', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.7:389');
    const response = answer(new DirectoryUnavailableError('user bind: directory unavailable', { cause }));

    expect(response.statusCode).toBe(HttpStatus.SERVICE_UNAVAILABLE);
    expect(response.headers['Retry-After']).toBe('17');
    expect(bodyOf(response).data).toEqual({ reason: 'DIRECTORY_UNAVAILABLE' });
    expect(response.bodyText).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|user bind/);
  });

  it.each([
    [
      'an unexpected error',
      () => new Error('bind as cn=security-api,ou=services,dc=fightclub,dc=com with service-secret failed'),
    ],
    [
      'a directory error',
      () =>
        new DirectoryError('search: unexpected directory result', {
          cause: new Error('No such object: ou=people,dc=fightclub,dc=com'),
        }),
    ],
    ['a Nest 5xx exception', () => new InternalServerErrorException('password service-secret for dc=fightclub,dc=com')],
    ['a thrown string', () => 'service-secret at dc=fightclub,dc=com'],
  ])('answers %s with a generic 500 that reveals nothing of it', (_, make) => {
    const exception = make();

    const response = answer(exception);

    expect(response.statusCode).toBe(HttpStatus.INTERNAL_SERVER_ERROR);
    expect(bodyOf(response)).toEqual({
      logId: expect.stringMatching(UUID),
      message: 'An unexpected error occurred',
      data: { reason: 'UNEXPECTED_ERROR' },
      type: 'error',
    });
    const everything = response.bodyText + JSON.stringify(response.headers);
    expect(everything).not.toMatch(/fightclub|service-secret|search:|\bat \S+ \(|\.ts:\d+/);
  });

  it('answers a Nest NotFoundException, as for an unknown route, with 404 ROUTE_NOT_FOUND', () => {
    const response = answer(new NotFoundException('Cannot GET /api/security/secret-route'));

    expect(response.statusCode).toBe(HttpStatus.NOT_FOUND);
    expect(bodyOf(response).data).toEqual({ reason: 'ROUTE_NOT_FOUND' });
    expect(response.bodyText).not.toContain('secret-route');
  });

  it('answers another Nest 4xx exception with its status and BAD_REQUEST, not its message', () => {
    const response = answer(new BadRequestException('Unexpected token } in JSON at position 7'));

    expect(response.statusCode).toBe(HttpStatus.BAD_REQUEST);
    expect(bodyOf(response).data).toEqual({ reason: 'BAD_REQUEST' });
    expect(response.bodyText).not.toContain('Unexpected token');
  });

  it('logs nothing for a client error, and leaves its reason for the request line', () => {
    const response = answer(notAMember());

    expect(response.locals).toEqual({ errorReason: 'NOT_A_MEMBER' });
    expect(logged.log).not.toHaveBeenCalled();
    expect(logged.warn).not.toHaveBeenCalled();
    expect(logged.error).not.toHaveBeenCalled();
  });

  it('logs an unavailable directory as a warning with the logId and the cause', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.7:389');
    const response = answer(new DirectoryUnavailableError('user bind: directory unavailable', { cause }));

    expect(logged.warn).toHaveBeenCalledTimes(1);
    expect(logged.warn).toHaveBeenCalledWith(expect.stringContaining(bodyOf(response).logId));
    expect(logged.warn).toHaveBeenCalledWith(expect.stringContaining('connect ECONNREFUSED 10.0.0.7:389'));
  });

  it('logs a 500 as an error with the logId, the message and the message of its cause', () => {
    const cause = new Error('No such object: ou=people,dc=fightclub,dc=com');
    const response = answer(new DirectoryError('search: unexpected directory result', { cause }));

    expect(logged.error).toHaveBeenCalledTimes(1);
    const line = String(logged.error.mock.calls[0][0]);
    expect(line).toContain(bodyOf(response).logId);
    expect(line).toContain('search: unexpected directory result');
    expect(line).toContain('No such object: ou=people,dc=fightclub,dc=com');
    expect(line).toContain('-> 500 UNEXPECTED_ERROR');
  });

  it('only ends a response whose headers were already sent, and still logs the failure', () => {
    const response = answer(new Error('stream broke'), new RecordingResponse(true));

    expect(response.ended).toBe(true);
    expect(response.statusCode).toBeUndefined();
    expect(response.body).toBeUndefined();
    expect(logged.error).toHaveBeenCalledWith(expect.stringContaining('stream broke'));
  });
});

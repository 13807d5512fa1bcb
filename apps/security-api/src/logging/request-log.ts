import { RequestMethod } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import { DestinationStream, LevelWithSilent, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Environment } from '../config/environment';
import { routePatternOf } from '../route-pattern';

/** Where a response's error reason waits for the request line (Express's res.locals is per request). */
const ERROR_REASON = 'errorReason';

/** The Error model's reason, for the request line: the line that logs a client error, which logs nothing else. */
export function noteErrorReason(response: Pick<Response, 'locals'>, reason: string): void {
  response.locals[ERROR_REASON] = reason;
}

/**
 * Never logged, whatever a future line includes: credentials and session cookies. The request line itself holds no
 * headers at all; these paths cover any line that logs a request or a response object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** A path as long as the longest valid check (tens of kilobytes) says no more in a log line than its start. */
const LONGEST_LOGGED_URL = 1024;

/** Probes and scrapes come every few seconds from the orchestrator and the scraper: routine unless they fail. */
const ROUTINE_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * nestjs-pino's settings: JSON lines, one per request (method, route pattern, path, status, duration, and the reason of
 * an error), each line written while handling a request carrying its logId. Every request gets a logId when it
 * arrives, answered in X-Log-Id whatever the outcome, and the Error model repeats it.
 */
export function loggerParams(environment: Environment, destination: DestinationStream): Params {
  const options: Options = {
    level: environment.LOG_LEVEL,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (_request: IncomingMessage, response: ServerResponse) => {
      const logId = randomUUID();
      response.setHeader('X-Log-Id', logId);
      return logId;
    },
    customAttributeKeys: { reqId: 'logId', responseTime: 'durationMs' },
    // Lines written during a request carry its logId only; the request line says the rest once.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (request, response) => levelOf(request as Request, response as Response),
    customSuccessObject: (request, response, { durationMs }) => requestLine(request as Request, response as Response, durationMs),
    customErrorObject: (request, response, _error, { durationMs }) =>
      requestLine(request as Request, response as Response, durationMs),
  };
  return {
    pinoHttp: [options, destination],
    // The legacy "*" default makes Nest 11 warn; this is the same: every path and method.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}

/**
 * The request line is the access log, at info. What went wrong inside (a 503's LDAP cause, a 500's error) has a line
 * of its own at warn or error, with the same logId; so a 5xx's request line stays at info too.
 */
function levelOf(request: Request, response: Response): LevelWithSilent {
  return response.statusCode < 400 && ROUTINE_ROUTES.has(routePatternOf(request)) ? 'debug' : 'info';
}

function requestLine(request: Request, response: Response, durationMs: unknown): Record<string, unknown> {
  const url = request.originalUrl ?? request.url;
  return {
    method: request.method,
    route: routePatternOf(request),
    url: url.length > LONGEST_LOGGED_URL ? `${url.slice(0, LONGEST_LOGGED_URL)}…` : url,
    status: response.statusCode,
    durationMs,
    reason: response.locals?.[ERROR_REASON],
  };
}

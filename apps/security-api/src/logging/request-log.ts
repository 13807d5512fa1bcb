import type { Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import { DestinationStream, Level, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import { Environment } from '../config/environment';
import type { ErrorReason } from '../errors/api-error';

// Where what a request's handlers learn waits for its request line (Express's res.locals is per request).
const ERROR_REASON = 'errorReason';
const CALLER = 'caller';
const QUESTION = 'question';
const ANSWER = 'answer';

/** What a membership question asked, as decoded from the request. */
export interface AskedQuestion {
  readonly user: string;
  readonly groups: readonly string[];
}

/** How a membership question was answered: a member, or the reason the client reads for the refusal. */
export type QuestionAnswer = 'member' | ErrorReason;

/** The Error model's reason, for the request line: the line that logs a client error, which logs nothing else. */
export function noteErrorReason(response: Pick<Response, 'locals'>, reason: string): void {
  response.locals[ERROR_REASON] = reason;
}

/** Who asked: the authenticated caller's username, for the request line. Never the login as typed, nor the password. */
export function noteCaller(response: Pick<Response, 'locals'>, username: string): void {
  response.locals[CALLER] = username;
}

/** What a membership question asked, for the request line: kept as given, serialised only if the line is written. */
export function noteQuestion(response: Pick<Response, 'locals'>, question: AskedQuestion): void {
  response.locals[QUESTION] = question;
}

/** The answer to the question noted, for the request line. */
export function noteAnswer(response: Pick<Response, 'locals'>, answer: QuestionAnswer): void {
  response.locals[ANSWER] = answer;
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
 * nestjs-pino's settings: JSON lines on the destination, through Nest's Logger. Its pino-http middleware is mounted on
 * no route: the request line, the logId and the per-request context come from accountForRequests, which costs far
 * less per request. The pino options are still pino-http's, since nestjs-pino builds its loggers from them.
 */
export function loggerParams(environment: Environment, destination: DestinationStream): Params {
  const options: Options = {
    level: environment.LOG_LEVEL,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return { pinoHttp: [options, destination], forRoutes: [] };
}

/**
 * The request line is the access log, at info. What went wrong inside (a 503's LDAP cause, a 500's error) has a line
 * of its own at warn or error, with the same logId; so a 5xx's request line stays at info too.
 */
export function levelOf(route: string, status: number): Level {
  return status < 400 && ROUTINE_ROUTES.has(route) ? 'debug' : 'info';
}

/**
 * One request, once answered: method, route pattern, path, status, duration and client; who asked, what and the
 * answer, where a handler noted them; and the reason of an error. What was not noted is left out of the line.
 */
export function requestLine(
  request: Request,
  response: Response,
  route: string,
  durationMs: number,
): Record<string, unknown> {
  const url = request.originalUrl ?? request.url;
  const noted = response.locals;
  return {
    method: request.method,
    route,
    url: url.length > LONGEST_LOGGED_URL ? `${url.slice(0, LONGEST_LOGGED_URL)}…` : url,
    status: response.statusCode,
    durationMs: Math.round(durationMs),
    client: request.ip,
    caller: noted?.[CALLER],
    asked: noted?.[QUESTION],
    answer: noted?.[ANSWER],
    reason: noted?.[ERROR_REASON],
    ...(response.writableFinished ? {} : { aborted: true }),
  };
}

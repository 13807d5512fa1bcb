import { HttpException, HttpStatus } from '@nestjs/common';

/** Every data.reason a client can meet; the OpenAPI document lists them from here. */
export const ERROR_REASONS = [
  'AUTHENTICATION_REQUIRED',
  'TOO_MANY_FAILED_LOGINS',
  'NOT_AN_ADMINISTRATOR',
  'INVALID_IDENTIFIER',
  'INVALID_QUERY_PARAMETER',
  'URI_TOO_LONG',
  'USER_NOT_FOUND',
  'GROUP_NOT_FOUND',
  'NOT_A_MEMBER',
  'AMBIGUOUS_IDENTIFIER',
  'DIRECTORY_UNAVAILABLE',
  'ROUTE_NOT_FOUND',
  'BAD_REQUEST',
  'UNEXPECTED_ERROR',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

export interface ErrorData {
  readonly reason: ErrorReason;
  readonly [detail: string]: unknown;
}

/** An answer the client is meant to read: its message and data go out as they are. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    message: string,
    readonly data: ErrorData,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message, status);
  }
}

export const BASIC_REALM = 'Basic realm="security-api", charset="UTF-8"';

export const authenticationRequired = (): ApiError =>
  new ApiError(
    HttpStatus.UNAUTHORIZED,
    'Valid credentials are required',
    { reason: 'AUTHENTICATION_REQUIRED' },
    { 'WWW-Authenticate': BASIC_REALM },
  );

export const tooManyFailedLogins = (retryAfterSeconds: number): ApiError =>
  new ApiError(
    HttpStatus.TOO_MANY_REQUESTS,
    'Too many failed logins; try again later',
    { reason: 'TOO_MANY_FAILED_LOGINS' },
    { 'Retry-After': String(retryAfterSeconds) },
  );

export const notAnAdministrator = (): ApiError =>
  new ApiError(HttpStatus.FORBIDDEN, 'The caller is not an administrator', { reason: 'NOT_AN_ADMINISTRATOR' });

export const invalidIdentifier = (message: string, problem: string): ApiError =>
  new ApiError(HttpStatus.BAD_REQUEST, message, { reason: 'INVALID_IDENTIFIER', problem });

export const invalidQueryParameter = (message: string, parameter: string, problem: string): ApiError =>
  new ApiError(HttpStatus.BAD_REQUEST, message, { reason: 'INVALID_QUERY_PARAMETER', parameter, problem });

export const uriTooLong = (longestPath: number): ApiError =>
  new ApiError(HttpStatus.URI_TOO_LONG, `The path is longer than any valid check (${longestPath} characters)`, {
    reason: 'URI_TOO_LONG',
  });

export const userNotFound = (): ApiError =>
  new ApiError(HttpStatus.NOT_FOUND, 'User not found', { reason: 'USER_NOT_FOUND' });

export const groupNotFound = (): ApiError =>
  new ApiError(HttpStatus.NOT_FOUND, 'Group not found', { reason: 'GROUP_NOT_FOUND' });

export const notAMember = (): ApiError =>
  new ApiError(HttpStatus.NOT_FOUND, 'User not in group', { reason: 'NOT_A_MEMBER' });

export const ambiguousIdentifier = (identifier: string, candidateIds: readonly string[]): ApiError =>
  new ApiError(HttpStatus.CONFLICT, 'The identifier matches several directory entries', {
    reason: 'AMBIGUOUS_IDENTIFIER',
    identifier,
    candidates: candidateIds,
  });

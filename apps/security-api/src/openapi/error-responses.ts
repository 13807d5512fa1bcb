import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath, HeadersObject, SchemaObject } from '@nestjs/swagger';
import { BASIC_REALM, ERROR_REASONS, ErrorReason } from '../errors/api-error';
import { IDENTIFIER_PROBLEMS, MAX_IDENTIFIER_LENGTH } from '../requests/identifier';
import { QUERY_PROBLEMS } from '../requests/query-parameters';

export class ErrorData {
  @ApiProperty({ enum: ERROR_REASONS, enumName: 'ErrorReason', description: 'What failed, for programs to read.' })
  reason: ErrorReason;
}

/** The seed's Error model, as ErrorModelFilter writes it. */
export class ErrorModel {
  @ApiProperty({ format: 'uuid', description: 'Fresh per error; repeated in X-Log-Id and in the service log line.' })
  logId: string;

  @ApiProperty({ example: 'User not in group', description: 'For people; never internals.' })
  message: string;

  @ApiProperty({ type: ErrorData, description: 'Always a reason; some reasons add details.' })
  data: ErrorData;

  @ApiProperty({ enum: ['error'] })
  type: 'error';
}

const LOG_ID_HEADER: HeadersObject = {
  'X-Log-Id': {
    description: 'The logId of the Error model; also sent on HEAD, whose answers have no body.',
    schema: { type: 'string', format: 'uuid' },
  },
};

const RETRY_AFTER_HEADER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer', minimum: 1 } },
};

interface ErrorResponseOptions {
  readonly description: string;
  readonly reasons: readonly ErrorReason[];
  /** Details the reasons add to `data`, besides `reason`. */
  readonly details?: Readonly<Record<string, SchemaObject>>;
  /** Details only some of the reasons add. */
  readonly optionalDetails?: Readonly<Record<string, SchemaObject>>;
  readonly headers?: HeadersObject;
}

/** One error status of an operation: the Error model with its possible reasons, and X-Log-Id. */
export function ApiErrorResponse(status: number, options: ErrorResponseOptions): MethodDecorator & ClassDecorator {
  const details = options.details ?? {};
  const data: SchemaObject = {
    type: 'object',
    required: ['reason', ...Object.keys(details)],
    properties: { reason: { type: 'string', enum: [...options.reasons] }, ...details, ...options.optionalDetails },
  };
  return applyDecorators(
    ApiExtraModels(ErrorModel),
    ApiResponse({
      status,
      description: options.description,
      headers: { ...LOG_ID_HEADER, ...options.headers },
      schema: { allOf: [{ $ref: getSchemaPath(ErrorModel) }, { type: 'object', properties: { data } }] },
    }),
  );
}

/** 503 and 500: what any route that asks the directory can answer, whoever asks. */
export const ApiDirectoryFaults = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiErrorResponse(503, {
      description: 'The directory is unreachable or timed out.',
      reasons: ['DIRECTORY_UNAVAILABLE'],
      headers: RETRY_AFTER_HEADER,
    }),
    ApiErrorResponse(500, {
      description: 'Anything unexpected (a misconfiguration, say); the log has the cause under the logId.',
      reasons: ['UNEXPECTED_ERROR'],
    }),
  );

/** 401: the Basic challenge, from the global guard. */
export const ApiAuthenticationRequired = (): MethodDecorator & ClassDecorator =>
  ApiErrorResponse(401, {
    description: 'No or invalid credentials. A wrong password and an unknown login answer alike.',
    reasons: ['AUTHENTICATION_REQUIRED'],
    headers: {
      'WWW-Authenticate': { description: 'The Basic challenge.', schema: { type: 'string', example: BASIC_REALM } },
    },
  });

/**
 * What SystemAdministratorsGuard, global and deny-by-default, answers before a route runs, and what any route that
 * asks the directory can answer. Every route not marked @Public() carries it.
 */
export const ApiAdministratorsOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiAuthenticationRequired(),
    ApiErrorResponse(403, {
      description: 'The caller is not a member, directly or through child groups, of ADMIN_GROUP.',
      reasons: ['NOT_AN_ADMINISTRATOR'],
    }),
    ApiErrorResponse(429, {
      description:
        'Too many failed logins for this login or from this address; refused without asking the directory, until Retry-After.',
      reasons: ['TOO_MANY_FAILED_LOGINS'],
      headers: RETRY_AFTER_HEADER,
    }),
    ApiDirectoryFaults(),
  );

/**
 * 403 on a route marked @AllowSelf(), replacing ApiAdministratorsOnly's: a caller who is not an administrator may ask
 * about themself.
 */
export const ApiAdministratorsOrSelf = (): MethodDecorator =>
  ApiErrorResponse(403, {
    description:
      'The caller is not a member, directly or through child groups, of ADMIN_GROUP, and the user asked about is not ' +
      'the caller. Self-access: the caller may name themself by username, email, id or @current, resolved by the ' +
      "usual precedence (so a username equal to another user's id names that other user). A question about anyone " +
      'else answers this same 403 whether that user exists, is unknown, ambiguous or malformed.',
    reasons: ['NOT_AN_ADMINISTRATOR'],
  });

interface InvalidInputOptions {
  /** The operation takes a list of groups (the membership check), so a list's own problems apply too. */
  readonly list?: boolean;
  /** The query parameters the operation reads; each can answer 400 INVALID_QUERY_PARAMETER naming it. */
  readonly queryParameters?: readonly string[];
}

const IDENTIFIER_DESCRIPTION = (list: boolean): string =>
  `Malformed input: an empty identifier${list ? ' or list item, too many items' : ''}, an identifier over ` +
  `${MAX_IDENTIFIER_LENGTH} characters, a control character, or invalid percent-encoding or UTF-8 (INVALID_IDENTIFIER).`;

const QUERY_DESCRIPTION =
  ' Or a query parameter given twice or outside its documented values (INVALID_QUERY_PARAMETER), named by ' +
  '`parameter`.';

/**
 * 400: an identifier or list that can never be looked up, or a query parameter outside its bounds; refused after
 * authentication and before any lookup.
 */
export const ApiInvalidIdentifier = (options: InvalidInputOptions = {}): MethodDecorator & ClassDecorator => {
  const { list = false, queryParameters = [] } = options;
  const identifierProblems = IDENTIFIER_PROBLEMS.filter((problem) => list || problem !== 'TOO_MANY');
  if (queryParameters.length === 0) {
    return ApiErrorResponse(400, {
      description: IDENTIFIER_DESCRIPTION(list),
      reasons: ['INVALID_IDENTIFIER'],
      details: { problem: { type: 'string', enum: identifierProblems } },
    });
  }
  return ApiErrorResponse(400, {
    description: IDENTIFIER_DESCRIPTION(list) + QUERY_DESCRIPTION,
    reasons: ['INVALID_IDENTIFIER', 'INVALID_QUERY_PARAMETER'],
    details: { problem: { type: 'string', enum: [...identifierProblems, ...QUERY_PROBLEMS] } },
    optionalDetails: {
      parameter: {
        type: 'string',
        enum: [...queryParameters],
        description: 'With INVALID_QUERY_PARAMETER only: the query parameter at fault.',
      },
    },
  });
};

/** 414, from OversizedPathMiddleware, which guards every route under /api/security. */
export const ApiUriTooLong = (): MethodDecorator & ClassDecorator =>
  ApiErrorResponse(414, {
    description:
      'A path longer than any valid membership check can be (MAX_GROUPS_PER_CHECK items of ' +
      `${MAX_IDENTIFIER_LENGTH} characters, each percent-encoded); refused before authentication.`,
    reasons: ['URI_TOO_LONG'],
  });

/** 409: a name that matches several entries; the service never guesses. */
export const ApiAmbiguousIdentifier = (): MethodDecorator & ClassDecorator =>
  ApiErrorResponse(409, {
    description: 'A name matches several directory entries (in different branches, say).',
    reasons: ['AMBIGUOUS_IDENTIFIER'],
    details: {
      identifier: { type: 'string', description: 'The identifier as requested.' },
      candidates: { type: 'array', items: { type: 'string' }, maxItems: 20, description: "The matching entries' ids." },
    },
  });

/** 404 with the reasons this operation can give. */
export const ApiNotFound = (description: string, ...reasons: ErrorReason[]): MethodDecorator & ClassDecorator =>
  ApiErrorResponse(404, { description, reasons });

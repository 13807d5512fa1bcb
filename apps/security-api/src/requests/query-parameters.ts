import { GroupScope, MAX_LISTED_POSITION, PageRequest } from '@app/directory';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** The data.problem of a 400 INVALID_QUERY_PARAMETER; the OpenAPI document lists them from here. */
export const QUERY_PROBLEMS = [
  'MISSING',
  'REPEATED',
  'NOT_A_WHOLE_NUMBER',
  'OUT_OF_RANGE',
  'NOT_TRUE_OR_FALSE',
] as const;

export type QueryProblem = (typeof QUERY_PROBLEMS)[number];

export class InvalidQueryParameterError extends Error {
  constructor(
    message: string,
    readonly parameter: string,
    readonly problem: QueryProblem,
  ) {
    super(message);
  }
}

/** The query as Express hands it over: a parameter given twice arrives as an array. */
export type RawQuery = Readonly<Record<string, unknown>>;

export function parsePageRequest(query: RawQuery): PageRequest {
  const index = wholeNumber(query, 'pageIndex', 0);
  const size = wholeNumber(query, 'pageSize', DEFAULT_PAGE_SIZE);
  if (size < 1 || size > MAX_PAGE_SIZE) {
    throw new InvalidQueryParameterError(`pageSize must be from 1 to ${MAX_PAGE_SIZE}`, 'pageSize', 'OUT_OF_RANGE');
  }
  if ((index + 1) * size > MAX_LISTED_POSITION) {
    throw new InvalidQueryParameterError(
      `Lists are paged up to position ${MAX_LISTED_POSITION}: (pageIndex + 1) × pageSize may be at most that`,
      'pageIndex',
      'OUT_OF_RANGE',
    );
  }
  return { index, size };
}

export function parseGroupScope(query: RawQuery): GroupScope {
  const raw = single(query, 'includeInherited');
  if (raw === undefined) {
    return 'direct';
  }
  // Case-blind, as .NET binds a boolean and so as Contensis clients may send it.
  switch (raw.toLowerCase()) {
    case 'true':
      return 'inherited';
    case 'false':
      return 'direct';
    default:
      throw new InvalidQueryParameterError(
        'includeInherited must be true or false',
        'includeInherited',
        'NOT_TRUE_OR_FALSE',
      );
  }
}

function wholeNumber(query: RawQuery, parameter: string, fallback: number): number {
  const raw = single(query, parameter);
  if (raw === undefined) {
    return fallback;
  }
  if (!/^[0-9]+$/.test(raw)) {
    throw new InvalidQueryParameterError(`${parameter} must be a whole number`, parameter, 'NOT_A_WHOLE_NUMBER');
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new InvalidQueryParameterError(`${parameter} is too large`, parameter, 'OUT_OF_RANGE');
  }
  return value;
}

function single(query: RawQuery, parameter: string): string | undefined {
  const raw = query[parameter];
  if (raw === undefined || typeof raw === 'string') {
    return raw;
  }
  throw new InvalidQueryParameterError(`${parameter} must be given once`, parameter, 'REPEATED');
}

import { decodeIdentifier, InvalidIdentifierError } from './identifier';
import { InvalidQueryParameterError } from './query-parameters';

/** What a gateway asks: whether the caller, or the user it names, is a member of any of the groups. */
export interface ForwardAuthQuery {
  /** Distinct, in the order they were given. */
  readonly groups: readonly string[];
  /** Absent: the caller asks about themself. */
  readonly user?: string;
}

/**
 * The question in a forward-auth URL's query, as the client sent it, without "?": the query up to a `path` parameter.
 * Envoy's ext_authz cannot replace the path of its question, only append the client's path and query to a fixed
 * prefix; with a prefix that ends in "&path=", whatever the client wrote lands after it and is never read, so that no
 * client can add a group or a user to the question.
 */
export function rawQuestionOf(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) {
    return '';
  }
  const query = url.slice(start + 1);
  const appended = query.startsWith('path=') || query === 'path' ? 0 : query.search(/&path(=|&|$)/);
  return appended < 0 ? query : query.slice(0, appended);
}

/** Whether the raw query has the parameter, with any value or none, by the name as sent. */
export function hasQueryParameter(rawQuery: string, name: string): boolean {
  return rawQuery.split('&').some((pair) => pair === name || pair.startsWith(`${name}=`));
}

/**
 * Parses the raw query string (without "?"), as gateways write it into their configuration: each `group` value is one
 * whole identifier (a comma in it is part of the name), repeated for an OR; `user` at most once. Values are
 * application/x-www-form-urlencoded, as every HTTP client and gateway encodes a query: "+" is a space, "%2B" a plus.
 * They are decoded here, strictly, rather than by Express's query parser, which leaves malformed escapes in place.
 */
export function parseForwardAuthQuery(rawQuery: string, maxGroups: number): ForwardAuthQuery {
  const groups: string[] = [];
  const users: string[] = [];
  for (const pair of rawQuery === '' ? [] : rawQuery.split('&')) {
    const separator = pair.indexOf('=');
    const name = separator < 0 ? pair : pair.slice(0, separator);
    const rawValue = separator < 0 ? '' : pair.slice(separator + 1).replaceAll('+', ' ');
    if (name === 'group') {
      if (groups.length === maxGroups) {
        throw new InvalidIdentifierError(`At most ${maxGroups} groups may be asked about at once`, 'TOO_MANY');
      }
      groups.push(decodeIdentifier(rawValue, `Group ${groups.length + 1}`));
    } else if (name === 'user') {
      users.push(decodeIdentifier(rawValue, 'The user identifier'));
    }
  }
  if (groups.length === 0) {
    throw new InvalidQueryParameterError('At least one group parameter is required', 'group', 'MISSING');
  }
  if (users.length > 1) {
    throw new InvalidQueryParameterError('user must be given once', 'user', 'REPEATED');
  }
  return { groups: [...new Set(groups)], ...(users.length === 1 ? { user: users[0] } : {}) };
}

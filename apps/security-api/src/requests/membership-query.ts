import { decodeIdentifier, InvalidIdentifierError, MAX_IDENTIFIER_LENGTH } from './identifier';

export interface MembershipQuery {
  readonly user: string;
  /** Distinct, in the order they were listed. */
  readonly groups: readonly string[];
}

/** A character percent-encodes to at most 12 bytes in the URL: 4 UTF-8 bytes, each as "%XX". */
const MAX_ENCODED_CHARACTER_BYTES = 12;

/** The longest membership-check path a valid request can have, so that the HTTP server never refuses one. */
export function longestValidCheckPath(maxGroups: number): number {
  const longestIdentifier = MAX_IDENTIFIER_LENGTH * MAX_ENCODED_CHARACTER_BYTES;
  return '/api/security/users//groups/'.length + longestIdentifier + maxGroups * (longestIdentifier + 1);
}

/**
 * Parses the raw (still percent-encoded) path segments. The group list is split on "," before decoding, so "%2C" is a
 * comma inside a name; items are not trimmed, because a space is part of a name as the directory stores it.
 */
export function parseMembershipQuery(rawUser: string, rawGroups: string, maxGroups: number): MembershipQuery {
  const user = decodeIdentifier(rawUser, 'The user identifier');
  const items = rawGroups.split(',');
  if (items.length > maxGroups) {
    throw new InvalidIdentifierError(`At most ${maxGroups} groups may be checked at once`, 'TOO_MANY');
  }
  const groups = items.map((item, index) => decodeIdentifier(item, `Group identifier ${index + 1}`));
  return { user, groups: [...new Set(groups)] };
}

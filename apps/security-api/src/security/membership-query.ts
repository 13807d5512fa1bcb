export interface MembershipQuery {
  readonly user: string;
  /** Distinct, in the order they were listed. */
  readonly groups: readonly string[];
}

/** The data.problem of a 400; the OpenAPI document lists them from here. */
export const IDENTIFIER_PROBLEMS = ['EMPTY', 'TOO_MANY', 'TOO_LONG', 'CONTROL_CHARACTER', 'BAD_ENCODING'] as const;

export class InvalidIdentifierError extends Error {
  constructor(
    message: string,
    readonly problem: (typeof IDENTIFIER_PROBLEMS)[number],
  ) {
    super(message);
  }
}

export const MAX_IDENTIFIER_LENGTH = 256;
/** A character percent-encodes to at most 12 bytes in the URL: 4 UTF-8 bytes, each as "%XX". */
const MAX_ENCODED_CHARACTER_BYTES = 12;

/** The longest membership-check path a valid request can have, so that the HTTP server never refuses one. */
export function longestValidCheckPath(maxGroups: number): number {
  const longestIdentifier = MAX_IDENTIFIER_LENGTH * MAX_ENCODED_CHARACTER_BYTES;
  return '/api/security/users//groups/'.length + longestIdentifier + maxGroups * (longestIdentifier + 1);
}
const CONTROL_CHARACTER = /\p{Cc}/u;

export function containsControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
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

/** One raw (still percent-encoded) identifier, held to the same rules as every item of a check. */
export function decodeIdentifier(raw: string, subject: string): string {
  if (raw === '') {
    throw new InvalidIdentifierError(`${subject} is empty`, 'EMPTY');
  }
  let value: string;
  try {
    // decodeURIComponent rejects both malformed escapes and escapes that are not UTF-8.
    value = decodeURIComponent(raw);
  } catch {
    throw new InvalidIdentifierError(`${subject} is not valid percent-encoded UTF-8`, 'BAD_ENCODING');
  }
  if (containsControlCharacter(value)) {
    throw new InvalidIdentifierError(`${subject} contains a control character`, 'CONTROL_CHARACTER');
  }
  if ([...value].length > MAX_IDENTIFIER_LENGTH) {
    throw new InvalidIdentifierError(`${subject} is longer than ${MAX_IDENTIFIER_LENGTH} characters`, 'TOO_LONG');
  }
  return value;
}

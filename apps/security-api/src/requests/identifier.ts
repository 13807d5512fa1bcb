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
const CONTROL_CHARACTER = /\p{Cc}/u;

export function containsControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
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

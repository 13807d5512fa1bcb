import { containsControlCharacter, MAX_IDENTIFIER_LENGTH } from '../requests/identifier';

export interface BasicCredentials {
  readonly login: string;
  readonly password: string;
}

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;
const MAX_PASSWORD_LENGTH = 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The RFC 7617 credentials of an Authorization header, or undefined for anything the directory must never be asked
 * about: no header, another scheme, bad base64 or UTF-8, no colon, an empty login or password (an empty password
 * would make an unauthenticated bind succeed), a control character in the login, or oversized values.
 */
export function parseBasicCredentials(header: string | undefined): BasicCredentials | undefined {
  const encoded = header?.match(BASIC)?.[1];
  if (encoded === undefined) {
    return undefined;
  }
  let decoded: string;
  try {
    decoded = strictUtf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return undefined;
  }
  const login = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const acceptable =
    login.length > 0 &&
    login.length <= MAX_IDENTIFIER_LENGTH &&
    !containsControlCharacter(login) &&
    password.length > 0 &&
    password.length <= MAX_PASSWORD_LENGTH;
  return acceptable ? { login, password } : undefined;
}

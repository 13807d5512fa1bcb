import { UserIdentity } from '@app/directory';

/** What forward-auth tells the gateway, to hand on to the application behind it (as Authelia names them). */
export interface IdentityHeaders {
  readonly 'Remote-User': string;
  readonly 'Remote-Name': string;
  readonly 'Remote-Email': string;
  readonly 'Remote-Groups': string;
}

// Header values travel as bytes that gateways copy as they are: a character that is not printable ASCII, and "%"
// itself, is written as percent-encoded UTF-8, so that any name arrives intact and can be decoded.
const ESCAPED = /[^\x20-\x24\x26-\x7e]/gu;
// In Remote-Groups a comma separates the names, so a comma inside one is escaped too.
const ESCAPED_IN_LIST = /[^\x20-\x24\x26-\x2b\x2d-\x7e]/gu;

const escape = (character: string): string => encodeURIComponent(character).replace(/^,$/, '%2C');

/** An identity the directory hands out stays the same object while it is fresh: its headers are written once. */
const written = new WeakMap<UserIdentity, IdentityHeaders>();

export function identityHeaders(identity: UserIdentity): IdentityHeaders {
  let headers = written.get(identity);
  if (!headers) {
    headers = {
      'Remote-User': identity.user.username.replace(ESCAPED, escape),
      'Remote-Name': (identity.displayName ?? '').replace(ESCAPED, escape),
      'Remote-Email': (identity.user.email ?? '').replace(ESCAPED, escape),
      'Remote-Groups': identity.groupNames.map((name) => name.replace(ESCAPED_IN_LIST, escape)).join(','),
    };
    written.set(identity, headers);
  }
  return headers;
}

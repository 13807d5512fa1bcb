import { DirectoryError } from './directory.errors';

/**
 * Why the directory cannot serve the service, in words that need no LDAP to be read: the edge names the setting to
 * fix from it, and readiness gives its reason.
 */
export type DirectoryFault =
  /** The bind as the service account was refused; the detail is the LDAP result, as words (invalid credentials). */
  | { readonly reason: 'SERVICE_ACCOUNT_REFUSED'; readonly detail: string }
  /** A search base of the options names no entry (or none the service account may see). */
  | { readonly reason: 'BASE_DN_MISSING'; readonly dn: string }
  /** No server answered, or not in time. */
  | { readonly reason: 'UNREACHABLE' }
  /** A server was reached, but a verified TLS connection could not be made with it. */
  | { readonly reason: 'TLS' }
  | { readonly reason: 'UNEXPECTED' };

export type DirectoryFaultReason = DirectoryFault['reason'];

/**
 * The directory answers, but not in a way the service can work with until its settings or the directory are fixed:
 * a directory error (500 at the edge, as the contract has it for a misconfiguration), not an outage, which a retry
 * might end.
 */
export class DirectoryMisconfiguredError extends DirectoryError {
  override readonly name = 'DirectoryMisconfiguredError';

  constructor(
    message: string,
    readonly fault: DirectoryFault,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

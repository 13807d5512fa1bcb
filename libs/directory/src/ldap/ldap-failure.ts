import {
  BusyError,
  InvalidCredentialsError,
  NoSuchObjectError,
  ResultCodeError,
  TimeLimitExceededError,
  UnavailableError,
} from 'ldapts';
import { DirectoryFault, DirectoryMisconfiguredError } from '../directory-fault';
import { DirectoryOutcome } from '../directory-observer';
import { DirectoryError, DirectoryUnavailableError } from '../directory.errors';

/** A server refused StartTLS, or TLS could not be set up with it. Nothing is then sent on that connection. */
export class TransportSecurityError extends Error {
  override readonly name = 'TransportSecurityError';
}

/** An LDAP result code: the server is there and answered. Anything else thrown by ldapts is the transport. */
function isLdapResult(error: unknown): error is ResultCodeError {
  return error instanceof ResultCodeError;
}

/** Errors of the program itself (ours or the library's), which retrying cannot cure. */
function isProgrammingError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError
  );
}

/** The directory cannot answer now (unreachable, busy, unavailable, too slow); another try or replica may. */
export function isTransient(error: unknown): boolean {
  if (isProgrammingError(error) || error instanceof DirectoryMisconfiguredError) {
    return false;
  }
  return (
    !isLdapResult(error) ||
    error instanceof BusyError ||
    error instanceof UnavailableError ||
    error instanceof TimeLimitExceededError
  );
}

/** Keeps the LDAP detail as the cause, for the log; the message says only what failed. */
export function asDirectoryFailure(error: unknown, operation: string): Error {
  if (error instanceof DirectoryUnavailableError || error instanceof DirectoryError) {
    return error;
  }
  return isTransient(error)
    ? new DirectoryUnavailableError(`${operation}: directory unavailable`, { cause: error })
    : new DirectoryError(`${operation}: unexpected directory result`, { cause: error });
}

/** ldapts (8.2) reports its own timeouts as plain errors: "Connection timeout", "SearchRequest: Operation timed out". */
const LDAPTS_TIMEOUT = /\btime(d)? ?out\b/i;

/** How an operation ended, for metrics: whether the directory answered, refused a bind, or could not answer. */
export function outcomeOf(error: unknown): DirectoryOutcome {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof InvalidCredentialsError) {
      return 'invalid-credentials';
    }
    if (current instanceof TimeLimitExceededError || (!isLdapResult(current) && LDAPTS_TIMEOUT.test(current.message))) {
      return 'timeout';
    }
  }
  if (error instanceof DirectoryUnavailableError) {
    return 'unavailable';
  }
  if (error instanceof DirectoryError) {
    return 'error';
  }
  return isTransient(error) ? 'unavailable' : 'error';
}

/** RFC 4511's names of the results a refused bind or a missing base comes back with. */
const RESULT_WORDS: Readonly<Record<number, string>> = {
  13: 'confidentiality required',
  32: 'no such object',
  34: 'invalid DN syntax',
  48: 'inappropriate authentication',
  49: 'invalid credentials',
  50: 'insufficient access rights',
  53: 'unwilling to perform',
};

function resultWords(error: ResultCodeError): string {
  return RESULT_WORDS[error.code] ?? `LDAP result ${error.code}`;
}

/**
 * A bind as the service account that the directory answered with anything but success: every replica would answer
 * the same, and no request can be served until the account or its settings are fixed.
 */
export function asServiceAccountRefusal(error: unknown): unknown {
  if (!isLdapResult(error) || isTransient(error)) {
    return error;
  }
  const detail = resultWords(error);
  return new DirectoryMisconfiguredError(
    `the directory refused the service account (${detail})`,
    { reason: 'SERVICE_ACCOUNT_REFUSED', detail },
    { cause: error },
  );
}

/** A bind as the service account, whose refusal is named as one. */
export async function asServiceAccount<T>(bind: Promise<T>): Promise<T> {
  try {
    return await bind;
  } catch (error) {
    throw asServiceAccountRefusal(error);
  }
}

/** A search of a base the options name, whose absence is named as such. */
export async function searchingBase<T>(dn: string, search: Promise<T>): Promise<T> {
  try {
    return await search;
  } catch (error) {
    throw asMissingBase(error, dn);
  }
}

/** A search whose base names no entry: the options name a base the directory does not hold. */
export function asMissingBase(error: unknown, dn: string): unknown {
  if (!(error instanceof NoSuchObjectError)) {
    return error;
  }
  return new DirectoryMisconfiguredError(
    `the directory has no entry ${dn} (no such object)`,
    { reason: 'BASE_DN_MISSING', dn },
    { cause: error },
  );
}

/** Node's codes for a certificate that does not verify, or a TLS handshake that failed. */
const TLS_FAILURE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|^ERR_(TLS|SSL)_|^EPROTO$/;

/** Why the directory could not serve an operation, classified for the operator and the readiness probe. */
export function faultOf(error: unknown): DirectoryFault {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof DirectoryMisconfiguredError) {
      return current.fault;
    }
    const code = (current as NodeJS.ErrnoException).code;
    if (current instanceof TransportSecurityError || (typeof code === 'string' && TLS_FAILURE_CODE.test(code))) {
      return { reason: 'TLS' };
    }
  }
  return isTransient(error) || error instanceof DirectoryUnavailableError
    ? { reason: 'UNREACHABLE' }
    : { reason: 'UNEXPECTED' };
}

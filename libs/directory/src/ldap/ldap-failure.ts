import { BusyError, ResultCodeError, TimeLimitExceededError, UnavailableError } from 'ldapts';
import { DirectoryError, DirectoryUnavailableError } from '../directory.errors';

/** An LDAP result code: the server is there and answered. Anything else thrown by ldapts is the transport. */
function isLdapResult(error: unknown): error is ResultCodeError {
  return error instanceof ResultCodeError;
}

/** Errors of the program itself (ours or the library's), which retrying cannot cure. */
function isProgrammingError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}

/** The directory cannot answer now (unreachable, busy, unavailable, too slow); another try or replica may. */
export function isTransient(error: unknown): boolean {
  if (isProgrammingError(error)) {
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

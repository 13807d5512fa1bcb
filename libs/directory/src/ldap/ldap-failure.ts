import { BusyError, InvalidCredentialsError, ResultCodeError, TimeLimitExceededError, UnavailableError } from 'ldapts';
import { DirectoryOutcome } from '../directory-observer';
import { DirectoryError, DirectoryUnavailableError } from '../directory.errors';

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

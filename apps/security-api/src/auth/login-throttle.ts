import { LoginKeys } from '@app/directory';
import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment';
import { FailureCounter } from './failure-counter';

/** How many logins and client addresses the throttle remembers at once, each. */
const REMEMBERED_KEYS = 100_000;

/** One login attempt let through to the directory; it must be ended once, one way or the other. */
export interface LoginAttempt {
  /** The directory refused the credentials: counts against the login and the address. */
  failed(): void;
  /** Accepted, or the directory could not say: counts nothing. */
  ended(): void;
}

/**
 * Slows password guessing down: after too many failed logins within a window, for one login or from one client
 * address, further attempts are refused without asking the directory until the window ends. Successful logins are
 * never counted.
 *
 * Attempts that arrive together would all pass before the first of them fails, so for each login the different
 * passwords being tried at this moment count as failures to come. The same password sent many times at once counts
 * once (the directory shares one bind between them), so a client with the right credentials is never held back.
 * Addresses count failures only: a gateway's one address carries many users' concurrent, legitimate logins.
 */
@Injectable()
export class LoginThrottle {
  private readonly perLogin: FailureCounter;
  private readonly perAddress: FailureCounter;
  /** Per login: how many requests are trying each password now, keyed by a keyed hash that does not hold it. */
  private readonly passwordsInFlight = new Map<string, Map<string, number>>();
  private readonly passwordKeys = new LoginKeys();

  constructor(environment: Environment) {
    const windowMs = environment.LOGIN_FAILURE_WINDOW_SECONDS * 1000;
    this.perLogin = new FailureCounter(environment.LOGIN_FAILURES_PER_LOGIN, windowMs, REMEMBERED_KEYS);
    this.perAddress = new FailureCounter(environment.LOGIN_FAILURES_PER_ADDRESS, windowMs, REMEMBERED_KEYS);
  }

  /** An attempt that may go to the directory now, or the whole seconds to wait before trying again. */
  begin(login: string, password: string, address: string): LoginAttempt | { retryAfterSeconds: number } {
    const key = loginKey(login);
    const passwordDigest = this.passwordKeys.of(key, password);
    const inFlight = this.passwordsInFlight.get(key) ?? new Map<string, number>();
    const otherPasswordsInFlight = inFlight.size - (inFlight.has(passwordDigest) ? 1 : 0);
    const waitMs = Math.max(this.perLogin.waitMs(key, otherPasswordsInFlight), this.perAddress.waitMs(address));
    if (waitMs > 0) {
      return { retryAfterSeconds: Math.ceil(waitMs / 1000) };
    }
    inFlight.set(passwordDigest, (inFlight.get(passwordDigest) ?? 0) + 1);
    this.passwordsInFlight.set(key, inFlight);

    let open = true;
    const end = (): void => {
      if (!open) {
        return;
      }
      open = false;
      const remaining = (inFlight.get(passwordDigest) ?? 1) - 1;
      if (remaining > 0) {
        inFlight.set(passwordDigest, remaining);
        return;
      }
      inFlight.delete(passwordDigest);
      if (inFlight.size === 0) {
        this.passwordsInFlight.delete(key);
      }
    };
    return {
      failed: () => {
        if (open) {
          this.perLogin.fail(key);
          this.perAddress.fail(address);
        }
        end();
      },
      ended: end,
    };
  }
}

// The directory matches logins ignoring case and repeated spaces, so "TDurden" must count against "tdurden".
function loginKey(login: string): string {
  return login.trim().replace(/\s+/g, ' ').toLowerCase();
}

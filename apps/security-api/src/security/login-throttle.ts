import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment';
import { FailureCounter } from './failure-counter';

/** How many logins and client addresses the throttle remembers at once, each. */
const REMEMBERED_KEYS = 100_000;

/**
 * Slows password guessing down: after too many failed logins within a window, for one login or from one client
 * address, further attempts are refused without asking the directory until the window ends. Successful logins are
 * never counted.
 */
@Injectable()
export class LoginThrottle {
  private readonly perLogin: FailureCounter;
  private readonly perAddress: FailureCounter;

  constructor(environment: Environment) {
    const windowMs = environment.LOGIN_FAILURE_WINDOW_SECONDS * 1000;
    this.perLogin = new FailureCounter(environment.LOGIN_FAILURES_PER_LOGIN, windowMs, REMEMBERED_KEYS);
    this.perAddress = new FailureCounter(environment.LOGIN_FAILURES_PER_ADDRESS, windowMs, REMEMBERED_KEYS);
  }

  /** Whole seconds until this login may be tried from this address again; 0 when it may now. */
  retryAfterSeconds(login: string, address: string): number {
    const waitMs = Math.max(this.perLogin.waitMs(loginKey(login)), this.perAddress.waitMs(address));
    return Math.ceil(waitMs / 1000);
  }

  recordFailure(login: string, address: string): void {
    this.perLogin.fail(loginKey(login));
    this.perAddress.fail(address);
  }
}

// The directory matches logins ignoring case and repeated spaces, so "TDurden" must count against "tdurden".
function loginKey(login: string): string {
  return login.trim().replace(/\s+/g, ' ').toLowerCase();
}

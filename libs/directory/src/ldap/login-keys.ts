import { createHmac, randomBytes } from 'node:crypto';

/**
 * Cache keys for login/password pairs that say nothing about the password: an HMAC under a key that lives only in
 * this process's memory, so neither a heap dump nor a guessed password list can be matched against them offline.
 */
export class LoginKeys {
  private readonly secret = randomBytes(32);

  of(login: string, password: string): string {
    // The login's length first, so that no other pair can be split into the same bytes.
    return createHmac('sha256', this.secret)
      .update(`${Buffer.byteLength(login)}:${login}`)
      .update(password)
      .digest('base64');
  }
}

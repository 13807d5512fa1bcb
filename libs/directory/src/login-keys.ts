import { createHmac, randomBytes } from 'node:crypto';

/**
 * Cache keys for login/password pairs that do not hold the password: an HMAC under a random key that exists only in
 * this process, so that the keys alone cannot be tested against guessed passwords.
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

import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { demoEnvironment } from '@test/support/demo-directory';
import { basic } from '@test/support/basic';
import { startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

const CHECK = '/api/security/users/tdurden/groups/Loners';
const PAIRS = 40;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Whether a login exists must not show in the answer's time. Each unknown login also binds (to a DN that does not
 * exist), so both cost one search and one bind. The samples alternate, so a slow moment of the machine hits both
 * kinds alike, and medians ignore the odd stall; the bound is loose enough for a busy CI machine and tight enough to
 * catch an unknown login that skips the bind (about half the time of a wrong password).
 */
describe('an unknown login and a wrong password', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;

  async function timedStatus(authorization: string): Promise<{ status: number; ms: number }> {
    const started = process.hrtime.bigint();
    const { status } = await request(app.getHttpServer()).head(CHECK).set('Authorization', authorization);
    return { status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  }

  beforeAll(async () => {
    slapd = await Slapd.start();
    // Caches off: every attempt is a fresh lookup, as an attacker trying new logins would cause.
    ({ app } = await startSecurityApi(
      demoEnvironment(slapd.url, {
        DIRECTORY_STALENESS_MS: '0',
        LOGIN_FAILURES_PER_LOGIN: '1000',
        LOGIN_FAILURES_PER_ADDRESS: '100000',
      }),
    ));
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('take a similar time', async () => {
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let attempt = 0; attempt < PAIRS; attempt++) {
      const tryUnknown = () => timedStatus(basic(`nobody-${attempt}`, `guess-${attempt}`));
      const tryWrong = () => timedStatus(basic('tdurden', `guess-${attempt}`));
      // Which goes first alternates too, so neither kind always follows the other.
      const [unknownLogin, wrongPassword] =
        attempt % 2 === 0
          ? [await tryUnknown(), await tryWrong()]
          : [...[await tryWrong(), await tryUnknown()].reverse()];
      expect([unknownLogin.status, wrongPassword.status]).toEqual([401, 401]);
      unknown.push(unknownLogin.ms);
      wrong.push(wrongPassword.ms);
    }
    const ratio = median(unknown) / median(wrong);
    expect(ratio).toBeGreaterThan(0.67);
    expect(ratio).toBeLessThan(1.5);
  });
});

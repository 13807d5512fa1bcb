import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { demoEnvironment } from '@test/support/demo-directory';
import { basic } from '@test/support/basic';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';
import { DEMO, Slapd } from '@test/support/slapd';

const CHECK = '/api/security/users/tdurden/groups/Liposuction%20Technicians';
const SYSADMIN_DN = `uid=sysadmin,ou=people,${DEMO.baseDn}`;
const NARRATOR_DN = `uid=narrator,ou=people,${DEMO.baseDn}`;

describe('failed logins', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let logs: CapturedLogs;

  const head = (authorization: string) => request(app.getHttpServer()).head(CHECK).set('Authorization', authorization);

  beforeAll(async () => {
    slapd = await Slapd.start();
    ({ app, logs } = await startSecurityApi(
      demoEnvironment(slapd.url, {
        LOGIN_FAILURES_PER_LOGIN: '2',
        LOGIN_FAILURES_PER_ADDRESS: '50',
        LOGIN_FAILURE_WINDOW_SECONDS: '30',
      }),
    ));
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('are refused with 429 and Retry-After once a login has failed too often, before the directory is asked', async () => {
    expect((await head(basic('sysadmin', 'guess-1'))).status).toBe(401);
    expect((await head(basic('sysadmin', 'guess-2'))).status).toBe(401);
    const bindsBefore = await slapd.bindsLoggedFor(SYSADMIN_DN);

    const refused = await request(app.getHttpServer())
      .get(CHECK)
      .set('Authorization', basic('sysadmin', 'admin-secret'));

    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(refused.headers['x-log-id']).toBe(refused.body.logId);
    expect(refused.body).toEqual({
      logId: expect.any(String),
      message: expect.any(String),
      data: { reason: 'TOO_MANY_FAILED_LOGINS' },
      type: 'error',
    });
    expect(logs.containing(refused.body.logId)).toHaveLength(1);
    expect(await slapd.bindsLoggedFor(SYSADMIN_DN)).toBe(bindsBefore);
  });

  it('let a burst of different guesses for one login reach the directory no more often than the limit', async () => {
    const login = 'narrator';
    const bindsBefore = await slapd.bindsLoggedFor(NARRATOR_DN);

    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, guess) =>
        head(basic(login, `burst-${guess}`)).then((response) => response.status),
      ),
    );

    expect(statuses.filter((status) => status === 401)).toHaveLength(2);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    expect((await slapd.bindsLoggedFor(NARRATOR_DN)) - bindsBefore).toBe(2);
  });

  it('do not hold back other logins from the same address below its own limit', async () => {
    expect((await head(basic('opsadmin', 'ops-secret'))).status).toBe(204);
  });
});

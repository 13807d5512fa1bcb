import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { basic } from '@test/support/basic';
import { demoEnvironment } from '@test/support/demo-directory';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

const CHECK = '/api/security/users/tdurden/groups/Liposuction%20Technicians';
const FAILURES_PER_ADDRESS = 3;
/** supertest connects over loopback; a dual-stack server sees IPv4 peers as IPv4-mapped IPv6 addresses. */
const LOOPBACK_PEER = /^(::ffff:127\.0\.0\.1|127\.0\.0\.1|::1)$/;

/**
 * The login throttle counts failures per client address (LOGIN_FAILURES_PER_ADDRESS) and the request line names the
 * client: the TCP peer, or behind a gateway listed in TRUSTED_PROXIES the client that gateway names in X-Forwarded-For.
 * Different logins each time, so that only the address's count can refuse.
 */
describe('client addresses', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let logs: CapturedLogs;

  const check = (forwardedFor: string, authorization: string) =>
    request(app.getHttpServer()).head(CHECK).set('X-Forwarded-For', forwardedFor).set('Authorization', authorization);

  const failLogins = async (forwardedFor: (attempt: number) => string, loginPrefix: string): Promise<void> => {
    for (let attempt = 0; attempt < FAILURES_PER_ADDRESS; attempt++) {
      const response = await check(forwardedFor(attempt), basic(`${loginPrefix}-${attempt}`, 'guess'));
      expect(response.status).toBe(401);
    }
  };

  const startWith = async (variables: Record<string, string>): Promise<void> => {
    ({ app, logs } = await startSecurityApi(
      demoEnvironment(slapd.url, {
        LOGIN_FAILURES_PER_ADDRESS: String(FAILURES_PER_ADDRESS),
        LOGIN_FAILURES_PER_LOGIN: '100',
        LOGIN_FAILURE_WINDOW_SECONDS: '60',
        ...variables,
      }),
    ));
  };

  beforeAll(async () => {
    slapd = await Slapd.start();
  });

  afterAll(async () => {
    await slapd?.destroy();
  });

  afterEach(async () => {
    await app?.close();
  });

  describe('without TRUSTED_PROXIES', () => {
    beforeEach(() => startWith({}));

    it('believes no X-Forwarded-For: failures sent under forged addresses all count against the peer', async () => {
      await failLogins((attempt) => `203.0.113.${attempt + 1}`, 'forger');

      const refused = await check('203.0.113.200', basic('sysadmin', 'admin-secret'));

      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toEqual(expect.any(String));
    });

    it('logs the peer as the client, whatever X-Forwarded-For says', async () => {
      const response = await check('203.0.113.7', basic('sysadmin', 'admin-secret'));

      expect(response.status).toBe(204);
      expect(logs.withLogId(response.headers['x-log-id'])).toEqual([
        expect.objectContaining({ status: 204, client: expect.stringMatching(LOOPBACK_PEER) }),
      ]);
    });
  });

  describe('with TRUSTED_PROXIES listing the gateway', () => {
    // Both loopback addresses: the gateway here is the test itself, over whichever family the server accepts it on.
    beforeEach(() => startWith({ TRUSTED_PROXIES: '127.0.0.1, ::1' }));

    it("counts two clients behind the gateway apart: one client's failures do not throttle another", async () => {
      await failLogins(() => '198.51.100.1', 'first-client');

      expect((await check('198.51.100.1', basic('sysadmin', 'admin-secret'))).status).toBe(429);
      expect((await check('198.51.100.2', basic('sysadmin', 'admin-secret'))).status).toBe(204);
    });

    it('takes the client the gateway appended, not the addresses a client sent before it', async () => {
      await failLogins(() => '198.51.100.1', 'first-client');

      // A gateway appends the address it received the request from to whatever X-Forwarded-For the client sent.
      const posing = await check('198.51.100.2, 198.51.100.1', basic('sysadmin', 'admin-secret'));
      const framing = await check('198.51.100.1, 198.51.100.2', basic('sysadmin', 'admin-secret'));

      expect(posing.status).toBe(429);
      expect(framing.status).toBe(204);
    });

    it('logs the client from X-Forwarded-For', async () => {
      const response = await check('198.51.100.2', basic('sysadmin', 'admin-secret'));

      expect(response.status).toBe(204);
      expect(logs.withLogId(response.headers['x-log-id'])).toEqual([
        expect.objectContaining({ status: 204, client: '198.51.100.2' }),
      ]);
    });
  });
});

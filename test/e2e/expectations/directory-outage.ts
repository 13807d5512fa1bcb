import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DemoServer, SERVER_START_TIMEOUT_MS } from '@test/support/demo-server';
import { basic } from '@test/support/basic';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';

const ADMIN = basic('sysadmin', 'admin-secret');
const CHECK = '/api/security/users/tdurden/groups/Liposuction%20Technicians';
const NON_MEMBER_CHECK = '/api/security/users/tdurden/groups/Loners';

/** The service's behaviour while the directory is down and once it is back, against any server holding the demo data. */
export function describeDirectoryOutage(start: () => Promise<DemoServer>): void {
  describe('when the directory is down', () => {
    let server: DemoServer;
    let app: NestExpressApplication;
    let logs: CapturedLogs;

    const check = (path = CHECK) => request(app.getHttpServer()).get(path).set('Authorization', ADMIN);
    const probe = (name: 'live' | 'ready') => request(app.getHttpServer()).get(`/health/${name}`);

    async function expectUnavailable(response: request.Response): Promise<void> {
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.headers['x-log-id']).toBe(response.body.logId);
      expect(response.body).toMatchObject({ data: { reason: 'DIRECTORY_UNAVAILABLE' }, type: 'error' });
      // The cause stays in the log: a stopped server refuses connections, on whichever 127.0.0.N it listens on.
      expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.\d+|dc=|ldap/i);
    }

    beforeAll(async () => {
      server = await start();
      await server.stop();
      // Caches off: every request here must reach the directory. How cached answers behave in an outage is
      // shown by the caches' own tests.
      ({ app, logs } = await startSecurityApi(
        server.environment({ RETRY_AFTER_SECONDS: '7', DIRECTORY_STALENESS_MS: '0' }),
      ));
    }, SERVER_START_TIMEOUT_MS);

    afterAll(async () => {
      await app?.close();
      await server?.destroy();
    });

    it('starts and serves /health/live while the directory is down', async () => {
      expect((await probe('live')).status).toBe(200);
    });

    it('answers /health/ready 503 with the terminus body, saying only that the directory is unreachable', async () => {
      const response = await probe('ready');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 'error',
        info: {},
        error: { directory: { status: 'down', message: expect.any(String), reason: 'UNREACHABLE' } },
        details: { directory: { status: 'down', message: expect.any(String), reason: 'UNREACHABLE' } },
      });
      expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.\d+/);
      expect(logs.containing('readiness check failed').join('\n')).toMatch(/ECONNREFUSED/);
      // The probe's answer has no body of ours, but its X-Log-Id leads to the cause too.
      expect(logs.containing(response.headers['x-log-id']).join('\n')).toMatch(
        /readiness check failed[^]*ECONNREFUSED/,
      );
    });

    it('answers a check 503 with Retry-After, never 204, 404 or 500, and logs the cause under the same logId', async () => {
      for (const path of [CHECK, NON_MEMBER_CHECK]) {
        const response = await check(path);
        await expectUnavailable(response);
        expect(logs.containing(response.body.logId).join('\n')).toMatch(/ECONNREFUSED/);
        // The cause at warn, then the request line.
        expect(logs.withLogId(response.body.logId)).toEqual([
          expect.objectContaining({ level: 'warn', context: 'ErrorModel' }),
          expect.objectContaining({ level: 'info', status: 503, reason: 'DIRECTORY_UNAVAILABLE' }),
        ]);
      }
      const head = await request(app.getHttpServer()).head(CHECK).set('Authorization', ADMIN);
      expect(head.status).toBe(503);
      expect(head.headers['retry-after']).toBe('7');
    });

    it('answers again, and is ready again, when the directory returns, without a restart', async () => {
      await server.restart();
      expect((await check()).status).toBe(200);
      expect((await check(NON_MEMBER_CHECK)).status).toBe(404);
      expect((await probe('ready')).status).toBe(200);
    });

    it('goes back to 503 when the directory stops again under a working connection, and recovers again', async () => {
      await server.stop();
      try {
        const responses = await Promise.all(Array.from({ length: 10 }, () => check()));
        for (const response of responses) {
          await expectUnavailable(response);
        }
        expect((await probe('ready')).status).toBe(503);
        expect((await probe('live')).status).toBe(200);
      } finally {
        await server.restart();
      }
      const recovered = await Promise.all(Array.from({ length: 10 }, () => check()));
      expect(recovered.map((response) => response.status)).toEqual(Array(10).fill(200));
    });
  });
}

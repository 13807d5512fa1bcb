import { NestExpressApplication } from '@nestjs/platform-express';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { ADMIN, DEMO_CHECKS, eventually, listening } from '@test/support/check-load';
import { demoEnvironment } from '@test/support/demo-directory';
import { startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';
import { ProxyMode, TcpProxy } from '@test/support/tcp-proxy';

const TIMEOUT_MS = 600;
/** What a request may take beyond the LDAP timeout: HTTP, the guard and scheduling on a busy 2-core machine. */
const MARGIN_MS = 400;
/** No callback may hold the event loop this long; a blocked loop would show the whole timeout. */
const MAX_LOOP_DELAY_MS = 200;
const CONCURRENCY = 8;

/** The handles that a leak would leave behind: sockets and timers. */
function activeHandles(): { sockets: number; timers: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((name) => name === 'TCPSocketWrap').length,
    timers: resources.filter((name) => name === 'Timeout').length,
  };
}

describe('a slow, silent or broken directory (a proxy between the service and slapd)', () => {
  let slapd: Slapd;
  let proxy: TcpProxy;
  let app: NestExpressApplication;
  let baseUrl: string;

  const timed = async (send: () => request.Test) => {
    const started = performance.now();
    const response = await send();
    return { response, ms: performance.now() - started };
  };
  const check = (index: number) =>
    timed(() =>
      request(baseUrl)
        .get(DEMO_CHECKS[index % 2].path)
        .set('Authorization', ADMIN)
        .set('Connection', 'close'),
    );
  const ready = () => timed(() => request(baseUrl).get('/health/ready').set('Connection', 'close'));
  const answersRight = async () => {
    const responses = await Promise.all([0, 1].map(check));
    return responses.every(({ response }, index) => response.status === [200, 404][index]);
  };

  beforeAll(async () => {
    slapd = await Slapd.start();
    proxy = await TcpProxy.start(slapd.port);
    ({ app } = await startSecurityApi(
      demoEnvironment(proxy.url, {
        LDAP_TIMEOUT_MS: String(TIMEOUT_MS),
        LDAP_CONNECT_TIMEOUT_MS: String(TIMEOUT_MS),
        HEALTH_TIMEOUT_MS: String(TIMEOUT_MS),
        RETRY_AFTER_SECONDS: '7',
        DIRECTORY_STALENESS_MS: '0',
      }),
    ));
    baseUrl = await listening(app);
  });

  afterEach(() => proxy.setMode({ kind: 'pass' }));

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await slapd?.destroy();
  });

  it.each<[string, ProxyMode]>([
    ['accepts and reads but never answers', { kind: 'swallow' }],
    ['answers each chunk later than the timeout', { kind: 'delay', ms: TIMEOUT_MS + 400 }],
    ['resets every connection', { kind: 'reset' }],
    ['closes every connection', { kind: 'close' }],
  ])(
    'when the directory %s: 503 within the timeout, the event loop free, nothing leaked, and answers again after',
    async (_fault, mode) => {
      await eventually('the service answers through the proxy', answersRight);
      const before = activeHandles();

      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      proxy.setMode(mode);
      const [checks, probe] = await Promise.all([
        Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => check(index))),
        ready(),
      ]);
      loopDelay.disable();

      for (const { response, ms } of checks) {
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('7');
        expect(response.body).toEqual({
          logId: response.headers['x-log-id'],
          message: expect.any(String),
          data: { reason: 'DIRECTORY_UNAVAILABLE' },
          type: 'error',
        });
        expect(response.text).not.toMatch(/ldap|127\.0\.0\.1|dc=|timed out|ECONN|socket/i);
        expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      }
      expect(probe.response.status).toBe(503);
      expect(probe.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      expect(loopDelay.max / 1e6).toBeLessThan(MAX_LOOP_DELAY_MS);

      proxy.setMode({ kind: 'pass' });
      await eventually('answers recover without a restart', answersRight);
      expect((await ready()).response.status).toBe(200);
      await eventually(`sockets and timers return to their level before the fault (${JSON.stringify(before)})`, () => {
        const now = activeHandles();
        return now.sockets <= before.sockets && now.timers <= before.timers;
      });
    },
  );

  it('answers rightly, only later, when every chunk is delayed well within the timeout', async () => {
    proxy.setMode({ kind: 'delay', ms: 20 });
    const responses = await Promise.all(Array.from({ length: 4 }, (_, index) => check(index)));
    expect(responses.map(({ response }) => response.status)).toEqual([200, 404, 200, 404]);
  });
});

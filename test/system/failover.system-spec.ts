import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { checkLoop, CheckOutcome, eventually, isRightAnswer, isUnavailable, listening } from '@test/support/check-load';
import { demoEnvironment } from '@test/support/demo-directory';
import { startSecurityApi } from '@test/support/security-api';
import { DEMO, Slapd } from '@test/support/slapd';

const CONCURRENCY = 8;
const RETRY_AFTER = '7';

/**
 * Searches by the service account in slapd's log from line `from` on, leaving out the replica's own syncrepl
 * searches of the provider: what this server actually answered for us.
 */
async function serviceSearches(slapd: Slapd, from: number): Promise<number> {
  const lines = (await slapd.logLines()).slice(from);
  const serviceConnections = new Set(
    lines
      .filter((line) => line.includes(` BIND dn="${DEMO.serviceDn}" method=128`))
      .map((line) => / (conn=\d+) /.exec(line)?.[1]),
  );
  return lines.filter((line) => line.includes(' SRCH base=') && serviceConnections.has(/ (conn=\d+) /.exec(line)?.[1]))
    .length;
}

/** Every search in slapd's log from line `from` on: a replica's log has no other client than the service. */
async function searchesLogged(slapd: Slapd, from: number): Promise<number> {
  return (await slapd.logLines()).slice(from).filter((line) => line.includes(' SRCH base=')).length;
}

describe('failover between a provider and its replica (LDAP_URL lists both)', () => {
  let provider: Slapd;
  let replica: Slapd;
  let app: NestExpressApplication;
  let baseUrl: string;
  let replicaFromFailover = 0;

  beforeAll(async () => {
    provider = await Slapd.start();
    replica = await Slapd.startReplicaOf(provider);
    await replica.caughtUpWith(provider);
    // Caches off: every check reaches a directory, so each one shows which server answered it.
    ({ app } = await startSecurityApi(
      demoEnvironment(`${provider.url},${replica.url}`, {
        DIRECTORY_STALENESS_MS: '0',
        RETRY_AFTER_SECONDS: RETRY_AFTER,
        LDAP_FAILBACK_INTERVAL_MS: '200',
      }),
    ));
    baseUrl = await listening(app);
  });

  afterAll(async () => {
    await app?.close();
    await replica?.destroy();
    await provider?.destroy();
  });

  it('answers from the provider, the first URL, while it is up', async () => {
    const [providerFrom, replicaFrom] = [(await provider.logLines()).length, (await replica.logLines()).length];
    const outcomes = await checkLoop(baseUrl, { concurrency: 2, total: 10 });
    expect(outcomes.every(isRightAnswer)).toBe(true);
    expect(await serviceSearches(provider, providerFrom)).toBeGreaterThanOrEqual(10);
    expect(await searchesLogged(replica, replicaFrom)).toBe(0);
  });

  it('keeps answering from the replica when the provider stops; only checks in flight at the stop fail, with 503', async () => {
    const replicaFrom = (replicaFromFailover = (await replica.logLines()).length);
    let stopEndedAt = Infinity;
    const outcomes: CheckOutcome[] = await checkLoop(
      baseUrl,
      { concurrency: CONCURRENCY, total: 400 },
      async (answered) => {
        await eventually('the loop is under way', () => answered() >= 50);
        await provider.stop();
        stopEndedAt = performance.now();
      },
    );

    const failed = outcomes.filter((outcome) => !isRightAnswer(outcome));
    expect(failed.every((outcome) => isUnavailable(outcome, RETRY_AFTER))).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(failed.every((outcome) => outcome.startedAt < stopEndedAt)).toBe(true);
    const afterStop = outcomes.filter((outcome) => outcome.startedAt > stopEndedAt);
    expect(afterStop.length).toBeGreaterThan(100);
    expect(afterStop.every(isRightAnswer)).toBe(true);
    expect(await searchesLogged(replica, replicaFrom)).toBeGreaterThan(0);
    expect((await request(baseUrl).get('/health/ready')).status).toBe(200);
  });

  it('returns to the provider when it is back, failing no check on the way', async () => {
    const providerFrom = (await provider.logLines()).length;
    const replicaFrom = (await replica.logLines()).length;
    await provider.restart();

    let returned = false;
    const returning = await checkLoop(baseUrl, { concurrency: 4, total: 2000, enough: () => returned }, async () => {
      await eventually(
        'service searches reach the provider again',
        async () => (await serviceSearches(provider, providerFrom)) > 0,
      );
      returned = true;
    });
    expect(returning.filter((outcome) => !isRightAnswer(outcome))).toEqual([]);

    // Every search from now on reaches the provider, none the replica.
    const [providerBefore, replicaBefore] = [
      await serviceSearches(provider, providerFrom),
      await searchesLogged(replica, replicaFrom),
    ];
    expect((await checkLoop(baseUrl, { concurrency: 2, total: 20 })).every(isRightAnswer)).toBe(true);
    expect(await searchesLogged(replica, replicaFrom)).toBe(replicaBefore);
    expect((await serviceSearches(provider, providerFrom)) - providerBefore).toBeGreaterThanOrEqual(20);

    // The replaced connection to the replica is unbound once its last operations are done.
    const replicaConnections = (await replica.logLines())
      .slice(replicaFromFailover)
      .filter((line) => line.includes(` BIND dn="${DEMO.serviceDn}" method=128`))
      .map((line) => / (conn=\d+) /.exec(line)?.[1] ?? '');
    await Promise.all(replicaConnections.map((connection) => replica.connectionClosed(connection)));
  });
});

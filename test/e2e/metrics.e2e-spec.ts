import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { demoEnvironment, IDS } from '@test/support/demo-directory';
import { freePort } from '@test/support/free-port';
import { basic } from '@test/support/basic';
import { startSecurityApi } from '@test/support/security-api';
import { DEMO, Slapd } from '@test/support/slapd';

const ADMIN_PASSWORD = 'admin-secret';
const ADMIN = basic('sysadmin', ADMIN_PASSWORD);
const CHECK_ROUTE = '/api/security/users/{:userIdentifier}/groups{/:groupIdentifiers}';
const MEMBER_CHECK = '/api/security/users/tdurden/groups/Liposuction%20Technicians';
const UNKNOWN_USER = 'nobody-called-zebediah';

type Labels = Record<string, string>;

/** Prometheus's text format, version 0.0.4, in UTF-8; the parameters may come in any order. */
function expectPrometheusText(contentType: string | null | undefined): void {
  const parts = String(contentType)
    .split(';')
    .map((part) => part.trim().toLowerCase());
  expect(parts.sort()).toEqual(['charset=utf-8', 'text/plain', 'version=0.0.4']);
}

/** The value of one sample of the Prometheus text format, by name and exact labels; 0 when it is absent. */
function sampleOf(exposition: string, name: string, labels: Labels = {}): number {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) {
      continue;
    }
    const found: Labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]),
    );
    if (JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(labels).sort())) {
      return Number(match[3]);
    }
  }
  return 0;
}

/** Requests that carry identifiers and secrets a careless label would leak. */
async function sendRevealingRequests(app: NestExpressApplication): Promise<void> {
  const server = app.getHttpServer();
  await request(server).head(MEMBER_CHECK).set('Authorization', ADMIN).expect(204);
  await request(server)
    .get(`/api/security/users/${UNKNOWN_USER}/groups/Loners`)
    .set('Authorization', ADMIN)
    .expect(404);
  await request(server)
    .get(`/api/security/users/tdurden/groups/${IDS.lousTavernRegulars}`)
    .set('Authorization', ADMIN)
    .expect(404);
  await request(server)
    .head(MEMBER_CHECK)
    .set('Authorization', basic('narrator', 'wrong-guess-for-metrics'))
    .expect(401);
  await request(server).get('/api/security/no-such-route/tdurden').expect(404);
}

function expectNothingRevealed(exposition: string): void {
  for (const secret of [
    'tdurden',
    'Liposuction',
    UNKNOWN_USER,
    'Loners',
    IDS.lousTavernRegulars,
    'narrator',
    'sysadmin',
    ADMIN_PASSWORD,
    'wrong-guess-for-metrics',
    ADMIN.slice('Basic '.length),
    DEMO.servicePassword,
    'dc=fightclub',
    'no-such-route',
  ]) {
    expect({ secret, found: exposition.includes(secret) }).toEqual({ secret, found: false });
  }
}

describe('metrics on the main port, for administrators (METRICS_PORT unset)', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;

  const metrics = async (): Promise<string> => {
    const response = await request(app.getHttpServer()).get('/metrics').set('Authorization', ADMIN);
    expect(response.status).toBe(200);
    expectPrometheusText(response.headers['content-type']);
    return response.text;
  };

  beforeAll(async () => {
    slapd = await Slapd.start();
    // A short bound: whole answers are cached only once the directory has been watched for that long.
    ({ app } = await startSecurityApi(demoEnvironment(slapd.url, { DIRECTORY_STALENESS_MS: '1000' })));
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('answers 401 with the Error model without credentials, and 403 to a user who is not an administrator', async () => {
    const anonymous = await request(app.getHttpServer()).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic /);
    expect(anonymous.body).toMatchObject({ data: { reason: 'AUTHENTICATION_REQUIRED' }, type: 'error' });
    expect(anonymous.text).not.toMatch(/http_request|ldap_/);

    const member = await request(app.getHttpServer())
      .get('/metrics')
      .set('Authorization', basic('tdurden', 'soap-maker'));
    expect(member.status).toBe(403);
    expect(member.text).not.toMatch(/http_request|ldap_/);
  });

  it('counts requests by method, route pattern and status, with their latency', async () => {
    const before = await metrics();
    const checks = { method: 'HEAD', route: CHECK_ROUTE, status: '204' };

    for (let i = 0; i < 3; i++) {
      await request(app.getHttpServer()).head(MEMBER_CHECK).set('Authorization', ADMIN).expect(204);
    }
    await request(app.getHttpServer())
      .get(`/api/security/users/${UNKNOWN_USER}/groups/Loners`)
      .set('Authorization', ADMIN)
      .expect(404);
    await request(app.getHttpServer()).get('/health/live').expect(200);
    await request(app.getHttpServer()).get('/api/security/no-such-route').expect(404);

    const after = await metrics();
    const countOf = (text: string, labels: Labels) => sampleOf(text, 'http_request_duration_seconds_count', labels);
    expect(countOf(after, checks) - countOf(before, checks)).toBe(3);
    expect(sampleOf(after, 'http_request_duration_seconds_bucket', { ...checks, le: '+Inf' })).toBe(
      countOf(after, checks),
    );
    expect(sampleOf(after, 'http_request_duration_seconds_sum', checks)).toBeGreaterThan(0);
    const notFound = { method: 'GET', route: CHECK_ROUTE, status: '404' };
    expect(countOf(after, notFound) - countOf(before, notFound)).toBe(1);
    const live = { method: 'GET', route: '/health/live', status: '200' };
    expect(countOf(after, live) - countOf(before, live)).toBe(1);
    const unmatched = { method: 'GET', route: '(unmatched)', status: '404' };
    expect(countOf(after, unmatched) - countOf(before, unmatched)).toBe(1);
    // The scrape before this one, by an administrator.
    expect(countOf(after, { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(1);
  });

  it('counts LDAP operations by kind and outcome, and cache hits and misses per cache', async () => {
    const before = await metrics();

    await request(app.getHttpServer())
      .head(MEMBER_CHECK)
      .set('Authorization', basic('narrator', 'not-his-password'))
      .expect(401);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
    await request(app.getHttpServer()).head('/api/security/users/rpaulson/groups/Loners').set('Authorization', ADMIN);
    await request(app.getHttpServer()).head('/api/security/users/rpaulson/groups/Loners').set('Authorization', ADMIN);

    let after = await metrics();
    const operations = (text: string, operation: string, outcome: string) =>
      sampleOf(text, 'ldap_operation_duration_seconds_count', { operation, outcome });
    const lookups = (text: string, cache: string, result: string) =>
      sampleOf(text, 'ldap_cache_lookups_total', { cache, result });
    expect(operations(after, 'bind', 'invalid-credentials') - operations(before, 'bind', 'invalid-credentials')).toBe(
      1,
    );
    expect(operations(after, 'ping', 'ok') - operations(before, 'ping', 'ok')).toBe(1);
    expect(operations(after, 'search', 'ok')).toBeGreaterThan(operations(before, 'search', 'ok'));
    expect(lookups(after, 'answers', 'miss') - lookups(before, 'answers', 'miss')).toBeGreaterThanOrEqual(1);
    // The repeated check found the user and the group in their caches, and the administrator's login in its own.
    for (const cache of ['users', 'groups', 'logins']) {
      expect({ cache, hits: lookups(after, cache, 'hit') - lookups(before, cache, 'hit') }).toEqual({
        cache,
        hits: expect.any(Number),
      });
      expect(lookups(after, cache, 'hit')).toBeGreaterThan(lookups(before, cache, 'hit'));
    }
    expect(lookups(after, 'group-parents', 'miss')).toBeGreaterThan(0);
    // A whole answer is served once change-marker reads have vouched for it for the bound: ask until then.
    const deadline = Date.now() + 5000;
    while (lookups(after, 'answers', 'hit') === lookups(before, 'answers', 'hit') && Date.now() < deadline) {
      await request(app.getHttpServer()).head('/api/security/users/rpaulson/groups/Loners').set('Authorization', ADMIN);
      after = await metrics();
    }
    expect(lookups(after, 'answers', 'hit')).toBeGreaterThan(lookups(before, 'answers', 'hit'));
    expect(operations(after, 'read', 'ok')).toBeGreaterThan(0);
    expect(sampleOf(after, 'ldap_up')).toBe(1);
    expect(sampleOf(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('never puts an identifier, a login, a password or a DN into a label', async () => {
    await sendRevealingRequests(app);
    expectNothingRevealed(await metrics());
  });
});

describe('metrics on METRICS_PORT, for the scraper, unauthenticated', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let metricsUrl: string;

  beforeAll(async () => {
    slapd = await Slapd.start();
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    ({ app } = await startSecurityApi(demoEnvironment(slapd.url, { METRICS_PORT: String(port) })));
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('serves /metrics there without credentials, and counts what the main port answers', async () => {
    const before = await fetch(metricsUrl);
    expect(before.status).toBe(200);
    expectPrometheusText(before.headers.get('content-type'));
    const checks = { method: 'HEAD', route: CHECK_ROUTE, status: '204' };
    const countBefore = sampleOf(await before.text(), 'http_request_duration_seconds_count', checks);

    await request(app.getHttpServer()).head(MEMBER_CHECK).set('Authorization', ADMIN).expect(204);
    await request(app.getHttpServer()).head(MEMBER_CHECK).set('Authorization', ADMIN).expect(204);

    const after = await (await fetch(metricsUrl)).text();
    expect(sampleOf(after, 'http_request_duration_seconds_count', checks) - countBefore).toBe(2);
  });

  it('answers nothing but /metrics there', async () => {
    expect((await fetch(metricsUrl.replace('/metrics', '/api/security/users/tdurden/groups/Loners'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(404);
  });

  it('answers /metrics on the main port as an unknown route, to administrators and to anyone', async () => {
    for (const authorization of [ADMIN, undefined]) {
      const response = await request(app.getHttpServer())
        .get('/metrics')
        .set(authorization ? { Authorization: authorization } : {});
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ data: { reason: 'ROUTE_NOT_FOUND' }, type: 'error' });
      expect(response.text).not.toMatch(/http_request|ldap_/);
    }
  });

  it('never puts an identifier, a login, a password or a DN into a label', async () => {
    await sendRevealingRequests(app);
    expectNothingRevealed(await (await fetch(metricsUrl)).text());
  });

  // Also while the directory is down: the main port's /metrics needs the administrator's verdict from the directory
  // once the cached one is older than DIRECTORY_STALENESS_MS, and this port needs nothing.
  it('shows the directory down once operations find no server, and the readiness probe among them', async () => {
    const scrape = async (): Promise<string> => {
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      return response.text();
    };
    await slapd.stop();
    try {
      expect((await request(app.getHttpServer()).get('/health/ready')).status).toBe(503);
      const exposition = await scrape();
      expect(
        sampleOf(exposition, 'ldap_operation_duration_seconds_count', { operation: 'ping', outcome: 'unavailable' }),
      ).toBe(1);
      expect(sampleOf(exposition, 'ldap_up')).toBe(0);
    } finally {
      await slapd.restart();
    }
    expect((await request(app.getHttpServer()).get('/health/ready')).status).toBe(200);
    // A change-marker read that failed just before the restart may finish after the probe: ask until the next one.
    const deadline = Date.now() + 5000;
    let up = sampleOf(await scrape(), 'ldap_up');
    while (up !== 1 && Date.now() < deadline) {
      up = sampleOf(await scrape(), 'ldap_up');
    }
    expect(up).toBe(1);
  });

  it('stops serving the metrics when the application closes', async () => {
    const port = await freePort();
    const { app: other } = await startSecurityApi(demoEnvironment(slapd.url, { METRICS_PORT: String(port) }));
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(200);
    await other.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});

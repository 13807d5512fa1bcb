import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { makeTestCertificates, TestCertificates } from '@test/support/certificates';
import { demoEnvironment, IDS } from '@test/support/demo-directory';
import { basic } from '@test/support/basic';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';
import { DEMO, DEMO_LDIF, Slapd } from '@test/support/slapd';

const ADMIN = basic('sysadmin', 'admin-secret');
const CHECK = `/api/security/users/tdurden/groups/${IDS.paperStreetSoapCompany}`;

describe('the service over TLS to the directory', () => {
  let certificates: TestCertificates;
  let secured: Slapd;
  let plain: Slapd;
  const started: NestExpressApplication[] = [];

  async function serviceWith(
    url: string,
    variables: Record<string, string>,
  ): Promise<{ app: NestExpressApplication; logs: CapturedLogs }> {
    const service = await startSecurityApi(demoEnvironment(url, { RETRY_AFTER_SECONDS: '7', ...variables }));
    started.push(service.app);
    return service;
  }

  beforeAll(async () => {
    certificates = await makeTestCertificates();
    [secured, plain] = await Promise.all([
      Slapd.start([DEMO_LDIF], { certificate: certificates.server }),
      Slapd.start([]),
    ]);
  });

  afterAll(async () => {
    await Promise.all(started.map((app) => app.close()));
    await Promise.all([secured?.destroy(), plain?.destroy()]);
    await certificates?.remove();
  });

  it.each([
    ['LDAP_STARTTLS=true on an ldap:// URL', () => secured.url, { LDAP_STARTTLS: 'true' }],
    ['an ldaps:// URL', () => secured.ldapsUrl, {}],
  ])(
    'answers a check 204 and is ready, with %s and LDAP_TLS_CA_FILE, and no bind reaches slapd in the clear',
    async (_how, url, variables) => {
      const since = (await secured.logLines()).length;
      const { app } = await serviceWith(url(), { ...variables, LDAP_TLS_CA_FILE: certificates.caFile });

      const check = await request(app.getHttpServer()).head(CHECK).set('Authorization', ADMIN);
      const ready = await request(app.getHttpServer()).get('/health/ready');

      expect(check.status).toBe(204);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', info: { directory: { status: 'up' } } });
      const binds = (await secured.logLines()).slice(since).filter((line) => / BIND dn=".*" method=128$/.test(line));
      expect(binds.some((line) => line.includes(DEMO.serviceDn))).toBe(true);
      expect(binds.some((line) => line.includes('uid=sysadmin,'))).toBe(true);
      await expect(secured.operationsWithoutTls(since)).resolves.toEqual([]);
    },
  );

  describe.each([
    [
      'a certificate from a CA other than LDAP_TLS_CA_FILE',
      () => ({
        url: secured.url,
        slapd: secured,
        variables: { LDAP_STARTTLS: 'true', LDAP_TLS_CA_FILE: certificates.unrelatedCaFile },
      }),
      'self-signed certificate in certificate chain',
    ],
    [
      'a server that refuses StartTLS',
      () => ({
        url: plain.url,
        slapd: plain,
        variables: { LDAP_STARTTLS: 'true', LDAP_TLS_CA_FILE: certificates.caFile },
      }),
      'failed: unsupported extended operation',
    ],
  ])('with %s', (_case, setup, named) => {
    let app: NestExpressApplication;
    let logs: CapturedLogs;
    let slapd: Slapd;
    let since: number;

    beforeAll(async () => {
      const { url, variables } = setup();
      ({ slapd } = setup());
      since = (await slapd.logLines()).length;
      ({ app, logs } = await serviceWith(url, variables));
    });

    it('starts, and answers /health/ready 503, with the reason in the log and not in the body', async () => {
      const response = await request(app.getHttpServer()).get('/health/ready');

      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'error', error: { directory: { status: 'down' } } });
      expect(response.text).not.toContain(named);
      expect(logs.containing('Directory readiness check failed').join('\n')).toContain(named);
    });

    it('answers a check 503 DIRECTORY_UNAVAILABLE with Retry-After, and logs why under its logId', async () => {
      const response = await request(app.getHttpServer()).get(CHECK).set('Authorization', ADMIN);

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.body).toMatchObject({ data: { reason: 'DIRECTORY_UNAVAILABLE' }, type: 'error' });
      expect(response.text).not.toContain(named);
      expect(logs.containing(response.body.logId).join('\n')).toContain(named);
    });

    it('asked slapd for StartTLS, and never sent it a bind', async () => {
      const lines = (await slapd.logLines()).slice(since);
      expect(lines.filter((line) => line.includes('EXT oid=1.3.6.1.4.1.1466.20037')).length).toBeGreaterThan(0);
      expect(lines.filter((line) => / BIND /.test(line))).toEqual([]);
    });
  });
});

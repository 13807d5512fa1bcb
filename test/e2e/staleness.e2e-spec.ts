import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { demoEnvironment } from '@test/support/demo-directory';
import { basic } from '@test/support/basic';
import { startSecurityApi } from '@test/support/security-api';
import { DEMO, Slapd } from '@test/support/slapd';

const STALENESS_MS = 1500;
const GROUPS = `ou=groups,${DEMO.baseDn}`;
const NESTED_ADMIN = basic('opsadmin', 'ops-secret');
const CHECK = '/api/security/users/tdurden/groups/Liposuction%20Technicians';

describe('the admin check with caches on', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;

  beforeAll(async () => {
    slapd = await Slapd.start();
    ({ app } = await startSecurityApi(demoEnvironment(slapd.url, { DIRECTORY_STALENESS_MS: String(STALENESS_MS) })));
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('refuses an administrator within DIRECTORY_STALENESS_MS of the revocation, without a bind or search per request before it', async () => {
    const head = () => request(app.getHttpServer()).head(CHECK).set('Authorization', NESTED_ADMIN);
    expect((await head()).status).toBe(204);
    const logged = (await slapd.logLines()).length;
    expect((await head()).status).toBe(204);
    const warmWork = (await slapd.logLines())
      .slice(logged)
      .filter((line) => / (BIND|SRCH base=.* scope=2) /.test(line));
    expect(warmWork).toEqual([]);

    await slapd.asRoot(
      'ldapmodify',
      [],
      `dn: cn=System Administrators,${GROUPS}\nchangetype: modify\ndelete: member\nmember: cn=Platform Operators,${GROUPS}\n`,
    );
    const revokedAt = performance.now();

    let status = (await head()).status;
    while (status === 204 && performance.now() - revokedAt <= STALENESS_MS) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await head()).status;
    }
    expect(status).toBe(403);
    expect(performance.now() - revokedAt).toBeLessThanOrEqual(STALENESS_MS + 150);
  });
});

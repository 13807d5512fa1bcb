import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AD_DEMO } from '@test/support/ad-demo-data';
import { eventually } from '@test/support/check-load';
import { activeDirectoryEnvironment } from '@test/support/ad-demo-directory';
import { SERVER_START_TIMEOUT_MS } from '@test/support/demo-server';
import { expectErrorModel } from '@test/support/error-model';
import { SambaDc } from '@test/support/samba-dc';
import { basic } from '@test/support/basic';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';

const ADMIN = basic('sysadmin', 'admin-secret');

/** What only Active Directory has, through the HTTP API; the expectations both servers share are in expectations/. */
describe('Active Directory only: GUIDs, primary groups, disabled accounts, computers, StartTLS', () => {
  let dc: SambaDc;
  let app: NestExpressApplication;
  let logs: CapturedLogs;
  const extraApps: NestExpressApplication[] = [];

  const get = (path: string, authorization = ADMIN, on = app) =>
    request(on.getHttpServer()).get(`/api/security/${path}`).set('Authorization', authorization);
  const head = (path: string, authorization = ADMIN, on = app) =>
    request(on.getHttpServer()).head(`/api/security/${path}`).set('Authorization', authorization);

  beforeAll(async () => {
    dc = await SambaDc.start();
    ({ app, logs } = await startSecurityApi(activeDirectoryEnvironment(dc)));
  }, SERVER_START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([app, ...extraApps].map((started) => started?.close()));
    await dc?.destroy();
  });

  it('detects the dialect from the rootDSE at start, and says so once', async () => {
    const detected = () => logs.containing("the directory's rootDSE says active-directory").length;
    await eventually('the dialect is logged', () => detected() > 0);
    await get('users/tdurden');
    expect(detected()).toBe(1);
  });

  it("answers with objectGUIDs as Samba's own tool prints them", async () => {
    const tdurden = await get('users/tdurden');
    expect(tdurden.body).toEqual({
      id: await dc.sambaToolGuid('tdurden'),
      username: 'tdurden',
      email: 't.durden@fightclub.com',
    });
    const group = await get('groups/Paper%20Street%20Soap%20Company');
    expect(group.body).toEqual({
      id: await dc.sambaToolGuid('paper-street-soap-company'),
      name: 'Paper Street Soap Company',
    });
    expect((await head(`users/${tdurden.body.id.toUpperCase()}/groups/${group.body.id}`)).status).toBe(204);
  });

  describe("the primary group, which is in neither the user's memberOf nor the group's member list", () => {
    it('counts for the check, and so do the groups above it', async () => {
      expect((await head('users/nightworker/groups/Night%20Shift')).status).toBe(204);
      expect((await head('users/nightworker/groups/Paper%20Street%20Soap%20Company')).status).toBe(204);
      expect((await head('users/nightworker/groups/Liposuction%20Technicians')).status).toBe(404);
      expect((await head('groups/Night%20Shift/users/nightworker')).status).toBe(204);
    });

    it('is explained as the first step of the path', async () => {
      const response = await get('users/nightworker/groups/Paper%20Street%20Soap%20Company');
      expect(response.status).toBe(200);
      expect(response.body.path.map((group: { name: string }) => group.name)).toEqual([
        'Night Shift',
        'Paper Street Soap Company',
      ]);
    });

    it("is listed among the user's groups, and the user among its users", async () => {
      const groups = await get('users/nightworker/groups?includeInherited=true');
      expect(groups.body.items.map((group: { name: string }) => group.name)).toEqual([
        'Night Shift',
        'Paper Street Soap Company',
      ]);
      const users = await get('groups/Night%20Shift/users');
      expect(users.body).toMatchObject({ totalCount: 1, items: [{ id: dc.ids.nightworker, username: 'nightworker' }] });
    });
  });

  it('refuses a disabled member of System Administrators with the right password, as it refuses a wrong one', async () => {
    const disabled = await get('users/tdurden', basic('formeradmin', 'former-secret'));
    expectErrorModel(disabled, 401, 'AUTHENTICATION_REQUIRED');
    const wrong = await get('users/tdurden', basic('sysadmin', 'wrong'));
    expect({ ...disabled.body, logId: undefined }).toEqual({ ...wrong.body, logId: undefined });
  });

  it('takes a user principal name as login', async () => {
    expect(
      (await head('users/tdurden/groups/Liposuction%20Technicians', basic('sysadmin@fightclub.com', 'admin-secret')))
        .status,
    ).toBe(204);
  });

  it('knows no computer account as a user, though the computer is in the group', async () => {
    expectErrorModel(await get('users/kiosk%24/groups/Liposuction%20Technicians'), 404, 'USER_NOT_FOUND');
  });

  it('works the same with DIRECTORY_DIALECT=active-directory, StartTLS and the service account bound by its DN', async () => {
    const started = await startSecurityApi(
      activeDirectoryEnvironment(dc, {
        DIRECTORY_DIALECT: 'active-directory',
        LDAP_URL: dc.startTlsUrl,
        LDAP_STARTTLS: 'true',
        LDAP_BIND_DN: AD_DEMO.serviceDn,
      }),
    );
    extraApps.push(started.app);
    expect(started.logs.containing('rootDSE says')).toEqual([]);
    expect((await head('users/nightworker/groups/Paper%20Street%20Soap%20Company', ADMIN, started.app)).status).toBe(
      204,
    );
    expect((await request(started.app.getHttpServer()).get('/health/ready')).status).toBe(200);
  });
});

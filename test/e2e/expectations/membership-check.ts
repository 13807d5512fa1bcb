import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DemoServer, ENTRY_ID, SERVER_START_TIMEOUT_MS } from '@test/support/demo-server';
import { expectErrorModel, LOG_ID } from '@test/support/error-model';
import { basic } from '@test/support/basic';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';

const ADMIN = basic('sysadmin', 'admin-secret');
const NESTED_ADMIN = basic('opsadmin', 'ops-secret');
const NOT_ADMIN = basic('tdurden', 'soap-maker');
const users = (path: string): string => `/api/security/users/${path}`;
const CHECK_ROUTE = '/api/security/users/{:userIdentifier}/groups{/:groupIdentifiers}';

/** The membership check's expectations, against any server holding the demo data. */
export function describeMembershipCheck(start: () => Promise<DemoServer>): void {
  describe('HEAD/GET /api/security/users/{user}/groups/{groups}', () => {
    let server: DemoServer;
    let app: NestExpressApplication;
    let logs: CapturedLogs;
    const extraApps: NestExpressApplication[] = [];

    /** A path written with {tdurden}-style names of the server's ids, which are known only once it has started. */
    const withIds = (path: string): string =>
      path.replace(/\{(\w+)\}/g, (name, key: string) => {
        const id = (server.ids as Record<string, string>)[key];
        if (id === undefined) {
          throw new Error(`no demo id is called ${name}`);
        }
        return id;
      });
    const head = (path: string, authorization = ADMIN) =>
      request(app.getHttpServer()).head(users(path)).set('Authorization', authorization);
    const get = (path: string, authorization = ADMIN) =>
      request(app.getHttpServer()).get(users(path)).set('Authorization', authorization);

    async function anotherApi(overrides: Record<string, string>): Promise<NestExpressApplication> {
      const started = await startSecurityApi(server.environment(overrides));
      extraApps.push(started.app);
      return started.app;
    }

    beforeAll(async () => {
      server = await start();
      ({ app, logs } = await startSecurityApi(server.environment()));
    }, SERVER_START_TIMEOUT_MS);

    afterAll(async () => {
      await Promise.all([app, ...extraApps].map((started) => started?.close()));
      await server?.destroy();
    });

    describe("the contract's examples", () => {
      it.each([
        '{tdurden}/groups/{paperStreetSoapCompany}',
        'tdurden/groups/{paperStreetSoapCompany}',
        't.durden@fightclub.com/groups/Paper%20Street%20Soap%20Company',
        'tdurden/groups/{lousTavernRegulars},{liposuctionTechnicians}',
        't.durden@fightclub.com/groups/Paper%20Street%20Soap%20Company,Liposuction%20Technicians',
        't.durden@fightclub.com/groups/{lousTavernRegulars},Liposuction%20Technicians',
      ])('HEAD %s answers 204 with no body', async (path) => {
        const response = await head(withIds(path));
        expect(response.status).toBe(204);
        expect(response.text ?? '').toBe('');
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['x-log-id']).toMatch(LOG_ID);
        expect(logs.withLogId(response.headers['x-log-id'])).toEqual([
          expect.objectContaining({
            level: 'info',
            method: 'HEAD',
            route: CHECK_ROUTE,
            status: 204,
            msg: 'request completed',
          }),
        ]);
      });
    });

    describe('members', () => {
      it('GET explains the match: the user, the matched group and the chain from the group that lists the user', async () => {
        const response = await get(`tdurden/groups/${server.ids.lousTavernRegulars},Paper%20Street%20Soap%20Company`);
        expect(response.status).toBe(200);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.body).toEqual({
          member: true,
          user: { id: server.ids.tdurden, username: 'tdurden', email: 't.durden@fightclub.com' },
          matched: { id: server.ids.paperStreetSoapCompany, name: 'Paper Street Soap Company' },
          path: [
            { id: server.ids.liposuctionTechnicians, name: 'Liposuction Technicians' },
            { id: server.ids.paperStreetSoapCompany, name: 'Paper Street Soap Company' },
          ],
        });
      });

      it('a member of a child group at depth six is a member', async () => {
        const response = await get('rpaulson/groups/Paper%20Street%20Soap%20Company');
        expect(response.status).toBe(200);
        expect(response.body.path).toHaveLength(6);
      });

      it('a cycle in the group graph still answers correctly', async () => {
        expect((await head('narrator/groups/Paper%20Street%20Soap%20Company')).status).toBe(204);
        expect((await head('narrator/groups/System%20Administrators')).status).toBe(404);
      });

      it('%2C is a comma inside a name, not a separator', async () => {
        expect((await head('tdurden/groups/Smith%2C%20Jones')).status).toBe(204);
        expectErrorModel(await get('tdurden/groups/Smith,%20Jones'), 404, 'GROUP_NOT_FOUND');
      });

      it('matches UTF-8 names, percent-encoded', async () => {
        expect((await head('tdurden/groups/Caf%C3%A9%20Soci%C3%A9t%C3%A9')).status).toBe(204);
        expect((await head('j%C3%BCrgen/groups/Caf%C3%A9%20Soci%C3%A9t%C3%A9')).status).toBe(404);
      });

      it('duplicates in the list count once', async () => {
        expect((await head('tdurden/groups/Liposuction%20Technicians,Liposuction%20Technicians')).status).toBe(204);
      });
    });

    describe('not found', () => {
      it.each([
        ['an unknown user', 'nobody/groups/Liposuction%20Technicians', 'USER_NOT_FOUND'],
        [
          'no listed group exists',
          'tdurden/groups/No%20Such%20Group,00000000-0000-4000-8000-000000000000',
          'GROUP_NOT_FOUND',
        ],
        ['the user is in none of the groups', 'tdurden/groups/No%20Such%20Group,{lousTavernRegulars}', 'NOT_A_MEMBER'],
      ])('answers 404 for %s, with the reason', async (_case, template, reason) => {
        const path = withIds(template);
        const answer = await get(path);
        expectErrorModel(answer, 404, reason);
        const headAnswer = await head(path);
        expect(headAnswer.status).toBe(404);
        expect(headAnswer.headers['x-log-id']).toMatch(LOG_ID);
        expect(headAnswer.text ?? '').toBe('');
      });

      it('says "User not in group" for a non-member, as the seed does', async () => {
        const response = await get(`tdurden/groups/${server.ids.lousTavernRegulars}`);
        expect(response.body).toMatchObject({ message: 'User not in group', data: { reason: 'NOT_A_MEMBER' } });
      });

      it('logs each error in one request line, with the logId the client saw and the reason', async () => {
        const response = await get('nobody/groups/Loners');
        expect(logs.withLogId(response.body.logId)).toEqual([
          {
            level: 'info',
            time: expect.any(String),
            pid: process.pid,
            hostname: expect.any(String),
            logId: response.body.logId,
            method: 'GET',
            route: CHECK_ROUTE,
            url: '/api/security/users/nobody/groups/Loners',
            status: 404,
            durationMs: expect.any(Number),
            reason: 'USER_NOT_FOUND',
            msg: 'request completed',
          },
        ]);
      });
    });

    describe('ambiguity', () => {
      it('answers 409 with the candidate ids for a group name in two branches', async () => {
        const response = await get('msinger/groups/Support%20Group');
        expectErrorModel(response, 409, 'AMBIGUOUS_IDENTIFIER');
        expect(response.body.data).toEqual({
          reason: 'AMBIGUOUS_IDENTIFIER',
          identifier: 'Support Group',
          candidates: [expect.stringMatching(ENTRY_ID), expect.stringMatching(ENTRY_ID)],
        });
      });

      it('answers 409 for a username in two branches', async () => {
        const response = await get(`${encodeURIComponent(server.ambiguousUser)}/groups/Loners`);
        expectErrorModel(response, 409, 'AMBIGUOUS_IDENTIFIER');
        expect(response.body.data.candidates).toHaveLength(2);
      });

      it('resolves a value that is one user id and another username to the id', async () => {
        const response = await get(`${server.ids.tdurden}/groups/Liposuction%20Technicians`);
        expect(response.body.user).toMatchObject({ username: 'tdurden' });
      });
    });

    describe('malformed input', () => {
      it.each([
        ['an empty item', 'tdurden/groups/Loners,,Liposuction%20Technicians'],
        ['a trailing comma', 'tdurden/groups/Loners,'],
        ['a leading comma', 'tdurden/groups/,Loners'],
        [
          'more than MAX_GROUPS_PER_CHECK items',
          `tdurden/groups/${Array.from({ length: 101 }, (_, i) => `g${i}`).join(',')}`,
        ],
        ['a group name over 256 characters', `tdurden/groups/${'x'.repeat(257)}`],
        ['a user identifier over 256 characters', `${'x'.repeat(257)}/groups/Loners`],
        ['a NUL in a group name', 'tdurden/groups/Loners%00'],
        ['a line feed in a user identifier', 'tdurden%0A/groups/Loners'],
        ['a malformed escape', 'tdurden/groups/%E0%A4%A'],
        ['a stray percent sign', 'tdurden/groups/100%'],
        ['an escape that is not UTF-8', 'tdurden/groups/%C3%28'],
      ])('answers 400 for %s', async (_case, path) => {
        expectErrorModel(await get(path), 400, 'INVALID_IDENTIFIER');
        expect((await head(path)).status).toBe(400);
      });

      it.each([['an empty user identifier', '/groups/Loners']])(
        'answers 400 for %s, after the credentials are checked',
        async (_case, path) => {
          expectErrorModel(await get(path), 400, 'INVALID_IDENTIFIER');
          expect((await request(app.getHttpServer()).head(users(path))).status).toBe(401);
          expect((await head(path, NOT_ADMIN)).status).toBe(403);
        },
      );

      it("takes a path with no group list as the list of the user's groups, not as a check", async () => {
        for (const path of ['tdurden/groups/', 'tdurden/groups']) {
          const response = await get(path);
          expect(response.status).toBe(200);
          expect(response.body).toMatchObject({ pageIndex: 0, totalCount: 3 });
          expect((await request(app.getHttpServer()).head(users(path))).status).toBe(401);
          expect((await head(path, NOT_ADMIN)).status).toBe(403);
        }
      });

      it('serves the longest valid request: MAX_GROUPS_PER_CHECK names of 256 four-byte characters', async () => {
        const longest = encodeURIComponent('😀'.repeat(256));
        const list = Array.from({ length: 99 }, () => longest)
          .concat('Liposuction%20Technicians')
          .join(',');
        expect(list.length).toBeGreaterThan(300_000);
        expect((await head(`tdurden/groups/${list}`)).status).toBe(204);
      });

      it('accepts exactly MAX_GROUPS_PER_CHECK items and 256-character names', async () => {
        const hundred = Array.from({ length: 99 }, (_, i) => `g${i}`)
          .concat('Liposuction%20Technicians')
          .join(',');
        expect((await head(`tdurden/groups/${hundred}`)).status).toBe(204);
        expectErrorModel(await get(`tdurden/groups/${'x'.repeat(256)}`), 404, 'GROUP_NOT_FOUND');
      });

      it('reads MAX_GROUPS_PER_CHECK from the environment', async () => {
        const strict = await anotherApi({ MAX_GROUPS_PER_CHECK: '2' });
        const three = 'Loners,Smith%2C%20Jones,Liposuction%20Technicians';
        const response = await request(strict.getHttpServer())
          .get(users(`tdurden/groups/${three}`))
          .set('Authorization', ADMIN);
        expectErrorModel(response, 400, 'INVALID_IDENTIFIER');
      });
    });

    describe('values are only values', () => {
      it.each([
        ['a wildcard group', 'tdurden/groups/*', 404],
        ['a wildcard suffix', 'tdurden/groups/Liposuction*', 404],
        ['a filter fragment', 'tdurden/groups/x%29%28cn%3D*', 404],
        ['a widening filter', 'tdurden/groups/Liposuction%20Technicians%29%28%7C%28cn%3D*', 404],
        ['a backslash', 'tdurden/groups/%5C', 404],
        ['an escaped wildcard', 'tdurden/groups/Liposuction%5C2a', 404],
        ['a group DN', 'tdurden/groups/cn%3DLiposuction%20Technicians%2Cou%3Dgroups%2Cdc%3Dfightclub%2Cdc%3Dcom', 404],
        ['a wildcard user', '*/groups/Liposuction%20Technicians', 404],
        ['a user DN', 'uid%3Dtdurden%2Cou%3Dpeople%2Cdc%3Dfightclub%2Cdc%3Dcom/groups/Liposuction%20Technicians', 404],
      ])('never answers "member" for %s', async (_case, path, status) => {
        expect((await head(path)).status).toBe(status);
      });

      it('matches a name made of filter metacharacters exactly', async () => {
        expect((await head('narrator/groups/Wildcards%20(*)%20%26%20Parens')).status).toBe(204);
        expect((await head('narrator/groups/Back%5CSlash%20Team')).status).toBe(204);
      });
    });

    describe('who may ask', () => {
      it('answers 401 with a Basic challenge when no credentials are given', async () => {
        const response = await request(app.getHttpServer()).get(users('tdurden/groups/Loners'));
        expectErrorModel(response, 401, 'AUTHENTICATION_REQUIRED');
        expect(response.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"/);
      });

      it('answers a wrong password and an unknown login alike', async () => {
        const wrongPassword = await get('tdurden/groups/Loners', basic('sysadmin', 'wrong'));
        const unknownLogin = await get('tdurden/groups/Loners', basic('nobody', 'admin-secret'));
        for (const response of [wrongPassword, unknownLogin]) {
          expectErrorModel(response, 401, 'AUTHENTICATION_REQUIRED');
          expect(response.headers['www-authenticate']).toBeDefined();
        }
        expect({ ...wrongPassword.body, logId: undefined }).toEqual({ ...unknownLogin.body, logId: undefined });
      });

      it.each([
        ['an empty password', basic('sysadmin', '')],
        ['a control character in the login', basic('sysadmin\u0000', 'admin-secret')],
        ['another scheme', 'Bearer abc'],
        ['garbage', 'Basic !!!'],
      ])('answers 401 for %s', async (_case, authorization) => {
        expectErrorModel(await get('tdurden/groups/Loners', authorization), 401, 'AUTHENTICATION_REQUIRED');
      });

      it('lets a direct member of System Administrators ask', async () => {
        expect((await head('tdurden/groups/Liposuction%20Technicians', ADMIN)).status).toBe(204);
      });

      it('lets a member of a child group of System Administrators ask', async () => {
        expect((await head('tdurden/groups/Liposuction%20Technicians', NESTED_ADMIN)).status).toBe(204);
      });

      it('accepts the email address as login', async () => {
        expect(
          (await head('tdurden/groups/Liposuction%20Technicians', basic('ops.admin@fightclub.com', 'ops-secret')))
            .status,
        ).toBe(204);
      });

      it('answers 403 to an authenticated caller who is not an administrator, asking about someone else', async () => {
        expectErrorModel(
          await get('rpaulson/groups/Liposuction%20Technicians', NOT_ADMIN),
          403,
          'NOT_AN_ADMINISTRATOR',
        );
        expectErrorModel(await get('nobody/groups/Liposuction%20Technicians', NOT_ADMIN), 403, 'NOT_AN_ADMINISTRATOR');
      });

      it('lets a caller who is not an administrator ask about themself, as @current or by name, with an OR list', async () => {
        expect((await head('@current/groups/Loners,Liposuction%20Technicians', NOT_ADMIN)).status).toBe(204);
        expect((await head('tdurden/groups/Liposuction%20Technicians', NOT_ADMIN)).status).toBe(204);
        expectErrorModel(await get('@current/groups/Loners', NOT_ADMIN), 404, 'NOT_A_MEMBER');
        const explained = await get('@current/groups/Loners,Liposuction%20Technicians', NOT_ADMIN);
        expect(explained.status).toBe(200);
        expect(explained.body).toMatchObject({ member: true, user: { username: 'tdurden' } });
      });

      it('checks authentication, then authorisation, then input, then existence', async () => {
        expect((await request(app.getHttpServer()).head(users('tdurden/groups/a,,b'))).status).toBe(401);
        expect((await request(app.getHttpServer()).head(users('tdurden/groups/%E0%A4%A'))).status).toBe(401);
        expect((await head('rpaulson/groups/a,,b', NOT_ADMIN)).status).toBe(403);
        expect((await head('nobody/groups/Support%20Group', NOT_ADMIN)).status).toBe(403);
        expect((await head('@current/groups/a,,b', NOT_ADMIN)).status).toBe(400);
        expect((await head('tdurden/groups/a,,b', ADMIN)).status).toBe(400);
      });

      it('lets administrators in when the user id attribute does not hold UUIDs', async () => {
        const byCn = await anotherApi({ LDAP_USER_ID_ATTRIBUTE: 'cn' });
        const response = await request(byCn.getHttpServer())
          .get(users('tdurden/groups/Loners,Liposuction%20Technicians'))
          .set('Authorization', NESTED_ADMIN);
        expect(response.status).toBe(200);
        expect(response.body.user).toEqual({
          id: 'Tyler Durden',
          username: 'tdurden',
          email: 't.durden@fightclub.com',
        });
      });

      it('reads ADMIN_GROUP from the environment', async () => {
        const loners = await anotherApi({ ADMIN_GROUP: 'Loners' });
        const path = users('tdurden/groups/Liposuction%20Technicians');
        expect(
          (await request(loners.getHttpServer()).head(path).set('Authorization', basic('msinger', 'support-groups')))
            .status,
        ).toBe(204);
        expect((await request(loners.getHttpServer()).head(path).set('Authorization', ADMIN)).status).toBe(403);
      });
    });

    describe('errors leak no internals', () => {
      it('answers 500 with a generic message when the service account is rejected, and logs the cause', async () => {
        const misconfigured = await startSecurityApi(server.environment({ LDAP_BIND_PASSWORD: 'wrong-secret' }));
        extraApps.push(misconfigured.app);
        const response = await request(misconfigured.app.getHttpServer())
          .get(users('tdurden/groups/Loners'))
          .set('Authorization', ADMIN);
        expectErrorModel(response, 500, 'UNEXPECTED_ERROR');
        expect(response.text).not.toMatch(/dc=|cn=|ldap|credentials|secret|stack|\bat /i);
        expect(misconfigured.logs.containing(response.body.logId).join('\n')).toMatch(
          /InvalidCredentialsError|Invalid credentials/i,
        );
      });

      it('answers 500, not 403, when ADMIN_GROUP names several groups', async () => {
        const ambiguous = await anotherApi({ ADMIN_GROUP: 'Support Group' });
        const response = await request(ambiguous.getHttpServer())
          .get(users('tdurden/groups/Loners'))
          .set('Authorization', ADMIN);
        expectErrorModel(response, 500, 'UNEXPECTED_ERROR');
        expect(response.text).not.toMatch(/Support Group|ADMIN_GROUP/);
      });

      it('answers an unknown route with the Error model', async () => {
        const response = await request(app.getHttpServer()).get('/api/security/nothing-here');
        expectErrorModel(response, 404, 'ROUTE_NOT_FOUND');
        expect(response.text).not.toMatch(/Cannot GET/);
      });
    });

    describe('health', () => {
      it('GET /health/live answers 200 without credentials', async () => {
        const response = await request(app.getHttpServer()).get('/health/live');
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ status: 'ok' });
        expect(response.headers['cache-control']).toBe('no-store');
      });

      it('GET /health/ready answers 200 when the directory answers a bind and a base search', async () => {
        const response = await request(app.getHttpServer()).get('/health/ready');
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ status: 'ok', details: { directory: { status: 'up' } } });
      });
    });
  });
}

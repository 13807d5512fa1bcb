import { groupOrder, userOrder } from '@app/directory';
import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { expectErrorModel } from '@test/support/error-model';
import { CROWD_GROUP, crowdLdif } from '@test/support/crowd-ldif';
import { demoEnvironment, IDS } from '@test/support/demo-directory';
import { basic } from '@test/support/basic';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';
import { DEMO_LDIF, Slapd } from '@test/support/slapd';

const ADMIN = basic('sysadmin', 'admin-secret');
const NESTED_ADMIN = basic('opsadmin', 'ops-secret');
const TYLER = basic('tdurden', 'soap-maker');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SYSADMIN_ID = 'a9340f90-33c4-44d8-af94-64de816b5ad8';
const NARRATOR_ID = '3b9ca1fb-f0da-4504-8330-e18c1589d631';
const CROWD_SIZE = 520;
const CROWD_TEAMS = 30;
const crowd = crowdLdif(CROWD_SIZE, CROWD_TEAMS);

const TYLER_USER = { id: IDS.tdurden, username: 'tdurden', email: 't.durden@fightclub.com' };
const group = (name: string) => ({ id: expect.stringMatching(UUID), name });

describe('the read endpoints: users, groups, their lists and the check seen from the group', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let logs: CapturedLogs;
  let fixtureFolder: string;
  const extraApps: NestExpressApplication[] = [];

  const call = (method: 'get' | 'head', path: string, authorization?: string) => {
    const pending = request(app.getHttpServer())[method](`/api/security/${path}`);
    return authorization === undefined ? pending : pending.set('Authorization', authorization);
  };
  const get = (path: string, authorization = ADMIN) => call('get', path, authorization);
  const head = (path: string, authorization = ADMIN) => call('head', path, authorization);

  /** HEAD answers carry no body: the reason is in the log line that the X-Log-Id names. */
  function expectHeadError(response: request.Response, status: number, reason: string): void {
    expect(response.status).toBe(status);
    expect(response.text ?? '').toBe('');
    const logId = response.headers['x-log-id'];
    expect(logId).toMatch(UUID);
    expect(logs.withLogId(logId)).toEqual([expect.objectContaining({ level: 'info', method: 'HEAD', status, reason })]);
  }

  async function allPages(
    path: string,
    pageSize: number,
  ): Promise<{ items: { id: string }[]; totalCount: number; pages: number }> {
    const items = [];
    let totalCount: number;
    let pages = 0;
    for (let pageIndex = 0; ; pageIndex++) {
      const response = await get(`${path}?pageIndex=${pageIndex}&pageSize=${pageSize}`);
      expect(response.status).toBe(200);
      totalCount = response.body.totalCount;
      if (response.body.items.length === 0) {
        return { items, totalCount, pages };
      }
      pages++;
      items.push(...response.body.items);
    }
  }

  beforeAll(async () => {
    fixtureFolder = await mkdtemp(join(tmpdir(), 'read-endpoints-'));
    const crowdFile = join(fixtureFolder, 'crowd.ldif');
    await writeFile(crowdFile, crowd.ldif);
    slapd = await Slapd.start([DEMO_LDIF, crowdFile]);
    // Wrong passwords on every route would trip the login throttle, which has its own test below.
    ({ app, logs } = await startSecurityApi(
      demoEnvironment(slapd.url, { LOGIN_FAILURES_PER_LOGIN: '1000', LOGIN_FAILURES_PER_ADDRESS: '100000' }),
    ));
  });

  afterAll(async () => {
    await Promise.all([app, ...extraApps].map((started) => started?.close()));
    await slapd?.destroy();
    await rm(fixtureFolder, { recursive: true, force: true });
  });

  describe('GET /api/security/users/{user}', () => {
    it.each([['tdurden'], ['t.durden@fightclub.com'], [IDS.tdurden]])(
      'answers the user named by %s',
      async (identifier) => {
        const response = await get(`users/${encodeURIComponent(identifier)}`);
        expect(response.status).toBe(200);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.body).toEqual(TYLER_USER);
      },
    );

    it('answers the caller for @current', async () => {
      const response = await get('users/@current', NESTED_ADMIN);
      expect(response.body).toEqual({
        id: '96843c88-ee70-4fb3-bd13-8ef5d6d36bc2',
        username: 'opsadmin',
        email: 'ops.admin@fightclub.com',
      });
      expect((await get('users/%40current')).body).toMatchObject({ username: 'sysadmin' });
    });

    it('answers 404 USER_NOT_FOUND, 409 with candidates, and 400 for a malformed identifier', async () => {
      expectErrorModel(await get('users/nobody'), 404, 'USER_NOT_FOUND');
      const ambiguous = await get('users/bob');
      expectErrorModel(ambiguous, 409, 'AMBIGUOUS_IDENTIFIER');
      expect(ambiguous.body.data.candidates).toHaveLength(2);
      expectErrorModel(await get('users/tdurden%0A'), 400, 'INVALID_IDENTIFIER');
      expectErrorModel(await get(`users/${'x'.repeat(257)}`), 400, 'INVALID_IDENTIFIER');
      expectErrorModel(await get('users/'), 400, 'INVALID_IDENTIFIER');
    });

    it('takes a value as a value, never as a wildcard or a DN', async () => {
      expectErrorModel(await get('users/*'), 404, 'USER_NOT_FOUND');
      expectErrorModel(
        await get('users/uid%3Dtdurden%2Cou%3Dpeople%2Cdc%3Dfightclub%2Cdc%3Dcom'),
        404,
        'USER_NOT_FOUND',
      );
    });
  });

  describe('GET /api/security/groups/{group}', () => {
    it.each([['Paper%20Street%20Soap%20Company'], [IDS.paperStreetSoapCompany]])(
      'answers the group named by %s',
      async (identifier) => {
        const response = await get(`groups/${identifier}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ id: IDS.paperStreetSoapCompany, name: 'Paper Street Soap Company' });
      },
    );

    it('answers 404 GROUP_NOT_FOUND, 409 with candidates, and 400 for a malformed identifier', async () => {
      expectErrorModel(await get('groups/No%20Such%20Group'), 404, 'GROUP_NOT_FOUND');
      expectErrorModel(await get('groups/Liposuction*'), 404, 'GROUP_NOT_FOUND');
      const ambiguous = await get('groups/Support%20Group');
      expectErrorModel(ambiguous, 409, 'AMBIGUOUS_IDENTIFIER');
      expect(ambiguous.body.data.candidates).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
      expectErrorModel(await get('groups/%E0%A4%A'), 400, 'INVALID_IDENTIFIER');
    });

    it('keeps a comma as part of a name', async () => {
      expect((await get('groups/Smith,%20Jones')).body).toEqual({
        id: 'ba09dd20-0f21-475b-94cf-d519f76d6fab',
        name: 'Smith, Jones',
      });
    });
  });

  describe('GET /api/security/users/{user}/groups', () => {
    const emptyPageOf = (totalCount: number, pageIndex = 0, pageSize = 25) => ({
      pageIndex,
      pageSize,
      totalCount,
      pageCount: Math.ceil(totalCount / pageSize),
      items: [],
    });

    it('lists the groups that list the user themselves by default, by name', async () => {
      const response = await get('users/tdurden/groups');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        pageIndex: 0,
        pageSize: 25,
        totalCount: 3,
        pageCount: 1,
        items: [
          group('Café Société'),
          { id: IDS.liposuctionTechnicians, name: 'Liposuction Technicians' },
          { id: 'ba09dd20-0f21-475b-94cf-d519f76d6fab', name: 'Smith, Jones' },
        ],
      });
      expect((await get('users/tdurden/groups?includeInherited=false')).body).toEqual(response.body);
    });

    it('with includeInherited=true also lists every group above those, at any depth and through a cycle', async () => {
      const tyler = await get('users/tdurden/groups?includeInherited=true');
      expect(tyler.body.items.map((found: { name: string }) => found.name)).toEqual([
        'Café Société',
        'Liposuction Technicians',
        'Paper Street Soap Company',
        'Smith, Jones',
      ]);
      const robert = await get('users/rpaulson/groups?includeInherited=TRUE');
      expect(robert.body.items.map((found: { name: string }) => found.name)).toEqual([
        'Arson Committee',
        'Assault Committee',
        'Fight Club',
        'Mischief Committee',
        'Paper Street Soap Company',
        'Project Mayhem',
        'Space Monkeys',
      ]);
      expect((await get('users/rpaulson/groups')).body.items).toEqual([group('Space Monkeys')]);
    });

    it('pages the list: boundaries, totalCount and pageCount', async () => {
      const path = 'users/tdurden/groups?includeInherited=true&pageSize=3';
      expect((await get(`${path}&pageIndex=0`)).body).toMatchObject({
        pageIndex: 0,
        pageSize: 3,
        totalCount: 4,
        pageCount: 2,
      });
      expect((await get(`${path}&pageIndex=1`)).body).toEqual({
        pageIndex: 1,
        pageSize: 3,
        totalCount: 4,
        pageCount: 2,
        items: [{ id: 'ba09dd20-0f21-475b-94cf-d519f76d6fab', name: 'Smith, Jones' }],
      });
      expect((await get(`${path}&pageIndex=2`)).body).toEqual(emptyPageOf(4, 2, 3));
    });

    it('lists the groups of the caller for @current', async () => {
      const response = await get('users/@current/groups?includeInherited=true', NESTED_ADMIN);
      expect(response.body.items).toEqual([group('Platform Operators'), group('System Administrators')]);
    });

    it('answers a user in no group with an empty page', async () => {
      expect((await get('users/lookalike%40fightclub.com/groups')).body).toEqual(emptyPageOf(0));
    });

    it('answers 404 USER_NOT_FOUND and 409 for an ambiguous user', async () => {
      expectErrorModel(await get('users/nobody/groups'), 404, 'USER_NOT_FOUND');
      expectErrorModel(await get('users/bob/groups?includeInherited=true'), 409, 'AMBIGUOUS_IDENTIFIER');
    });

    it.each([
      ['includeInherited=yes', 'includeInherited', 'NOT_TRUE_OR_FALSE'],
      ['includeInherited=', 'includeInherited', 'NOT_TRUE_OR_FALSE'],
      ['includeInherited=true&includeInherited=false', 'includeInherited', 'REPEATED'],
    ])('answers 400 for ?%s', async (query, parameter, problem) => {
      const response = await get(`users/tdurden/groups?${query}`);
      expectErrorModel(response, 400, 'INVALID_QUERY_PARAMETER');
      expect(response.body.data).toEqual({ reason: 'INVALID_QUERY_PARAMETER', parameter, problem });
    });
  });

  describe('GET /api/security/groups/{group}/users and /groups', () => {
    it('lists the users a group lists itself, by username', async () => {
      expect((await get("groups/Lou's%20Tavern%20Regulars/users")).body).toEqual({
        pageIndex: 0,
        pageSize: 25,
        totalCount: 2,
        pageCount: 1,
        items: [
          { id: 'c43d3135-a9fb-4680-9443-b8dd8c0ff688', username: 'angelface', email: 'angel@fightclub.com' },
          { id: NARRATOR_ID, username: 'narrator', email: 'narrator@fightclub.com' },
        ],
      });
    });

    it('lists the groups a group lists itself, not their members or their children', async () => {
      const children = await get(`groups/${IDS.paperStreetSoapCompany}/groups`);
      expect(children.body.items).toEqual([
        { id: IDS.liposuctionTechnicians, name: 'Liposuction Technicians' },
        { id: '2018b3ae-fe92-4ba0-a8fb-8339f50566f4', name: 'Project Mayhem' },
      ]);
      expect((await get(`groups/${IDS.paperStreetSoapCompany}/users`)).body).toMatchObject({
        totalCount: 0,
        pageCount: 0,
        items: [],
      });
      expect((await get('groups/Liposuction%20Technicians/groups')).body).toMatchObject({ totalCount: 0, items: [] });
    });

    it('lists a group of more users than one LDAP answer holds, every one once, in a stable order across pages', async () => {
      const { items, totalCount, pages } = await allPages(`groups/${CROWD_GROUP}/users`, 100);
      expect(totalCount).toBe(CROWD_SIZE + 2);
      expect(pages).toBe(6);
      expect(items.map((user) => (user as unknown as { username: string }).username).sort()).toEqual(
        [...crowd.usernames].sort(),
      );
      expect(new Set(items.map((user) => user.id)).size).toBe(items.length);
      expect(items).toEqual([...items].sort(userOrder as (a: unknown, b: unknown) => number));
      expect(items.slice(0, 2)).toEqual([
        expect.objectContaining({ username: 'Crowd-0000' }),
        expect.objectContaining({ username: 'crowd-0001' }),
      ]);

      const bySeven = await allPages(`groups/${CROWD_GROUP}/users`, 7);
      expect(bySeven.items).toEqual(items);
      expect(bySeven.pages).toBe(Math.ceil((CROWD_SIZE + 2) / 7));
    });

    it('orders users with the same username by id', async () => {
      const lastPage = await get(`groups/${CROWD_GROUP}/users?pageIndex=20`);
      expect(lastPage.body).toMatchObject({ pageIndex: 20, pageSize: 25, totalCount: CROWD_SIZE + 2, pageCount: 21 });
      expect(lastPage.body.items).toHaveLength(CROWD_SIZE + 2 - 500);
      const twins = lastPage.body.items.filter((user: { username: string }) => user.username === 'twin');
      expect(twins).toHaveLength(2);
      expect(twins[0].id < twins[1].id).toBe(true);
    });

    it('pages the child groups of a group', async () => {
      const { items, totalCount } = await allPages(`groups/${CROWD_GROUP}/groups`, 4);
      expect(totalCount).toBe(CROWD_TEAMS);
      expect(items).toEqual([...items].sort(groupOrder as (a: unknown, b: unknown) => number));
      expect(items.map((found) => (found as unknown as { name: string }).name)).toEqual([...crowd.teamNames].sort());
    });

    it('answers 404 GROUP_NOT_FOUND and 409 for an ambiguous group', async () => {
      expectErrorModel(await get('groups/No%20Such%20Group/users'), 404, 'GROUP_NOT_FOUND');
      expectErrorModel(await get('groups/No%20Such%20Group/groups'), 404, 'GROUP_NOT_FOUND');
      expectErrorModel(await get('groups/Support%20Group/users'), 409, 'AMBIGUOUS_IDENTIFIER');
      expectErrorModel(await get('groups//users'), 400, 'INVALID_IDENTIFIER');
    });
  });

  describe('paging parameters', () => {
    it.each([
      ['pageSize=0', 'pageSize', 'OUT_OF_RANGE'],
      ['pageSize=101', 'pageSize', 'OUT_OF_RANGE'],
      ['pageSize=-1', 'pageSize', 'NOT_A_WHOLE_NUMBER'],
      ['pageSize=1.5', 'pageSize', 'NOT_A_WHOLE_NUMBER'],
      ['pageSize=ten', 'pageSize', 'NOT_A_WHOLE_NUMBER'],
      ['pageSize=', 'pageSize', 'NOT_A_WHOLE_NUMBER'],
      ['pageSize=10&pageSize=20', 'pageSize', 'REPEATED'],
      ['pageIndex=-1', 'pageIndex', 'NOT_A_WHOLE_NUMBER'],
      ['pageIndex=1e3', 'pageIndex', 'NOT_A_WHOLE_NUMBER'],
      ['pageIndex=99999999999999999999', 'pageIndex', 'OUT_OF_RANGE'],
      ['pageIndex=100&pageSize=100', 'pageIndex', 'OUT_OF_RANGE'],
      ['pageIndex=400', 'pageIndex', 'OUT_OF_RANGE'],
    ])('answers 400 for ?%s, naming the parameter and the problem', async (query, parameter, problem) => {
      for (const path of ['users/tdurden/groups', `groups/${CROWD_GROUP}/users`, `groups/${CROWD_GROUP}/groups`]) {
        const response = await get(`${path}?${query}`);
        expectErrorModel(response, 400, 'INVALID_QUERY_PARAMETER');
        expect(response.body.data).toEqual({ reason: 'INVALID_QUERY_PARAMETER', parameter, problem });
      }
    });

    it('accepts the largest page size and the deepest page', async () => {
      expect((await get(`groups/${CROWD_GROUP}/users?pageSize=100`)).body.items).toHaveLength(100);
      expect((await get(`groups/${CROWD_GROUP}/users?pageIndex=99&pageSize=100`)).body).toMatchObject({
        pageIndex: 99,
        items: [],
      });
      expect((await get(`groups/${CROWD_GROUP}/users?pageIndex=399`)).body).toMatchObject({
        pageIndex: 399,
        items: [],
      });
    });
  });

  describe('HEAD /api/security/groups/{group}/users/{user}', () => {
    it.each([
      [`${IDS.paperStreetSoapCompany}/users/${IDS.tdurden}`],
      ['Paper%20Street%20Soap%20Company/users/t.durden%40fightclub.com'],
      ['Paper%20Street%20Soap%20Company/users/rpaulson'],
      ['Smith,%20Jones/users/tdurden'],
      ['Smith%2C%20Jones/users/tdurden'],
    ])('answers 204 with no body for a direct or nested member: %s', async (path) => {
      const response = await head(`groups/${path}`);
      expect(response.status).toBe(204);
      expect(response.text ?? '').toBe('');
      expect(response.headers['x-log-id']).toMatch(UUID);
    });

    it.each([
      ['Paper%20Street%20Soap%20Company/users/nobody', 404, 'USER_NOT_FOUND'],
      ['No%20Such%20Group/users/tdurden', 404, 'GROUP_NOT_FOUND'],
      [`${IDS.lousTavernRegulars}/users/tdurden`, 404, 'NOT_A_MEMBER'],
      ['System%20Administrators/users/narrator', 404, 'NOT_A_MEMBER'],
      ['Support%20Group/users/msinger', 409, 'AMBIGUOUS_IDENTIFIER'],
      ['Loners/users/bob', 409, 'AMBIGUOUS_IDENTIFIER'],
      ['Loners,,x/users/tdurden', 404, 'GROUP_NOT_FOUND'],
      ['%E0%A4%A/users/tdurden', 400, 'INVALID_IDENTIFIER'],
      ['Loners/users/tdurden%00', 400, 'INVALID_IDENTIFIER'],
      ['/users/tdurden', 400, 'INVALID_IDENTIFIER'],
      ['Loners/users/', 400, 'INVALID_IDENTIFIER'],
    ])('%s answers %s %s', async (path, status, reason) => {
      expectHeadError(await head(`groups/${path}`), status, reason);
    });

    it('answers for the caller with @current', async () => {
      expect((await head('groups/System%20Administrators/users/@current', NESTED_ADMIN)).status).toBe(204);
      expect((await head('groups/Loners/users/@current', NESTED_ADMIN)).status).toBe(404);
    });
  });

  describe('@current in the membership check', () => {
    it('is the caller', async () => {
      expect((await head('users/@current/groups/System%20Administrators', NESTED_ADMIN)).status).toBe(204);
      const explained = await get('users/%40current/groups/Loners,Platform%20Operators', NESTED_ADMIN);
      expect(explained.body).toMatchObject({
        member: true,
        user: { username: 'opsadmin' },
        matched: { name: 'Platform Operators' },
      });
      expectErrorModel(await get('users/@current/groups/Loners'), 404, 'NOT_A_MEMBER');
    });
  });

  describe('who may ask', () => {
    const adminOnly = [
      ['get', 'users/tdurden'],
      ['get', 'users/@current'],
      ['get', 'users/tdurden/groups'],
      ['get', 'users/@current/groups?includeInherited=true'],
      ['get', 'groups/Loners'],
      ['get', 'groups/Loners/users'],
      ['get', 'groups/Loners/groups'],
    ] as const;
    const every = [
      ...adminOnly,
      ['head', 'groups/Loners/users/tdurden'],
      ['head', 'groups/Loners/users/@current'],
    ] as const;

    it.each(every)(
      '%s %s answers 401 with a Basic challenge without credentials, and for a wrong password',
      async (method, path) => {
        for (const authorization of [undefined, basic('sysadmin', 'wrong')]) {
          const response = await call(method, path, authorization);
          expect(response.status).toBe(401);
          expect(response.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"/);
        }
      },
    );

    it.each(adminOnly)(
      '%s %s answers 403 to a caller who is not an administrator, even about themself',
      async (method, path) => {
        expectErrorModel(await call(method, path, TYLER), 403, 'NOT_AN_ADMINISTRATOR');
      },
    );

    it('checks credentials before input: 401, then 403, then 400', async () => {
      expect((await call('get', 'users/tdurden/groups?pageSize=0')).status).toBe(401);
      expect((await get('users/tdurden/groups?pageSize=0', TYLER)).status).toBe(403);
      expect((await get('users/%E0%A4%A', TYLER)).status).toBe(403);
      expect((await get('users/tdurden/groups?pageSize=0')).status).toBe(400);
    });

    it.each([['tdurden'], ['t.durden%40fightclub.com'], [IDS.tdurden], ['@current']])(
      'lets a user who is not an administrator check their own membership, named by %s',
      async (self) => {
        expect((await head(`groups/Paper%20Street%20Soap%20Company/users/${self}`, TYLER)).status).toBe(204);
        expectHeadError(await head(`groups/${IDS.lousTavernRegulars}/users/${self}`, TYLER), 404, 'NOT_A_MEMBER');
      },
    );

    it('answers 403 to a non-administrator asking about anyone else, alike whether that user exists', async () => {
      const others = ['narrator', NARRATOR_ID, 'sysadmin', 'nobody', 'bob', '*', 'tdurden%0A', '%E0%A4%A', ''];
      for (const other of others) {
        const response = await head(`groups/Lou's%20Tavern%20Regulars/users/${other}`, TYLER);
        expect(response.status).toBe(403);
        expect(logs.withLogId(response.headers['x-log-id'])).toEqual([
          expect.objectContaining({ status: 403, reason: 'NOT_AN_ADMINISTRATOR' }),
        ]);
      }
      for (const group of ['Loners', 'No%20Such%20Group', 'Support%20Group', '%E0%A4%A']) {
        expect((await head(`groups/${group}/users/narrator`, TYLER)).status).toBe(403);
      }
    });

    it("resolves the asked-about identifier by the usual precedence: a username that is another user's id names that user", async () => {
      const lookalike = basic(IDS.tdurden, 'lookalike-secret');
      expect((await head(`groups/Liposuction%20Technicians/users/${IDS.tdurden}`, lookalike)).status).toBe(403);
      expectHeadError(
        await head('groups/Liposuction%20Technicians/users/lookalike%40fightclub.com', lookalike),
        404,
        'NOT_A_MEMBER',
      );
      expect(
        (await head('groups/Liposuction%20Technicians/users/8c05213a-d153-4e47-ae24-023667a1fbe3', lookalike)).status,
      ).toBe(404);
    });

    it('lets administrators, direct and nested, ask about anyone', async () => {
      expect((await head(`groups/Liposuction%20Technicians/users/tdurden`, ADMIN)).status).toBe(204);
      expect((await head(`groups/Liposuction%20Technicians/users/tdurden`, NESTED_ADMIN)).status).toBe(204);
      expect((await get(`users/${SYSADMIN_ID}`, NESTED_ADMIN)).body).toMatchObject({ username: 'sysadmin' });
    });

    it('still lets a user check themself when ADMIN_GROUP is missing from the directory', async () => {
      const started = await startSecurityApi(demoEnvironment(slapd.url, { ADMIN_GROUP: 'No Such Group' }));
      extraApps.push(started.app);
      const server = started.app.getHttpServer();
      expect(
        (
          await request(server)
            .head('/api/security/groups/Liposuction%20Technicians/users/@current')
            .set('Authorization', TYLER)
        ).status,
      ).toBe(204);
      expect(
        (
          await request(server)
            .head('/api/security/groups/Liposuction%20Technicians/users/narrator')
            .set('Authorization', TYLER)
        ).status,
      ).toBe(403);
    });

    it('refuses a login that failed too often with 429 on the new routes too, self-access included', async () => {
      const started = await startSecurityApi(demoEnvironment(slapd.url, { LOGIN_FAILURES_PER_LOGIN: '2' }));
      extraApps.push(started.app);
      const server = started.app.getHttpServer();
      const self = '/api/security/groups/Liposuction%20Technicians/users/@current';
      for (const guess of ['guess-1', 'guess-2']) {
        expect((await request(server).head(self).set('Authorization', basic('tdurden', guess))).status).toBe(401);
      }
      const refused = await request(server).get('/api/security/users/@current').set('Authorization', TYLER);
      expectErrorModel(refused, 429, 'TOO_MANY_FAILED_LOGINS');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await request(server).head(self).set('Authorization', TYLER)).status).toBe(429);
    });
  });
});

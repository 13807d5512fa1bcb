import {
  Directory,
  DirectoryError,
  DirectoryModule,
  DirectoryOptions,
  DirectoryUnavailableError,
  MembershipAnswer,
} from '@app/directory';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDirectoryOptions, IDS } from '@test/support/demo-directory';
import { DEMO, DEMO_LDIF, Slapd } from '@test/support/slapd';

const PEOPLE = `ou=people,${DEMO.baseDn}`;
const GROUPS = `ou=groups,${DEMO.baseDn}`;

describe('LdapDirectory against a real slapd', () => {
  let slapd: Slapd;
  let sut: Directory;
  const opened: Array<{ close: () => Promise<void> }> = [];

  // These tests are about what the directory answers, so every call reaches it; the caches have their own suite.
  async function directoryWith(overrides: Partial<DirectoryOptions> = {}): Promise<Directory> {
    const moduleRef = await Test.createTestingModule({
      imports: [DirectoryModule.forRoot(demoDirectoryOptions(slapd.url, { stalenessMs: 0, ...overrides }))],
    }).compile();
    opened.push(moduleRef);
    return moduleRef.get(Directory);
  }

  const pathNames = (answer: MembershipAnswer): string[] =>
    answer.kind === 'member' ? answer.path.map((group) => group.name) : [];

  beforeAll(async () => {
    slapd = await Slapd.start();
    sut = await directoryWith();
  });

  afterAll(async () => {
    await Promise.all(opened.map((moduleRef) => moduleRef.close()));
    await slapd?.destroy();
  });

  describe('finding users', () => {
    it.each([
      ['username', 'tdurden'],
      ['email', 't.durden@fightclub.com'],
      ['id', IDS.tdurden],
      ['id in upper case', IDS.tdurden.toUpperCase()],
      ['username in another case, as the directory matches uid', 'TDurden'],
    ])('finds a user by %s', async (_kind, identifier) => {
      await expect(sut.findUser(identifier)).resolves.toEqual({
        kind: 'found',
        user: { id: IDS.tdurden, username: 'tdurden', email: 't.durden@fightclub.com' },
      });
    });

    it('finds a user whose username is UTF-8', async () => {
      const lookup = await sut.findUser('jürgen');
      expect(lookup).toMatchObject({ kind: 'found', user: { username: 'jürgen', email: 'juergen@fightclub.com' } });
    });

    it('prefers the id when a value is one user id and another user name', async () => {
      // uid=9f02a3d1-… is a different user whose username is tdurden's id.
      const lookup = await sut.findUser(IDS.tdurden);
      expect(lookup).toMatchObject({ kind: 'found', user: { username: 'tdurden' } });
    });

    it('prefers the username when a value is one user name and another user email', async () => {
      const lookup = await sut.findUser('angel@fightclub.com');
      expect(lookup).toMatchObject({
        kind: 'found',
        user: { username: 'angel@fightclub.com', email: 'impostor@fightclub.com' },
      });
    });

    it('answers ambiguous, with both ids, when a username exists in two branches', async () => {
      const lookup = await sut.findUser('bob');
      expect(lookup.kind).toBe('ambiguous');
      const people = await sut.findUser('bob@fightclub.com');
      const contractors = await sut.findUser('bob@contractors.fightclub.com');
      const ids = [people, contractors].map((found) => (found.kind === 'found' ? found.user.id : undefined));
      expect(lookup).toEqual({ kind: 'ambiguous', identifier: 'bob', candidateIds: expect.arrayContaining(ids) });
    });

    it.each([
      ['an unknown name', 'nobody'],
      ['a wildcard', '*'],
      ['a wildcard suffix', 'tdur*'],
      ['a filter fragment', 'tdurden)(uid=*'],
      ['a filter that closes and widens', '*)(|(objectClass=*'],
      ['a backslash escape', 'tdurden\\2a'],
      ['a NUL byte', 'tdurden\u0000'],
      ['a DN, which is never taken as one', `uid=tdurden,${PEOPLE}`],
      ['a UUID that is nobody', '00000000-0000-4000-8000-000000000000'],
    ])('does not find %s', async (_kind, identifier) => {
      await expect(sut.findUser(identifier)).resolves.toEqual({ kind: 'not-found' });
    });
  });

  describe('finding groups', () => {
    it.each([
      ['name', 'Paper Street Soap Company'],
      ['name in another case', 'paper street soap company'],
      ['id', IDS.paperStreetSoapCompany],
    ])('finds a group by %s', async (_kind, identifier) => {
      await expect(sut.findGroup(identifier)).resolves.toEqual({
        kind: 'found',
        group: { id: IDS.paperStreetSoapCompany, name: 'Paper Street Soap Company' },
      });
    });

    it('answers ambiguous for a name in two branches, and not found for a wildcard', async () => {
      await expect(sut.findGroup('Support Group')).resolves.toMatchObject({
        kind: 'ambiguous',
        candidateIds: expect.any(Array),
      });
      await expect(sut.findGroup('*')).resolves.toEqual({ kind: 'not-found' });
    });
  });

  describe('checking membership', () => {
    it('a direct member is a member, with the one group as its path', async () => {
      const answer = await sut.checkMembership('tdurden', ['Liposuction Technicians']);
      expect(answer).toMatchObject({
        kind: 'member',
        matched: { id: IDS.liposuctionTechnicians, name: 'Liposuction Technicians' },
      });
      expect(pathNames(answer)).toEqual(['Liposuction Technicians']);
    });

    it('a member of a child group of the specified group is a member', async () => {
      const answer = await sut.checkMembership('tdurden', [IDS.paperStreetSoapCompany]);
      expect(answer).toMatchObject({ kind: 'member', matched: { name: 'Paper Street Soap Company' } });
      expect(pathNames(answer)).toEqual(['Liposuction Technicians', 'Paper Street Soap Company']);
    });

    it('costs one batched search per level above the direct groups, whatever the number of groups per level', async () => {
      const levelSearches = async () =>
        (await slapd.logLines()).filter((line) =>
          / SRCH base="ou=groups,[^"]*" scope=2 deref=0 filter="\(&\(objectClass=groupOfNames\)\(\|?\(member=/i.test(
            line,
          ),
        ).length;
      const before = await levelSearches();
      await expect(sut.checkMembership('rpaulson', ['Paper Street Soap Company'])).resolves.toMatchObject({
        kind: 'member',
      });
      // Level 1 comes with the user's own memberOf; levels 2 to 6 take one search each.
      expect((await levelSearches()) - before).toBe(5);
    });

    it('follows child groups six levels deep, naming every group on the way', async () => {
      const answer = await sut.checkMembership('rpaulson', ['Paper Street Soap Company']);
      expect(pathNames(answer)).toEqual([
        'Space Monkeys',
        'Assault Committee',
        'Mischief Committee',
        'Arson Committee',
        'Project Mayhem',
        'Paper Street Soap Company',
      ]);
    });

    it('terminates in a cycle and still finds a group reached through it', async () => {
      const answer = await sut.checkMembership('narrator', ['Paper Street Soap Company']);
      expect(pathNames(answer)).toEqual(['Fight Club', 'Project Mayhem', 'Paper Street Soap Company']);
    });

    it('terminates in a cycle and answers not a member when the group is not reachable', async () => {
      await expect(sut.checkMembership('narrator', ['System Administrators'])).resolves.toMatchObject({
        kind: 'not-a-member',
      });
    });

    it('is a member when any listed group matches (OR), whatever its position', async () => {
      const answer = await sut.checkMembership('tdurden', [IDS.lousTavernRegulars, 'Liposuction Technicians']);
      expect(answer).toMatchObject({ kind: 'member', matched: { name: 'Liposuction Technicians' } });
    });

    it('prefers the nearest group, then the earliest listed, when several listed groups match', async () => {
      const nearest = await sut.checkMembership('tdurden', ['Paper Street Soap Company', 'Liposuction Technicians']);
      expect(nearest).toMatchObject({ matched: { name: 'Liposuction Technicians' } });
      const earliest = await sut.checkMembership('tdurden', ['Smith, Jones', 'Liposuction Technicians']);
      expect(earliest).toMatchObject({ matched: { name: 'Smith, Jones' } });
    });

    it('ignores unknown groups while another listed group exists', async () => {
      await expect(sut.checkMembership('tdurden', ['No Such Group', 'Liposuction Technicians'])).resolves.toMatchObject(
        {
          kind: 'member',
        },
      );
      await expect(sut.checkMembership('tdurden', ['No Such Group', IDS.lousTavernRegulars])).resolves.toMatchObject({
        kind: 'not-a-member',
      });
    });

    it('answers no group found when no listed group exists', async () => {
      const answer = await sut.checkMembership('tdurden', ['No Such Group', '00000000-0000-4000-8000-000000000000']);
      expect(answer).toMatchObject({ kind: 'no-group-found', user: { username: 'tdurden' } });
    });

    it('answers user not found before looking at the groups', async () => {
      await expect(sut.checkMembership('nobody', ['Support Group'])).resolves.toEqual({ kind: 'user-not-found' });
    });

    it('answers ambiguous, with the candidate ids, for a group name in two branches', async () => {
      const answer = await sut.checkMembership('msinger', ['Loners', 'Support Group']);
      expect(answer).toEqual({ kind: 'ambiguous', identifier: 'Support Group', candidateIds: expect.any(Array) });
      expect(answer.kind === 'ambiguous' && answer.candidateIds).toHaveLength(2);
    });

    it('answers ambiguous for an ambiguous user', async () => {
      await expect(sut.checkMembership('bob', ['Loners'])).resolves.toMatchObject({
        kind: 'ambiguous',
        identifier: 'bob',
      });
    });

    it.each([
      ['a comma', 'Smith, Jones', 'tdurden'],
      ['a backslash', 'Back\\Slash Team', 'narrator'],
      ['filter metacharacters', 'Wildcards (*) & Parens', 'narrator'],
      ['UTF-8', 'Café Société', 'tdurden'],
      ['another case than stored', 'liposuction technicians', 'tdurden'],
    ])('matches a group name with %s as a plain value', async (_kind, name, user) => {
      await expect(sut.checkMembership(user, [name])).resolves.toMatchObject({ kind: 'member' });
    });

    it.each([
      ['a wildcard', '*'],
      ['a wildcard suffix', 'Liposuction*'],
      ['a filter fragment', 'x)(cn=*'],
      ['a filter that closes and widens', 'Liposuction Technicians)(|(cn=*'],
      ['an escaped wildcard', 'Liposuction\\2a'],
      ['a NUL byte', 'Liposuction Technicians\u0000'],
      ['a DN, which is never taken as one', `cn=Liposuction Technicians,${GROUPS}`],
    ])('never widens a group lookup given %s', async (_kind, name) => {
      await expect(sut.checkMembership('tdurden', [name])).resolves.toMatchObject({ kind: 'no-group-found' });
    });

    it('stops at MAX_NESTING_DEPTH, answers not a member and logs a warning', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        const shallow = await directoryWith({ maxNestingDepth: 5 });
        await expect(shallow.checkMembership('rpaulson', ['Paper Street Soap Company'])).resolves.toMatchObject({
          kind: 'not-a-member',
        });
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('MAX_NESTING_DEPTH=5'));
        const exact = await directoryWith({ maxNestingDepth: 6 });
        await expect(exact.checkMembership('rpaulson', ['Paper Street Soap Company'])).resolves.toMatchObject({
          kind: 'member',
        });
      } finally {
        warn.mockRestore();
      }
    });

    it('sees a membership change in the directory on the next check', async () => {
      const change = (operation: 'add' | 'delete') =>
        slapd.asRoot(
          'ldapmodify',
          [],
          `dn: cn=Loners,${GROUPS}\nchangetype: modify\n${operation}: member\nmember: uid=tdurden,${PEOPLE}\n`,
        );
      await expect(sut.checkMembership('tdurden', ['Loners'])).resolves.toMatchObject({ kind: 'not-a-member' });
      await change('add');
      try {
        await expect(sut.checkMembership('tdurden', ['Loners'])).resolves.toMatchObject({ kind: 'member' });
      } finally {
        await change('delete');
      }
      await expect(sut.checkMembership('tdurden', ['Loners'])).resolves.toMatchObject({ kind: 'not-a-member' });
    });
  });

  describe('authenticating', () => {
    it.each([
      ['username', 'sysadmin'],
      ['email', 'sysadmin@fightclub.com'],
    ])('accepts the right password with the %s as login', async (_kind, login) => {
      await expect(sut.authenticate(login, 'admin-secret')).resolves.toMatchObject({ username: 'sysadmin' });
    });

    it.each([
      ['a wrong password', 'sysadmin', 'wrong'],
      ['an unknown login', 'nobody', 'admin-secret'],
      ['an ambiguous login', 'bob', 'bob-people'],
      ['an id, which is not a login', IDS.tdurden, 'soap-maker'],
      ['a wildcard login', '*', 'admin-secret'],
    ])('refuses %s', async (_kind, login, password) => {
      await expect(sut.authenticate(login, password)).resolves.toBeUndefined();
    });

    it('costs the directory the same for a login that names nobody as for a wrong password', async () => {
      const workOf = async (login: string, password: string) => {
        const from = (await slapd.logLines()).length;
        await expect(sut.authenticate(login, password)).resolves.toBeUndefined();
        const lines = (await slapd.logLines()).slice(from);
        const count = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
        return {
          searches: count(/ SRCH base=/),
          userBinds: lines.filter((line) => / BIND dn=".+" method=128/.test(line) && !line.includes(DEMO.serviceDn))
            .length,
          refusedBinds: count(/ RESULT tag=97 err=49 /),
          unbinds: count(/ UNBIND$/),
        };
      };

      const wrongPassword = await workOf('rpaulson', 'not-his-name');
      const nobody = await workOf('nobody-at-all', 'not-his-name');

      expect(wrongPassword).toEqual({ searches: 1, userBinds: 1, refusedBinds: 1, unbinds: 1 });
      expect(nobody).toEqual(wrongPassword);
    });

    it("closes the user's connection after the password check, whether the password was right or wrong", async () => {
      await sut.authenticate('narrator', 'insomnia');
      await sut.authenticate('narrator', 'wrong');
      const connections = await slapd.connectionsThatBound(`uid=narrator,${PEOPLE}`);
      expect(connections).toHaveLength(2);
      await Promise.all(connections.map((connection) => slapd.connectionClosed(connection)));
    });

    it('never sends a bind with an empty password', async () => {
      const userDn = `uid=sysadmin,${PEOPLE}`;
      const before = await slapd.bindsLoggedFor(userDn);
      await expect(sut.authenticate('sysadmin', '')).resolves.toBeUndefined();
      await expect(sut.authenticate('sysadmin', 'admin-secret')).resolves.toBeDefined();
      // The right password shows that binds for this DN are logged; the empty one added none.
      expect(await slapd.bindsLoggedFor(userDn)).toBe(before + 1);
    });
  });

  describe('a level with more groups than the server returns in one answer', () => {
    let crowded: Slapd;
    let ldifFolder: string;

    beforeAll(async () => {
      // slapd answers at most 500 entries per search unless the client pages.
      const groups = Array.from(
        { length: 600 },
        (_, i) =>
          `dn: cn=Crowd ${i},${GROUPS}\nchangetype: add\nobjectClass: groupOfNames\ncn: Crowd ${i}\nmember: uid=rpaulson,${PEOPLE}\n`,
      );
      ldifFolder = await mkdtemp(join(tmpdir(), 'crowd-'));
      const ldif = join(ldifFolder, 'crowd.ldif');
      await writeFile(ldif, groups.join('\n'));
      crowded = await Slapd.start([DEMO_LDIF, ldif]);
    });

    afterAll(async () => {
      await crowded?.destroy();
      await rm(ldifFolder, { recursive: true, force: true });
    });

    it('pages through the level and still answers', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [DirectoryModule.forRoot(demoDirectoryOptions(crowded.url))],
      }).compile();
      opened.push(moduleRef);
      const directory = moduleRef.get(Directory);
      await expect(directory.checkMembership('rpaulson', ['Paper Street Soap Company'])).resolves.toMatchObject({
        kind: 'member',
        path: expect.arrayContaining([{ id: expect.any(String), name: 'Space Monkeys' }]),
      });
      await expect(directory.checkMembership('rpaulson', ['System Administrators'])).resolves.toMatchObject({
        kind: 'not-a-member',
      });
    });
  });

  describe('ids that are not UUIDs', () => {
    it('checks an authenticated user by its own id, whatever the id attribute holds', async () => {
      const byCn = await directoryWith({ schema: { userIdAttribute: 'cn' } });
      const caller = await byCn.authenticate('opsadmin', 'ops-secret');
      expect(caller).toMatchObject({ username: 'opsadmin' });
      await expect(byCn.checkMembership(caller!, ['System Administrators'])).resolves.toMatchObject({
        kind: 'member',
        user: { username: 'opsadmin' },
        path: [{ name: 'Platform Operators' }, { name: 'System Administrators' }],
      });
    });
  });

  describe('the readiness ping', () => {
    it('needs the base entry to be readable, not only the bind', async () => {
      const missingBase = await directoryWith({ baseDn: `ou=missing,${DEMO.baseDn}` });
      await expect(missingBase.ping()).rejects.toBeInstanceOf(DirectoryError);
    });

    it('closes its own connection every time', async () => {
      const before = await slapd.connectionsThatBound(DEMO.serviceDn);
      await sut.ping();
      await sut.ping();
      const pings = (await slapd.connectionsThatBound(DEMO.serviceDn)).slice(before.length);
      expect(pings).toHaveLength(2);
      await Promise.all(pings.map((connection) => slapd.connectionClosed(connection)));
    });

    it('answers within its timeout however many servers stay silent', async () => {
      const silent = [await silentServer(), await silentServer()];
      try {
        const stuck = await directoryWith({
          urls: silent.map((server) => `ldap://127.0.0.1:${server.port}`),
          pingTimeoutMs: 300,
        });
        const started = Date.now();
        await expect(stuck.ping()).rejects.toBeInstanceOf(DirectoryUnavailableError);
        expect(Date.now() - started).toBeLessThan(300 + 250);
      } finally {
        await Promise.all(silent.map((server) => server.close()));
      }
    });
  });

  describe('connections', () => {
    it("closes the service account's connection when the application shuts down", async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [DirectoryModule.forRoot(demoDirectoryOptions(slapd.url))],
      }).compile();
      const before = await slapd.connectionsThatBound(DEMO.serviceDn);
      await moduleRef.get(Directory).checkMembership('tdurden', ['Loners']);
      const [connection] = (await slapd.connectionsThatBound(DEMO.serviceDn)).slice(before.length);
      await moduleRef.close();
      await slapd.connectionClosed(connection);
    });

    it('shares one connect and bind between a burst of concurrent first requests', async () => {
      const cold = await directoryWith();
      const bindsBefore = await slapd.bindsLoggedFor(DEMO.serviceDn);
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => cold.checkMembership('tdurden', ['Paper Street Soap Company'])),
      );
      expect(answers.every((answer) => answer.kind === 'member')).toBe(true);
      expect(await slapd.bindsLoggedFor(DEMO.serviceDn)).toBe(bindsBefore + 1);
    });

    it('fails over to the next URL when the first does not answer', async () => {
      const closedPort = await unusedPort();
      const failover = await directoryWith({ urls: [`ldap://127.0.0.1:${closedPort}`, slapd.url] });
      await expect(failover.checkMembership('tdurden', ['Liposuction Technicians'])).resolves.toMatchObject({
        kind: 'member',
      });
    });

    it('reports a rejected service account as a directory error, not as an outage', async () => {
      const misconfigured = await directoryWith({ bindPassword: 'not-the-password' });
      await expect(misconfigured.checkMembership('tdurden', ['Loners'])).rejects.toBeInstanceOf(DirectoryError);
      await expect(misconfigured.ping()).rejects.toBeInstanceOf(DirectoryError);
    });

    it('gives up on a directory that accepts connections but never answers, within the timeout', async () => {
      const silent = await silentServer();
      try {
        const stuck = await directoryWith({ urls: [`ldap://127.0.0.1:${silent.port}`], timeoutMs: 300 });
        const started = Date.now();
        await expect(stuck.checkMembership('tdurden', ['Loners'])).rejects.toBeInstanceOf(DirectoryUnavailableError);
        expect(Date.now() - started).toBeLessThan(300 + 1000);
      } finally {
        await silent.close();
      }
    });

    it('reports an outage while the directory is down and answers again when it returns, without a new client', async () => {
      const resilient = await directoryWith();
      await expect(resilient.checkMembership('tdurden', ['Liposuction Technicians'])).resolves.toMatchObject({
        kind: 'member',
      });
      await expect(resilient.ping()).resolves.toBeUndefined();

      await slapd.stop();
      try {
        await expect(resilient.checkMembership('tdurden', ['Liposuction Technicians'])).rejects.toBeInstanceOf(
          DirectoryUnavailableError,
        );
        await expect(resilient.authenticate('sysadmin', 'admin-secret')).rejects.toBeInstanceOf(
          DirectoryUnavailableError,
        );
        await expect(resilient.ping()).rejects.toBeInstanceOf(DirectoryUnavailableError);
      } finally {
        await slapd.restart();
      }

      await expect(resilient.checkMembership('tdurden', ['Liposuction Technicians'])).resolves.toMatchObject({
        kind: 'member',
      });
      await expect(resilient.ping()).resolves.toBeUndefined();
    });
  });
});

async function unusedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}

/** Accepts LDAP connections and never says a word, like a hung server behind a load balancer. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

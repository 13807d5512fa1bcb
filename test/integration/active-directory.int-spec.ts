import { Directory, DirectoryOptions, DirectoryUser, MembershipAnswer } from '@app/directory';
import { Attribute, Change } from 'ldapts';
import { AD_DEMO } from '@test/support/ad-demo-data';
import { activeDirectoryOptions } from '@test/support/ad-demo-directory';
import { eventually } from '@test/support/check-load';
import { SERVER_START_TIMEOUT_MS } from '@test/support/demo-server';
import { observedDirectory, RecordingObserver } from '@test/support/recording-observer';
import { SambaDc } from '@test/support/samba-dc';
import { startDirectory } from '@test/support/started-directory';

const FIRST_PAGE = { index: 0, size: 100 };
const GROUPS = `ou=groups,${AD_DEMO.baseDn}`;
const ELSEWHERE = `ou=elsewhere,${AD_DEMO.baseDn}`;
const DOMAIN_USERS = `cn=Domain Users,cn=Users,${AD_DEMO.baseDn}`;

describe('LdapDirectory against a real Samba Active Directory domain controller', () => {
  let dc: SambaDc;
  const closers: Array<() => Promise<void>> = [];

  async function directoryWith(overrides: Partial<DirectoryOptions> = {}): Promise<Directory> {
    const started = await startDirectory(activeDirectoryOptions(dc, { stalenessMs: 0, ...overrides }));
    closers.push(started.close);
    return started.directory;
  }

  async function user(directory: Directory, identifier: string): Promise<DirectoryUser> {
    const lookup = await directory.findUser(identifier);
    if (lookup.kind !== 'found') {
      throw new Error(`${identifier}: ${lookup.kind}`);
    }
    return lookup.user;
  }

  /** Adds the entries (in order) for the test's duration, and deletes them (in reverse) afterwards. */
  async function withEntries(
    entries: ReadonlyArray<{ dn: string; attributes: Record<string, string> }>,
    test: () => Promise<void>,
  ): Promise<void> {
    const administrator = await dc.administrator();
    const added: string[] = [];
    try {
      for (const { dn, attributes } of entries) {
        await administrator.add(dn, attributes);
        added.push(dn);
      }
      await test();
    } finally {
      for (const dn of added.reverse()) {
        await administrator.del(dn);
      }
      await administrator.unbind();
    }
  }

  const names = (answer: { kind: string; page?: { items: readonly { name: string }[] } }): string[] =>
    answer.kind === 'found' && answer.page ? answer.page.items.map((item) => item.name) : [];

  beforeAll(async () => {
    dc = await SambaDc.start();
  }, SERVER_START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await dc?.destroy();
  });

  describe('ids', () => {
    it("reports objectGUIDs as Samba's own tool prints them, for users and groups", async () => {
      const directory = await directoryWith();
      expect((await user(directory, 'tdurden')).id).toBe(await dc.sambaToolGuid('tdurden'));
      const group = await directory.findGroup('Paper Street Soap Company');
      expect(group).toEqual({
        kind: 'found',
        group: { id: await dc.sambaToolGuid('paper-street-soap-company'), name: 'Paper Street Soap Company' },
      });
    });

    it('finds users and groups by their objectGUID, written in either case', async () => {
      const directory = await directoryWith();
      const tdurden = await dc.sambaToolGuid('tdurden');
      expect((await user(directory, tdurden.toUpperCase())).username).toBe('tdurden');
      const group = await directory.findGroup(dc.ids.liposuctionTechnicians.toUpperCase());
      expect(group).toMatchObject({ kind: 'found', group: { name: 'Liposuction Technicians' } });
    });
  });

  describe('users', () => {
    it('finds a user by sAMAccountName, mail or userPrincipalName, and shows the mail', async () => {
      const directory = await directoryWith();
      for (const identifier of ['tdurden', 't.durden@fightclub.com', 'tdurden@fightclub.com']) {
        expect(await user(directory, identifier)).toEqual({
          id: dc.ids.tdurden,
          username: 'tdurden',
          email: 't.durden@fightclub.com',
        });
      }
    });

    it("answers ambiguous for a value that is one user's mail and another's userPrincipalName", async () => {
      const directory = await directoryWith();
      const lookup = await directory.findUser('bob@fightclub.com');
      expect(lookup).toEqual({
        kind: 'ambiguous',
        identifier: 'bob@fightclub.com',
        candidateIds: expect.arrayContaining([dc.ids.bob, dc.ids.bobContractor]),
      });
    });

    it('takes no computer account for a user, though a computer is of class user and in a group', async () => {
      const directory = await directoryWith();
      expect(await directory.findUser('kiosk$')).toEqual({ kind: 'not-found' });
      expect(await directory.isMember('kiosk$', ['Liposuction Technicians'])).toEqual({ kind: 'user-not-found' });
    });

    it("searches from the domain's root, where the DC also answers with referrals, which are not followed", async () => {
      const administrator = await dc.administrator();
      try {
        const { searchReferences } = await administrator.search(AD_DEMO.baseDn, { filter: '(sAMAccountName=tdurden)' });
        expect(searchReferences.length).toBeGreaterThan(0);
      } finally {
        await administrator.unbind();
      }
      const directory = await directoryWith({ userBaseDn: AD_DEMO.baseDn });
      expect((await user(directory, 'narrator')).id).toBe(dc.ids.narrator);
    });
  });

  describe('membership', () => {
    it.each([
      ['a direct member', 'tdurden', ['Liposuction Technicians'], true],
      ['a member through a cycle', 'narrator', ['Paper Street Soap Company'], true],
      ['a member six levels down', 'rpaulson', ['Paper Street Soap Company'], true],
      ['one of several listed groups', 'tdurden', ['Loners', 'Paper Street Soap Company'], true],
      ['a non-member', 'narrator', ['System Administrators'], false],
      ['a non-member through the cycle', 'narrator', ['Loners'], false],
    ])('answers %s alike with a verdict and an explanation', async (_case, login, groups, member) => {
      const directory = await directoryWith();
      const kind = member ? 'member' : 'not-a-member';
      expect(await directory.isMember(login, groups)).toMatchObject({ kind });
      expect(await directory.checkMembership(login, groups)).toMatchObject({ kind });
    });

    it('answers a verdict with one search once the user and the groups are known, whatever the depth', async () => {
      const observer = new RecordingObserver();
      const moduleRef = await observedDirectory(activeDirectoryOptions(dc), observer);
      closers.push(() => moduleRef.close());
      const directory = moduleRef.get(Directory);
      await directory.findUser('rpaulson');
      await directory.findGroup('Paper Street Soap Company');
      await directory.findGroup('Loners');
      observer.clear();
      expect(await directory.isMember('rpaulson', ['Paper Street Soap Company'])).toMatchObject({ kind: 'member' });
      expect(await directory.isMember('rpaulson', ['Loners'])).toMatchObject({ kind: 'not-a-member' });
      expect(observer.outcomes().filter((outcome) => outcome.startsWith('search'))).toEqual(['search ok', 'search ok']);
      // The explanation walks memberOf instead: a search per level.
      observer.clear();
      await directory.checkMembership('rpaulson', ['Paper Street Soap Company']);
      expect(observer.outcomes().filter((outcome) => outcome.startsWith('search')).length).toBeGreaterThanOrEqual(5);
    });

    it('holds the explanation to MAX_NESTING_DEPTH, not the verdict the server works out', async () => {
      const directory = await directoryWith({ maxNestingDepth: 2 });
      expect(await directory.isMember('rpaulson', ['Paper Street Soap Company'])).toMatchObject({ kind: 'member' });
      expect(await directory.checkMembership('rpaulson', ['Paper Street Soap Company'])).toMatchObject({
        kind: 'not-a-member',
      });
    });
  });

  describe('the primary group, which neither memberOf nor the group lists', () => {
    it('counts it, and the groups above it, in a verdict and an explanation', async () => {
      const directory = await directoryWith();
      for (const groups of [['Night Shift'], ['Paper Street Soap Company']]) {
        expect(await directory.isMember('nightworker', groups)).toMatchObject({ kind: 'member' });
      }
      const explained = (await directory.checkMembership('nightworker', ['Paper Street Soap Company'])) as Extract<
        MembershipAnswer,
        { kind: 'member' }
      >;
      expect(explained.path.map((group) => group.name)).toEqual(['Night Shift', 'Paper Street Soap Company']);
      expect(await directory.isMember('nightworker', ['Liposuction Technicians'])).toMatchObject({
        kind: 'not-a-member',
      });
    });

    it("lists it among the user's groups, and the user among its users", async () => {
      const directory = await directoryWith();
      expect(names(await directory.groupsOfUser('nightworker', 'direct', FIRST_PAGE))).toEqual(['Night Shift']);
      expect(names(await directory.groupsOfUser('nightworker', 'inherited', FIRST_PAGE))).toEqual([
        'Night Shift',
        'Paper Street Soap Company',
      ]);
      const users = await directory.usersInGroup('Night Shift', FIRST_PAGE);
      expect(users).toMatchObject({ kind: 'found', page: { totalCount: 1, items: [{ username: 'nightworker' }] } });
    });

    it('leads, from outside the group base (Domain Users), to the groups above it, in a verdict and an explanation', async () => {
      const directory = await directoryWith();
      await withEntries(
        [
          {
            dn: `cn=All Staff,${GROUPS}`,
            attributes: { objectClass: 'group', sAMAccountName: 'all-staff', member: DOMAIN_USERS },
          },
        ],
        async () => {
          expect(await directory.isMember('tdurden', ['All Staff'])).toMatchObject({ kind: 'member' });
          const explained = await directory.checkMembership('tdurden', ['All Staff']);
          expect(explained).toMatchObject({ kind: 'member', path: [{ name: 'Domain Users' }, { name: 'All Staff' }] });
          expect(names(await directory.groupsOfUser('tdurden', 'inherited', FIRST_PAGE))).toContain('All Staff');
          expect(names(await directory.groupsOfUser('tdurden', 'inherited', FIRST_PAGE))).not.toContain('Domain Users');
          expect(await directory.findGroup('Domain Users')).toEqual({ kind: 'not-found' });
        },
      );
    });

    it('is not a group of this service when it lies outside the group base (Domain Users)', async () => {
      const directory = await directoryWith();
      expect(names(await directory.groupsOfUser('tdurden', 'direct', FIRST_PAGE))).toEqual([
        'Café Société',
        'Liposuction Technicians',
        'Smith, Jones',
      ]);
    });
  });

  it('counts nesting through a group outside the group base alike in a verdict and an explanation', async () => {
    const directory = await directoryWith();
    const bookClub = `cn=Book Club,${ELSEWHERE}`;
    await withEntries(
      [
        { dn: ELSEWHERE, attributes: { objectClass: 'organizationalUnit' } },
        { dn: bookClub, attributes: { objectClass: 'group', sAMAccountName: 'book-club', member: dc.dns.tdurden } },
        {
          dn: `cn=Readers,${GROUPS}`,
          attributes: { objectClass: 'group', sAMAccountName: 'readers', member: bookClub },
        },
      ],
      async () => {
        expect(await directory.isMember('tdurden', ['Readers'])).toMatchObject({ kind: 'member' });
        expect(await directory.checkMembership('tdurden', ['Readers'])).toMatchObject({
          kind: 'member',
          path: [{ name: 'Book Club' }, { name: 'Readers' }],
        });
        expect(names(await directory.groupsOfUser('tdurden', 'inherited', FIRST_PAGE))).not.toContain('Book Club');
      },
    );
  });

  describe('logins', () => {
    it('accepts a password by username, mail or userPrincipalName', async () => {
      const directory = await directoryWith();
      for (const login of ['sysadmin', 'sysadmin@fightclub.com']) {
        expect(await directory.authenticate(login, 'admin-secret')).toMatchObject({ id: dc.ids.sysadmin });
      }
    });

    it('refuses a disabled account with its right password, a wrong password and an unknown login', async () => {
      const directory = await directoryWith();
      expect(await directory.authenticate('formeradmin', 'former-secret')).toBeUndefined();
      expect(await directory.authenticate('sysadmin', 'wrong')).toBeUndefined();
      expect(await directory.authenticate('nobody', 'admin-secret')).toBeUndefined();
    });
  });

  describe('the service account and the transport', () => {
    it.each([
      ['its DN over LDAPS', () => ({ bindDn: AD_DEMO.serviceDn })],
      [
        'its user principal name over StartTLS',
        () => ({ urls: [dc.startTlsUrl], tls: { ...activeDirectoryOptions(dc).tls!, startTls: true } }),
      ],
    ])('binds by %s', async (_case, overrides) => {
      const directory = await directoryWith(overrides());
      await expect(directory.ping()).resolves.toBeUndefined();
      expect((await user(directory, 'tdurden')).id).toBe(dc.ids.tdurden);
    });

    it('detects the dialect from the rootDSE when told auto', async () => {
      const directory = await directoryWith({ dialect: 'auto' });
      expect((await user(directory, 'tdurden')).id).toBe(dc.ids.tdurden);
      expect(await directory.isMember('nightworker', ['Night Shift'])).toMatchObject({ kind: 'member' });
    });
  });

  describe('caches', () => {
    it("keeps answers while the DC's highestCommittedUSN stands still, and drops them when a write moves it", async () => {
      const observer = new RecordingObserver();
      const moduleRef = await observedDirectory(activeDirectoryOptions(dc, { stalenessMs: 4000 }), observer);
      closers.push(() => moduleRef.close());
      const directory = moduleRef.get(Directory);
      const verdict = async () => (await directory.isMember('msinger', ['Liposuction Technicians'])).kind;
      // An answer worked out from cached entries is served only while marker reads vouch for it: a hit shows they do.
      await eventually(
        'the verdict is answered from the cache',
        async () => {
          observer.clear();
          expect(await verdict()).toBe('not-a-member');
          return observer.lookups.some(({ cache, hit }) => cache === 'answers' && hit);
        },
        15_000,
      );
      const administrator = await dc.administrator();
      const msinger = new Attribute({ type: 'member', values: [dc.dns.msinger] });
      try {
        await administrator.modify(
          dc.dns.liposuctionTechnicians,
          new Change({ operation: 'add', modification: msinger }),
        );
        await eventually('the new membership is seen', async () => (await verdict()) === 'member', 5000);
      } finally {
        await administrator.modify(
          dc.dns.liposuctionTechnicians,
          new Change({ operation: 'delete', modification: msinger }),
        );
        await administrator.unbind();
      }
    });
  });
});

import { Directory, DirectoryUnavailableError, DirectoryUser, MembershipAnswer } from '@app/directory';
import { startDirectory } from '@test/support/started-directory';
import { demoDirectoryOptions } from '@test/support/demo-directory';
import { DEMO, Slapd } from '@test/support/slapd';

const PEOPLE = `ou=people,${DEMO.baseDn}`;
const GROUPS = `ou=groups,${DEMO.baseDn}`;
const STALENESS_MS = 1500;
/** What one check may take on top of the bound while a loop looks for the change. */
const CHECK_MARGIN_MS = 150;

describe('LdapDirectory caches against a real slapd', () => {
  let slapd: Slapd;
  let sut: Directory;
  let close: () => Promise<void>;

  const modify = (ldif: string) => slapd.asRoot('ldapmodify', [], ldif);
  const kindOf = async (answer: Promise<MembershipAnswer>) => (await answer).kind;

  /** What reached slapd since `from` (a log line count): subtree searches and binds other than the service's. */
  async function workLoggedSince(from: number): Promise<{ searches: number; userBinds: number }> {
    const lines = (await slapd.logLines()).slice(from);
    return {
      searches: lines.filter((line) => / SRCH base=.* scope=2 /.test(line)).length,
      userBinds: lines.filter((line) => / BIND dn=".+" method=128/.test(line) && !line.includes(DEMO.serviceDn)).length,
    };
  }

  /**
   * Resolves once the service has a change marker to compare with: a second marker read has begun, which it does only
   * after the first has been taken in. Only what is read after that can be vouched for beyond its age.
   */
  async function markerKnown(): Promise<void> {
    const deadline = performance.now() + 5 * STALENESS_MS;
    while ((await slapd.logLines()).filter((line) => / SRCH attr=contextCSN$/.test(line)).length < 2) {
      if (performance.now() > deadline) {
        throw new Error('The service read no change marker twice');
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Asks until the answer shows the change; fails unless it does so within the staleness bound. */
  async function expectShownWithinBound(shown: () => Promise<boolean>): Promise<void> {
    const changedAt = performance.now();
    for (;;) {
      if (await shown()) {
        break;
      }
      expect(performance.now() - changedAt).toBeLessThanOrEqual(STALENESS_MS + CHECK_MARGIN_MS);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(performance.now() - changedAt).toBeLessThanOrEqual(STALENESS_MS + CHECK_MARGIN_MS);
  }

  beforeEach(async () => {
    slapd = await Slapd.start();
    ({ directory: sut, close } = await startDirectory(demoDirectoryOptions(slapd.url, { stalenessMs: STALENESS_MS })));
  });

  afterEach(async () => {
    await close?.();
    await slapd?.destroy();
  });

  it('answers repeated lookups, logins and checks without asking the directory again', async () => {
    const askEverything = async () => {
      const caller = (await sut.authenticate('opsadmin', 'ops-secret')) as DirectoryUser;
      return [
        await kindOf(sut.checkMembership(caller, ['System Administrators'])),
        await kindOf(sut.checkMembership('rpaulson', ['Loners', 'Paper Street Soap Company'])),
        await kindOf(sut.checkMembership('narrator', ['Loners'])),
        (await sut.findUser('t.durden@fightclub.com')).kind,
        (await sut.findGroup('Paper Street Soap Company')).kind,
      ];
    };
    const cold = await askEverything();
    const logged = (await slapd.logLines()).length;

    const warm = await askEverything();

    expect(warm).toEqual(cold);
    expect(warm).toEqual(['member', 'member', 'not-a-member', 'found', 'found']);
    expect(await workLoggedSince(logged)).toEqual({ searches: 0, userBinds: 0 });
  });

  it('keeps answers past the bound while the directory is unchanged, but binds again once the bound has passed', async () => {
    await markerKnown();
    await sut.authenticate('narrator', 'insomnia');
    await sut.checkMembership('rpaulson', ['Paper Street Soap Company']);
    await sut.findGroup('Loners');
    await new Promise((resolve) => setTimeout(resolve, 2 * STALENESS_MS));
    const logged = (await slapd.logLines()).length;

    expect(await kindOf(sut.checkMembership('rpaulson', ['Paper Street Soap Company']))).toBe('member');
    expect((await sut.findGroup('Loners')).kind).toBe('found');
    expect(await workLoggedSince(logged)).toEqual({ searches: 0, userBinds: 0 });

    // A bind's answer can change with time alone (an expired password), so no marker read vouches for it.
    expect(await sut.authenticate('narrator', 'insomnia')).toBeDefined();
    expect(await workLoggedSince(logged)).toEqual({ searches: 0, userBinds: 1 });
  });

  it('binds a caller who keeps calling once per bound, not once per call', async () => {
    const logged = (await slapd.logLines()).length;
    const callingFor = 2.5 * STALENESS_MS;

    for (const started = performance.now(); performance.now() - started < callingFor;) {
      expect(await sut.authenticate('narrator', 'insomnia')).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    expect((await workLoggedSince(logged)).userBinds).toBeLessThanOrEqual(Math.ceil(callingFor / STALENESS_MS));
  });

  it('shares one bind among concurrent calls with the same credentials', async () => {
    const logged = (await slapd.logLines()).length;

    const callers = await Promise.all(Array.from({ length: 20 }, () => sut.authenticate('narrator', 'insomnia')));

    expect(callers.every((caller) => caller?.username === 'narrator')).toBe(true);
    expect((await workLoggedSince(logged)).userBinds).toBe(1);
  });

  it("does not let one member's removal hide a group from its other members", async () => {
    await modify(`dn: cn=Space Monkeys,${GROUPS}\nchangetype: modify\nadd: member\nmember: uid=narrator,${PEOPLE}\n`);
    expect(await sut.findUser('narrator')).toMatchObject({ kind: 'found' });

    await modify(
      `dn: cn=Space Monkeys,${GROUPS}\nchangetype: modify\ndelete: member\nmember: uid=narrator,${PEOPLE}\n`,
    );
    // narrator's cached entry still names Space Monkeys, which no longer lists narrator.
    await sut.checkMembership('narrator', ['Mischief Committee']);

    expect(await kindOf(sut.checkMembership('rpaulson', ['Assault Committee']))).toBe('member');
  });

  it('costs an unchanged directory one small read per poll, not one per request', async () => {
    const logged = (await slapd.logLines()).length;
    const idleMs = 2600;

    await new Promise((resolve) => setTimeout(resolve, idleMs));

    const polls = (await slapd.logLines()).slice(logged).filter((line) => / SRCH attr=contextCSN$/.test(line));
    // The poll runs every min(1000, bound / 2) ms.
    const expected = Math.floor(idleMs / Math.min(1000, STALENESS_MS / 2));
    expect(polls.length).toBeGreaterThanOrEqual(expected - 1);
    expect(polls.length).toBeLessThanOrEqual(expected + 1);
  });

  it('shows a member removed from a group within the bound', async () => {
    expect(await kindOf(sut.checkMembership('narrator', ['Fight Club']))).toBe('member');

    await modify(`dn: cn=Fight Club,${GROUPS}\nchangetype: modify\ndelete: member\nmember: uid=narrator,${PEOPLE}\n`);

    await expectShownWithinBound(
      async () => (await kindOf(sut.checkMembership('narrator', ['Fight Club']))) === 'not-a-member',
    );
  });

  it('shows a removed link between groups within the bound, for a member at depth 6', async () => {
    expect(await kindOf(sut.checkMembership('rpaulson', ['Paper Street Soap Company']))).toBe('member');

    await modify(
      `dn: cn=Mischief Committee,${GROUPS}\nchangetype: modify\nreplace: member\nmember: uid=msinger,${PEOPLE}\n`,
    );

    await expectShownWithinBound(
      async () => (await kindOf(sut.checkMembership('rpaulson', ['Paper Street Soap Company']))) === 'not-a-member',
    );
  });

  it('shows a deleted group within the bound', async () => {
    expect(await kindOf(sut.checkMembership('msinger', ['Loners']))).toBe('member');

    await slapd.asRoot('ldapdelete', [`cn=Loners,${GROUPS}`]);

    await expectShownWithinBound(
      async () => (await kindOf(sut.checkMembership('msinger', ['Loners']))) === 'no-group-found',
    );
  });

  it('shows a revoked administrator within the bound, even for a login it knows', async () => {
    const isAdmin = async () => {
      const caller = await sut.authenticate('opsadmin', 'ops-secret');
      return (
        caller !== undefined && (await kindOf(sut.checkMembership(caller, ['System Administrators']))) === 'member'
      );
    };
    expect(await isAdmin()).toBe(true);

    await modify(
      `dn: cn=System Administrators,${GROUPS}\nchangetype: modify\ndelete: member\nmember: cn=Platform Operators,${GROUPS}\n`,
    );

    await expectShownWithinBound(async () => !(await isAdmin()));
  });

  it('refuses an old password within the bound after it was changed', async () => {
    expect(await sut.authenticate('narrator', 'insomnia')).toBeDefined();

    await modify(`dn: uid=narrator,${PEOPLE}\nchangetype: modify\nreplace: userPassword\nuserPassword: new-secret\n`);

    await expectShownWithinBound(async () => (await sut.authenticate('narrator', 'insomnia')) === undefined);
    expect(await sut.authenticate('narrator', 'new-secret')).toMatchObject({ username: 'narrator' });
  });

  it('answers from the cache while the directory is down only within the bound, then reports the outage', async () => {
    expect(await kindOf(sut.checkMembership('tdurden', ['Liposuction Technicians']))).toBe('member');

    await slapd.stop();
    // No marker read can succeed after this, so nothing is vouched for later than now.
    const stoppedAt = performance.now();
    try {
      // Verified unchanged less than a poll interval ago, so still within the bound.
      expect(await kindOf(sut.checkMembership('tdurden', ['Liposuction Technicians']))).toBe('member');

      await new Promise((resolve) => setTimeout(resolve, STALENESS_MS - (performance.now() - stoppedAt) + 50));

      await expect(sut.checkMembership('tdurden', ['Liposuction Technicians'])).rejects.toBeInstanceOf(
        DirectoryUnavailableError,
      );
    } finally {
      await slapd.restart();
    }
    expect(await kindOf(sut.checkMembership('tdurden', ['Liposuction Technicians']))).toBe('member');
  });
});

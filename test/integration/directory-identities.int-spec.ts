import { Directory, IdentityLookup } from '@app/directory';
import { TestingModule } from '@nestjs/testing';
import { demoDirectoryOptions, IDS } from '@test/support/demo-directory';
import { observedDirectory, RecordingObserver } from '@test/support/recording-observer';
import { DEMO, Slapd } from '@test/support/slapd';

const PEOPLE = `ou=people,${DEMO.baseDn}`;
const GROUPS = `ou=groups,${DEMO.baseDn}`;
const STALENESS_MS = 1500;

function identityIn(lookup: IdentityLookup) {
  if (lookup.kind !== 'found') {
    throw new Error(`expected an identity, got ${lookup.kind}`);
  }
  return lookup.identity;
}

describe('LdapDirectory identities against a real slapd', () => {
  let slapd: Slapd;
  let observer: RecordingObserver;
  let moduleRef: TestingModule;
  let sut: Directory;

  const modify = (ldif: string) => slapd.asRoot('ldapmodify', [], ldif);
  const searches = () => observer.operations.filter(({ operation }) => operation === 'search').length;

  beforeAll(async () => {
    slapd = await Slapd.start();
    observer = new RecordingObserver();
    moduleRef = await observedDirectory(demoDirectoryOptions(slapd.url, { stalenessMs: STALENESS_MS }), observer);
    sut = moduleRef.get(Directory);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await slapd?.destroy();
  });

  it('names a user and every group the user is in, through child groups and a comma in a name, in list order', async () => {
    expect(await sut.identityOf('t.durden@fightclub.com')).toEqual({
      kind: 'found',
      identity: {
        user: { id: IDS.tdurden, username: 'tdurden', email: 't.durden@fightclub.com' },
        displayName: 'Tyler Durden',
        groupNames: expect.arrayContaining(['Liposuction Technicians', 'Paper Street Soap Company', 'Smith, Jones']),
      },
    });
    const { groupNames } = identityIn(await sut.identityOf('tdurden'));
    expect(groupNames).toEqual(
      [...groupNames].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) || a.localeCompare(b)),
    );
    expect(new Set(groupNames).size).toBe(groupNames.length);
  });

  it('prefers displayName to cn for the name a person reads', async () => {
    await modify(`dn: uid=angelface,${PEOPLE}\nchangetype: modify\nadd: displayName\ndisplayName: Angel Face\n`);
    expect(identityIn(await sut.identityOf('angelface')).displayName).toBe('Angel Face');
  });

  it('works an identity out once per staleness bound: asked again, it costs the directory nothing', async () => {
    const first = identityIn(await sut.identityOf('rpaulson'));
    expect(first.groupNames).toEqual([
      'Arson Committee',
      'Assault Committee',
      'Fight Club',
      'Mischief Committee',
      'Paper Street Soap Company',
      'Project Mayhem',
      'Space Monkeys',
    ]);
    const before = searches();
    const again = identityIn(await sut.identityOf(first.user));
    expect(again).toEqual(first);
    expect(searches()).toBe(before);
  });

  it("shows a change to the user's groups within the staleness bound", async () => {
    expect(identityIn(await sut.identityOf('msinger')).groupNames).not.toContain('Space Monkeys');
    await modify(`dn: cn=Space Monkeys,${GROUPS}\nchangetype: modify\nadd: member\nmember: uid=msinger,${PEOPLE}\n`);
    try {
      const changedAt = performance.now();
      while (!identityIn(await sut.identityOf('msinger')).groupNames.includes('Space Monkeys')) {
        expect(performance.now() - changedAt).toBeLessThanOrEqual(STALENESS_MS + 150);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await modify(
        `dn: cn=Space Monkeys,${GROUPS}\nchangetype: modify\ndelete: member\nmember: uid=msinger,${PEOPLE}\n`,
      );
    }
  });

  it('answers not-found and ambiguous, and takes values only as values', async () => {
    expect(await sut.identityOf('*')).toEqual({ kind: 'not-found' });
    expect(await sut.identityOf(`uid=tdurden,${PEOPLE}`)).toEqual({ kind: 'not-found' });
    expect(await sut.identityOf('bob')).toMatchObject({ kind: 'ambiguous', identifier: 'bob' });
  });
});

import { Directory, DirectoryUser, ListAnswer } from '@app/directory';
import { startDirectory } from '@test/support/started-directory';
import { demoDirectoryOptions, IDS } from '@test/support/demo-directory';
import { DEMO, Slapd } from '@test/support/slapd';

const PEOPLE = `ou=people,${DEMO.baseDn}`;
const GROUPS = `ou=groups,${DEMO.baseDn}`;
const STALENESS_MS = 1500;
const FIRST_PAGE = { index: 0, size: 25 };

function namesIn<T>(answer: ListAnswer<T>, nameOf: (item: T) => string): string[] {
  if (answer.kind !== 'found') {
    throw new Error(`expected a page, got ${answer.kind}`);
  }
  return answer.page.items.map(nameOf);
}

const usernames = (answer: ListAnswer<DirectoryUser>) => namesIn(answer, (user) => user.username);
const groupNames = (answer: ListAnswer<{ name: string }>) => namesIn(answer, (group) => group.name);

describe('LdapDirectory lists against a real slapd', () => {
  let slapd: Slapd;
  let sut: Directory;
  let close: () => Promise<void>;

  const modify = (ldif: string) => slapd.asRoot('ldapmodify', [], ldif);

  beforeAll(async () => {
    slapd = await Slapd.start();
    ({ directory: sut, close } = await startDirectory(demoDirectoryOptions(slapd.url, { stalenessMs: STALENESS_MS })));
  });

  afterAll(async () => {
    await close?.();
    await slapd?.destroy();
  });

  it("lists a group's own users and child groups, by name, with their ids", async () => {
    const regulars = await sut.usersInGroup(IDS.lousTavernRegulars, FIRST_PAGE);
    expect(regulars).toEqual({
      kind: 'found',
      page: {
        index: 0,
        size: 25,
        totalCount: 2,
        items: [
          { id: 'c43d3135-a9fb-4680-9443-b8dd8c0ff688', username: 'angelface', email: 'angel@fightclub.com' },
          { id: '3b9ca1fb-f0da-4504-8330-e18c1589d631', username: 'narrator', email: 'narrator@fightclub.com' },
        ],
      },
    });
    expect(groupNames(await sut.groupsInGroup('Paper Street Soap Company', FIRST_PAGE))).toEqual([
      'Liposuction Technicians',
      'Project Mayhem',
    ]);
    expect(groupNames(await sut.groupsInGroup('Fight Club', FIRST_PAGE))).toEqual(['Project Mayhem']);
  });

  it("lists a user's direct groups, or all of them through a cycle, for an identifier or a user it handed out", async () => {
    expect(groupNames(await sut.groupsOfUser('narrator', 'direct', FIRST_PAGE))).toEqual([
      'Back\\Slash Team',
      'Fight Club',
      "Lou's Tavern Regulars",
      'Wildcards (*) & Parens',
    ]);
    const narrator = await sut.findUser('narrator');
    expect(narrator.kind).toBe('found');
    const user = (narrator as { user: DirectoryUser }).user;
    expect(groupNames(await sut.groupsOfUser(user, 'inherited', FIRST_PAGE))).toEqual([
      'Back\\Slash Team',
      'Fight Club',
      "Lou's Tavern Regulars",
      'Paper Street Soap Company',
      'Project Mayhem',
      'Wildcards (*) & Parens',
    ]);
  });

  it('answers not-found and ambiguous for the owner, and takes values only as values', async () => {
    expect(await sut.usersInGroup('*', FIRST_PAGE)).toEqual({ kind: 'not-found' });
    expect(await sut.groupsInGroup(`cn=Paper Street Soap Company,${GROUPS}`, FIRST_PAGE)).toEqual({
      kind: 'not-found',
    });
    expect(await sut.groupsOfUser('*', 'inherited', FIRST_PAGE)).toEqual({ kind: 'not-found' });
    expect(await sut.usersInGroup('Support Group', FIRST_PAGE)).toMatchObject({
      kind: 'ambiguous',
      candidateIds: [expect.any(String), expect.any(String)],
    });
    expect(await sut.groupsOfUser('bob', 'direct', FIRST_PAGE)).toMatchObject({ kind: 'ambiguous' });
  });

  it("shows a change to a group's members at once, and to a user's groups within the staleness bound", async () => {
    expect(usernames(await sut.usersInGroup('Loners', FIRST_PAGE))).toEqual(['msinger']);
    expect(groupNames(await sut.groupsOfUser('rpaulson', 'direct', FIRST_PAGE))).toEqual(['Space Monkeys']);
    await modify(`dn: cn=Loners,${GROUPS}\nchangetype: modify\nadd: member\nmember: uid=rpaulson,${PEOPLE}\n`);
    try {
      expect(usernames(await sut.usersInGroup('Loners', FIRST_PAGE))).toEqual(['msinger', 'rpaulson']);
      const changedAt = performance.now();
      while (!groupNames(await sut.groupsOfUser('rpaulson', 'direct', FIRST_PAGE)).includes('Loners')) {
        expect(performance.now() - changedAt).toBeLessThanOrEqual(STALENESS_MS + 150);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await modify(`dn: cn=Loners,${GROUPS}\nchangetype: modify\ndelete: member\nmember: uid=rpaulson,${PEOPLE}\n`);
    }
  });
});

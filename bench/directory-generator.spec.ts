import { buildCheckMix } from './check-mix';
import { GeneratedEntry, GeneratedGroup, generateDirectory } from './directory-generator';

/** Every group above the entry, found depth first: a second way to the oracle's answer. */
function ancestors(entry: GeneratedEntry, found = new Set<GeneratedGroup>()): Set<GeneratedGroup> {
  for (const group of entry.memberOf) {
    if (!found.has(group)) {
      found.add(group);
      ancestors(group, found);
    }
  }
  return found;
}

describe('the benchmark directory', () => {
  const directory = generateDirectory(2000, 'spec');

  it('is the same for the same seed and another for another seed', () => {
    const again = generateDirectory(2000, 'spec');
    const other = generateDirectory(2000, 'other');

    expect(again.users.map((user) => [user.id, user.memberOf.map((group) => group.id)])).toEqual(
      directory.users.map((user) => [user.id, user.memberOf.map((group) => group.id)]),
    );
    expect(other.users[0].id).not.toBe(directory.users[0].id);
  });

  it('keeps member and memberOf consistent, and gives every group a member', () => {
    for (const group of [...directory.groups, ...directory.adminGroups]) {
      expect(group.members.length).toBeGreaterThan(0);
      for (const member of group.members) {
        expect(member.memberOf).toContain(group);
      }
    }
  });

  it('nests ten levels deep and closes cycles', () => {
    const [bottom, ...above] = directory.chains[0];
    expect(above).toHaveLength(9);
    const cycle = directory.cycles[0];
    expect([...ancestors(cycle[0])]).toEqual(expect.arrayContaining(cycle));
    expect([...ancestors(bottom)]).toEqual(expect.arrayContaining(above));
  });

  it('has an oracle that agrees with a depth-first closure', () => {
    for (const user of directory.users.slice(0, 100)) {
      const above = ancestors(user);
      const others = directory.groups.filter((group) => !above.has(group)).slice(0, 20);
      for (const group of [...above, ...others]) {
        expect(directory.membershipDepth(user, group) !== undefined).toBe(above.has(group));
      }
    }
  });

  it('expects 204 exactly for the checks where some listed group is above the user', () => {
    const byUid = new Map(directory.users.map((user) => [user.uid, user]));
    const byMail = new Map(directory.users.map((user) => [user.mail, user]));
    const byId = new Map(directory.users.map((user) => [user.id, user]));
    const groups = new Map(
      directory.groups.flatMap(
        (group) =>
          [
            [group.name, group],
            [group.id, group],
          ] as const,
      ),
    );

    for (const check of buildCheckMix(directory, 400, 'spec')) {
      const [, userPart, groupPart] = /^\/api\/security\/users\/([^/]+)\/groups\/(.+)$/.exec(check.path) ?? [];
      const identifier = decodeURIComponent(userPart);
      const user = byUid.get(identifier) ?? byMail.get(identifier) ?? byId.get(identifier);
      const listed = groupPart.split(',').map((part) => groups.get(decodeURIComponent(part)));
      expect(user).toBeDefined();
      expect(listed).not.toContain(undefined);
      const above = ancestors(user!);
      expect(check.expectedStatus).toBe(listed.some((group) => above.has(group!)) ? 204 : 404);
    }
  });
});

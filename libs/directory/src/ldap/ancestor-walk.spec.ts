import { ancestorsOf } from './ancestor-walk';
import { GroupNode, WalkStart } from './membership-walk';

const USER = 'uid=tyler,ou=people,dc=example,dc=com';
const group = (cn: string): string => `cn=${cn},ou=groups,dc=example,dc=com`;

/** DN → memberOf values, for the user and every group. */
function graph(memberOf: Record<string, string[]>) {
  const node = (dn: string): GroupNode => ({ dn, id: `id-${dn}`, name: dn, parentDns: memberOf[dn] ?? [] });
  const fetchGroupsAbove = async (members: readonly WalkStart[]): Promise<GroupNode[]> =>
    [...new Set(members.flatMap((member) => member.parentDns))].filter((dn) => dn in memberOf).map(node);
  return { start: { dn: USER, parentDns: memberOf[USER] ?? [] }, fetchGroupsAbove };
}

const names = (groups: readonly GroupNode[]): string[] => groups.map((found) => found.dn).sort();

describe(ancestorsOf.name, () => {
  const { start, fetchGroupsAbove } = graph({
    [USER]: [group('a'), group('b')],
    [group('a')]: [group('c')],
    [group('b')]: [group('c')],
    [group('c')]: [group('d')],
    [group('d')]: [group('c')],
  });

  it('depth 1 is the groups that list the user themselves', async () => {
    const { groups } = await ancestorsOf(start, { maxDepth: 1, fetchGroupsAbove });
    expect(names(groups)).toEqual([group('a'), group('b')]);
  });

  it('finds every group above, each once, and ends in a cycle', async () => {
    const outcome = await ancestorsOf(start, { maxDepth: 32, fetchGroupsAbove });
    expect(names(outcome.groups)).toEqual([group('a'), group('b'), group('c'), group('d')]);
    expect(outcome.cutAtDepth).toBeUndefined();
  });

  it('says where the depth cap cut groups off', async () => {
    const outcome = await ancestorsOf(start, { maxDepth: 2, fetchGroupsAbove });
    expect(names(outcome.groups)).toEqual([group('a'), group('b'), group('c')]);
    expect(outcome.cutAtDepth).toBe(2);
  });

  it('keeps a group the listing returns twice once', async () => {
    const twice = async (members: readonly WalkStart[]) => [
      ...(await fetchGroupsAbove(members)),
      ...(await fetchGroupsAbove(members)),
    ];
    const { groups } = await ancestorsOf(start, { maxDepth: 32, fetchGroupsAbove: twice });
    expect(groups).toHaveLength(4);
  });

  it('ignores parents that are not groups of the group base', async () => {
    const outside = graph({ [USER]: [group('a'), 'cn=elsewhere,dc=example,dc=com'], [group('a')]: [] });
    const { groups } = await ancestorsOf(outside.start, { maxDepth: 32, fetchGroupsAbove: outside.fetchGroupsAbove });
    expect(names(groups)).toEqual([group('a')]);
  });
});

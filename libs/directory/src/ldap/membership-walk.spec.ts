import {
  GroupNode,
  MembershipWalkOptions,
  WalkOutcome,
  WalkStart,
  WalkTarget,
  walkMembership,
} from './membership-walk';

const USER = 'uid=tyler,ou=people,dc=example,dc=com';
const group = (cn: string): string => `cn=${cn},ou=groups,dc=example,dc=com`;
const nameIn = (dn: string): string => dn.split(',')[0].split('=')[1];

/** Entries by DN, each with its memberOf values; every group is an entry, even one with no parents. */
class GroupGraph {
  readonly fetches: string[][] = [];

  constructor(private readonly memberOf: Readonly<Record<string, readonly string[]>>) {}

  start(): WalkStart {
    return { dn: USER, parentDns: this.parentsOf(USER) };
  }

  target(dn: string): WalkTarget {
    return { dn, id: `id-${nameIn(dn).toLowerCase()}`, name: nameIn(dn) };
  }

  targets(...dns: string[]): WalkTarget[] {
    return dns.map((dn) => this.target(dn));
  }

  options(maxDepth = 32): MembershipWalkOptions {
    return { maxDepth, fetchGroupsAbove: this.fetchGroupsAbove };
  }

  readonly fetchGroupsAbove = async (members: readonly WalkStart[]): Promise<readonly GroupNode[]> => {
    const memberDns = members.map((member) => member.dn);
    this.fetches.push(memberDns);
    const listing = new Set(memberDns.flatMap((dn) => this.parentsOf(dn)).map((dn) => dn.toLowerCase()));
    return Object.keys(this.memberOf)
      .filter((dn) => listing.has(dn.toLowerCase()))
      .map((dn) => ({ ...this.target(dn), parentDns: this.parentsOf(dn) }));
  };

  private parentsOf(dn: string): readonly string[] {
    const entry = Object.keys(this.memberOf).find((candidate) => candidate.toLowerCase() === dn.toLowerCase());
    return entry === undefined ? [] : this.memberOf[entry];
  }
}

/** USER → g1 → g2 → … → g{length}, each group listing the previous one. */
function chain(length: number, extra: Record<string, readonly string[]> = {}): GroupGraph {
  const memberOf: Record<string, readonly string[]> = { [USER]: [group('g1')] };
  for (let depth = 1; depth <= length; depth++) {
    memberOf[group(`g${depth}`)] = depth < length ? [group(`g${depth + 1}`)] : [];
  }
  return new GroupGraph({ ...memberOf, ...extra });
}

const pathNames = (outcome: WalkOutcome): string[] => (outcome.found ? outcome.path.map((step) => step.name) : []);

describe(walkMembership.name, () => {
  const sut = walkMembership;

  it('finds a group that lists the user directly without fetching anything', async () => {
    const graph = chain(1);

    const outcome = await sut(graph.start(), graph.targets(group('g1')), graph.options());

    expect(outcome).toEqual({ found: true, matched: graph.target(group('g1')), path: [graph.target(group('g1'))] });
    expect(graph.fetches).toHaveLength(0);
  });

  it.each([2, 3, 5])('finds a group at depth %i with one fetch per level below it', async (depth) => {
    const graph = chain(depth + 2);

    const outcome = await sut(graph.start(), graph.targets(group(`g${depth}`)), graph.options());

    expect(outcome.found).toBe(true);
    expect(graph.fetches).toEqual(
      Array.from({ length: depth - 1 }, (_, level) => [level === 0 ? USER : group(`g${level}`)]),
    );
  });

  /** The user is in a1 and a2; only the a2 branch reaches top, two levels up. */
  const twoBranches = (): GroupGraph =>
    new GroupGraph({
      [USER]: [group('a1'), group('a2')],
      [group('a1')]: [group('b1')],
      [group('a2')]: [group('b2')],
      [group('b1')]: [],
      [group('b2')]: [group('top')],
      [group('top')]: [],
    });

  it('gives each fetch the whole frontier of its level', async () => {
    const graph = twoBranches();

    const outcome = await sut(graph.start(), graph.targets(group('top')), graph.options());

    expect(outcome.found).toBe(true);
    expect(graph.fetches.map((dns) => [...dns].sort())).toEqual([[USER], [group('a1'), group('a2')]]);
  });

  it('reports the path from the group listing the user up to the matched group', async () => {
    const graph = twoBranches();

    const outcome = await sut(graph.start(), graph.targets(group('top')), graph.options());

    expect(pathNames(outcome)).toEqual(['a2', 'b2', 'top']);
  });

  it('answers with the earliest listed target when several are reached at the same depth', async () => {
    const graph = new GroupGraph({ [USER]: [group('a'), group('b')], [group('a')]: [], [group('b')]: [] });

    const outcome = await sut(graph.start(), graph.targets(group('b'), group('a')), graph.options());

    expect(outcome.found && outcome.matched.name).toBe('b');
  });

  it('answers with a nearer target over an earlier listed one further away', async () => {
    const graph = chain(2);

    const outcome = await sut(graph.start(), graph.targets(group('g2'), group('g1')), graph.options());

    expect(outcome.found && outcome.matched.name).toBe('g1');
    expect(graph.fetches).toHaveLength(0);
  });

  it('terminates on a cycle and finds a group reached from inside it', async () => {
    const graph = new GroupGraph({
      [USER]: [group('a')],
      [group('a')]: [group('b')],
      [group('b')]: [group('a'), group('c')],
      [group('c')]: [],
    });

    const outcome = await sut(graph.start(), graph.targets(group('c')), graph.options());

    expect(pathNames(outcome)).toEqual(['a', 'b', 'c']);
  });

  it('terminates on a cycle and answers "not found" for a group outside it', async () => {
    const graph = new GroupGraph({
      [USER]: [group('a')],
      [group('a')]: [group('b')],
      [group('b')]: [group('a')],
      [group('elsewhere')]: [],
    });

    const outcome = await sut(graph.start(), graph.targets(group('elsewhere')), graph.options());

    expect(outcome).toStrictEqual({ found: false });
  });

  it('does not find a group beyond the maximum depth and reports where it stopped', async () => {
    const graph = chain(4);

    const outcome = await sut(graph.start(), graph.targets(group('g4')), graph.options(3));

    expect(outcome).toStrictEqual({ found: false, cutAtDepth: 3 });
  });

  it('finds a group exactly at the maximum depth', async () => {
    const graph = chain(4);

    const outcome = await sut(graph.start(), graph.targets(group('g3')), graph.options(3));

    expect(pathNames(outcome)).toEqual(['g1', 'g2', 'g3']);
  });

  it('reports no cut when the groups end within the maximum depth', async () => {
    const graph = chain(3, { [group('elsewhere')]: [] });

    const outcome = await sut(graph.start(), graph.targets(group('elsewhere')), graph.options(3));

    expect(outcome).toStrictEqual({ found: false });
  });

  it('matches a target listed in memberOf with different case', async () => {
    const graph = new GroupGraph({ [USER]: ['CN=Admins,OU=Groups,DC=example,DC=com'], [group('admins')]: [] });

    const outcome = await sut(graph.start(), graph.targets(group('admins')), graph.options());

    expect(outcome.found).toBe(true);
  });

  it('follows nested groups whose DNs differ in case between memberOf and the entries', async () => {
    const graph = new GroupGraph({
      [USER]: ['CN=Inner,OU=Groups,DC=example,DC=com'],
      [group('inner')]: ['CN=OUTER,ou=groups,dc=example,dc=com'],
      [group('outer')]: [],
    });

    const outcome = await sut(graph.start(), graph.targets('cn=Outer,ou=Groups,dc=Example,dc=com'), graph.options());

    expect(pathNames(outcome)).toEqual(['inner', 'Outer']);
  });
});

export interface GroupNode {
  readonly dn: string;
  readonly id: string;
  readonly name: string;
  /** The DNs of the groups that list this group (its memberOf values). */
  readonly parentDns: readonly string[];
}

export interface WalkStart {
  readonly dn: string;
  /** The DNs of the groups above: memberOf's values, and the primary group's where there is one. */
  readonly parentDns: readonly string[];
  /**
   * Active Directory's primary group: a parent whose member attribute does not list this entry, so that no search
   * for the groups listing it finds it.
   */
  readonly primaryGroup?: GroupNode;
}

export interface WalkTarget {
  readonly dn: string;
  readonly id: string;
  readonly name: string;
}

export type WalkOutcome =
  | { readonly found: true; readonly matched: WalkTarget; readonly path: readonly WalkTarget[] }
  | { readonly found: false; readonly cutAtDepth?: number };

export interface MembershipWalkOptions {
  readonly maxDepth: number;
  /** The groups that list any of these members, with their own parents: at most one directory round trip. */
  readonly fetchGroupsAbove: (members: readonly WalkStart[]) => Promise<readonly GroupNode[]>;
}

// DNs come back from the directory in one stored form (the entry's name, as memberOf repeats it); case is the only
// variation that matching rules of names like cn allow, so it is the only one folded.
export const dnKey = (dn: string): string => dn.toLowerCase();

/**
 * Walks memberOf upwards from the user, breadth first, one level per round trip, and stops at the first level that
 * reaches a target (the earliest listed target wins within a level). A visited set makes cycles terminate.
 */
export async function walkMembership(
  start: WalkStart,
  targets: readonly WalkTarget[],
  { maxDepth, fetchGroupsAbove }: MembershipWalkOptions,
): Promise<WalkOutcome> {
  const reachedFrom = new Map<string, string>();
  const nodes = new Map<string, GroupNode>();
  const startKey = dnKey(start.dn);
  const visited = new Set<string>([startKey]);
  let frontier: readonly WalkStart[] = [start];

  for (let depth = 1; ; depth++) {
    const level = nextLevel(frontier, visited, (key, member) => reachedFrom.set(key, dnKey(member.dn)));
    if (level.size === 0) {
      return { found: false };
    }
    if (depth > maxDepth) {
      return { found: false, cutAtDepth: maxDepth };
    }
    const matched = targets.find((target) => level.has(dnKey(target.dn)));
    if (matched) {
      return { found: true, matched, path: pathTo(matched, reachedFrom, nodes, startKey) };
    }
    const listing = await fetchGroupsAbove(frontier);
    const nextFrontier = listing.filter((group) => level.has(dnKey(group.dn)));
    for (const group of nextFrontier) {
      nodes.set(dnKey(group.dn), group);
    }
    frontier = nextFrontier;
  }
}

/**
 * The DN keys of the frontier's parents that no earlier level reached, marked visited as they are found: the next
 * level of a walk up memberOf, which is how cycles end. `reached` hears which member led to each.
 */
export function nextLevel(
  frontier: readonly WalkStart[],
  visited: Set<string>,
  reached: (key: string, member: WalkStart) => void = () => undefined,
): Set<string> {
  const level = new Set<string>();
  for (const member of frontier) {
    for (const parentDn of member.parentDns) {
      const key = dnKey(parentDn);
      if (!visited.has(key)) {
        visited.add(key);
        reached(key, member);
        level.add(key);
      }
    }
  }
  return level;
}

function pathTo(
  matched: WalkTarget,
  reachedFrom: ReadonlyMap<string, string>,
  nodes: ReadonlyMap<string, GroupNode>,
  startKey: string,
): WalkTarget[] {
  const path: WalkTarget[] = [matched];
  for (
    let key = reachedFrom.get(dnKey(matched.dn));
    key !== undefined && key !== startKey;
    key = reachedFrom.get(key)
  ) {
    const node = nodes.get(key);
    if (!node) {
      throw new Error(`Membership walk lost the group ${key}`);
    }
    path.unshift(node);
  }
  return path;
}

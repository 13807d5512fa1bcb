import { dnKey, GroupNode, MembershipWalkOptions, nextLevel, WalkStart } from './membership-walk';

export interface Ancestors {
  readonly groups: readonly GroupNode[];
  /** Set when groups were left above the depth cap. */
  readonly cutAtDepth?: number;
}

/**
 * Every group above the start, walking memberOf upwards as the membership check does (one level per round trip,
 * a visited set so that cycles terminate), to the depth cap. Depth 1 is the groups that list the start itself.
 */
export async function ancestorsOf(
  start: WalkStart,
  { maxDepth, fetchGroupsAbove }: MembershipWalkOptions,
): Promise<Ancestors> {
  const visited = new Set<string>([dnKey(start.dn)]);
  const groups: GroupNode[] = [];
  let frontier: readonly WalkStart[] = [start];
  for (let depth = 1; ; depth++) {
    const level = nextLevel(frontier, visited);
    if (level.size === 0) {
      return { groups };
    }
    if (depth > maxDepth) {
      return { groups, cutAtDepth: maxDepth };
    }
    const listing = await fetchGroupsAbove(frontier);
    // Deleting as we take keeps a group that the listing holds twice (cached and fresh) once.
    const reached = listing.filter((group) => level.delete(dnKey(group.dn)));
    groups.push(...reached);
    frontier = reached;
  }
}

import { GeneratedDirectory, GeneratedGroup, GeneratedUser } from './directory-generator';
import { LoadRequest } from './load-driver';
import { SeededRandom } from './seeded-random';

export type CheckKind = 'member' | 'non-member' | 'list with one member' | 'list without a member';

/** Shares of the mix: gateways mostly ask about users who are members, and lists are usually long shots. */
export const MIX: Readonly<Record<CheckKind, number>> = {
  member: 0.4,
  'non-member': 0.3,
  'list with one member': 0.2,
  'list without a member': 0.1,
};
const LIST_LENGTH = 5;

export interface Check extends LoadRequest {
  readonly method: 'HEAD';
  readonly kind: CheckKind;
  /** Levels from the user to the group it is a member of, when it is one. */
  readonly depth?: number;
}

/**
 * HEAD checks in the proportions of MIX, in a shuffled order, naming users by username, email or id and groups by
 * name or id at random; the directory's oracle gives each check its expected status.
 */
export function buildCheckMix(directory: GeneratedDirectory, count: number, seed: string): Check[] {
  const random = new SeededRandom(seed);
  const directUsers = new Map<GeneratedGroup, GeneratedUser[]>();
  for (const user of directory.users) {
    for (const group of user.memberOf) {
      const users = directUsers.get(group) ?? [];
      users.push(user);
      directUsers.set(group, users);
    }
  }

  const membership = (): { user: GeneratedUser; group: GeneratedGroup; depth: number } => {
    const chain = random.pick(directory.chains);
    const wantedDepth = random.between(1, chain.length);
    const bottom = random.below(chain.length - wantedDepth + 1);
    const user = random.pick(directUsers.get(chain[bottom]) ?? []);
    const group = chain[bottom + wantedDepth - 1];
    // Another of the user's groups may be a shorter way up; the oracle knows.
    const depth = directory.membershipDepth(user, group);
    if (depth === undefined) {
      throw new Error(`${user.uid} should be a member of ${group.name}`);
    }
    return { user, group, depth };
  };

  const nonMemberGroups = (user: GeneratedUser, wanted: number): GeneratedGroup[] => {
    const groups = new Set<GeneratedGroup>();
    while (groups.size < wanted) {
      const group = random.pick(directory.groups);
      if (directory.membershipDepth(user, group) === undefined) {
        groups.add(group);
      }
    }
    return [...groups];
  };

  const request = (user: GeneratedUser, groups: readonly GeneratedGroup[], expectedStatus: 204 | 404) => {
    const userIdentifier = random.pick([user.uid, user.mail, user.id]);
    const groupIdentifiers = groups.map((group) => encodeURIComponent(random.pick([group.name, group.id])));
    return {
      method: 'HEAD' as const,
      path: `/api/security/users/${encodeURIComponent(userIdentifier)}/groups/${groupIdentifiers.join(',')}`,
      expectedStatus,
    };
  };

  const check = (kind: CheckKind): Check => {
    switch (kind) {
      case 'member': {
        const { user, group, depth } = membership();
        return { ...request(user, [group], 204), kind, depth };
      }
      case 'non-member': {
        const user = random.pick(directory.users);
        return { ...request(user, nonMemberGroups(user, 1), 404), kind };
      }
      case 'list with one member': {
        const { user, group, depth } = membership();
        const groups = nonMemberGroups(user, LIST_LENGTH - 1);
        groups.splice(random.below(LIST_LENGTH), 0, group);
        return { ...request(user, groups, 204), kind, depth };
      }
      case 'list without a member': {
        const user = random.pick(directory.users);
        return { ...request(user, nonMemberGroups(user, LIST_LENGTH), 404), kind };
      }
    }
  };

  const kinds = Object.entries(MIX).flatMap(([kind, share]) =>
    Array.from({ length: Math.round(share * count) }, () => kind as CheckKind),
  );
  return random.shuffle(kinds).map(check);
}

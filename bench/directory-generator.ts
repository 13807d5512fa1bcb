import { SeededRandom } from './seeded-random';

// test/ldap/slapd.sh builds its configuration for this suffix and this service account.
export const SUFFIX = 'dc=fightclub,dc=com';
export const SERVICES_DN = `ou=services,${SUFFIX}`;
export const SERVICE_ACCOUNT = { dn: `cn=security-api,${SERVICES_DN}`, password: 'service-secret' } as const;
export const PEOPLE_DN = `ou=people,${SUFFIX}`;
export const GROUPS_DN = `ou=groups,${SUFFIX}`;
export const ADMIN_GROUP = 'System Administrators';

const CHAINS = 200;
const CHAIN_LENGTH = 10;
const CYCLE_LENGTHS = [2, 2, 2, 3, 3, 3];
const MAX_DIRECT_GROUPS_PER_USER = 3;

export interface GeneratedEntry {
  readonly dn: string;
  /** entryUUID, set by the LDIF rather than by slapd so that requests can name entries by id. */
  readonly id: string;
  /** The groups that list this entry as a member (memberOf). */
  readonly memberOf: GeneratedGroup[];
}

export interface GeneratedUser extends GeneratedEntry {
  readonly uid: string;
  readonly mail: string;
  readonly password?: string;
}

export interface GeneratedGroup extends GeneratedEntry {
  readonly name: string;
  readonly members: GeneratedEntry[];
}

export interface GeneratedDirectory {
  /** Everyone but the administrator. */
  readonly users: readonly GeneratedUser[];
  /** chains[c][k] is a member of chains[c][k + 1]. */
  readonly chains: readonly (readonly GeneratedGroup[])[];
  readonly groups: readonly GeneratedGroup[];
  /** A member of ADMIN_GROUP through one child group, so that authorising a request walks two levels. */
  readonly administrator: GeneratedUser & { readonly password: string };
  readonly adminGroups: readonly GeneratedGroup[];
  readonly cycles: readonly (readonly GeneratedGroup[])[];
  /** The oracle: levels from the user to the group (1 = direct), or undefined when not a member. */
  membershipDepth(user: GeneratedUser, group: GeneratedGroup): number | undefined;
}

/**
 * Groups form chains of nesting, the tops of a few chains form cycles, and every user is directly in one to three
 * groups. The same seed and size give the same directory.
 */
export function generateDirectory(userCount: number, seed: string): GeneratedDirectory {
  const groupCount = CHAINS * CHAIN_LENGTH;
  if (userCount < groupCount) {
    // groupOfNames must have a member, and the bottom of a chain has only users.
    throw new Error(`At least ${groupCount} users are needed, one per group`);
  }
  const random = new SeededRandom(seed);

  const chains = Array.from({ length: CHAINS }, (_, chain) =>
    Array.from({ length: CHAIN_LENGTH }, (_, level) =>
      newGroup(`Chain ${pad(chain + 1, 3)} Level ${pad(level + 1, 2)}`, random),
    ),
  );
  for (const chain of chains) {
    for (let level = 0; level + 1 < chain.length; level++) {
      join(chain[level], chain[level + 1]);
    }
  }
  const tops = random.shuffle(chains.map((chain) => chain[chain.length - 1]));
  const cycles = CYCLE_LENGTHS.map((length) => {
    const cycle = tops.splice(0, length);
    cycle.forEach((group, i) => join(group, cycle[(i + 1) % cycle.length]));
    return cycle;
  });

  const groups = chains.flat();
  const users = Array.from({ length: userCount }, (_, i) => {
    const user = newUser(`user${pad(i + 1, 6)}`, random);
    // Round robin first, so that no group is left without a member.
    const direct = new Set([groups[i % groups.length]]);
    const wanted = random.between(1, MAX_DIRECT_GROUPS_PER_USER);
    while (direct.size < wanted) {
      direct.add(random.pick(groups));
    }
    direct.forEach((group) => join(user, group));
    return user;
  });

  const administrator = { ...newUser('benchadmin', random), password: 'bench-secret' };
  const benchAdmins = newGroup('Bench Admins', random);
  const systemAdministrators = newGroup(ADMIN_GROUP, random);
  join(administrator, benchAdmins);
  join(benchAdmins, systemAdministrators);

  return {
    users,
    chains,
    groups,
    administrator,
    adminGroups: [benchAdmins, systemAdministrators],
    cycles,
    membershipDepth,
  };
}

function newUser(uid: string, random: SeededRandom): GeneratedUser {
  return { dn: `uid=${uid},${PEOPLE_DN}`, id: random.uuid(), memberOf: [], uid, mail: `${uid}@fightclub.com` };
}

function newGroup(name: string, random: SeededRandom): GeneratedGroup {
  return { dn: `cn=${name},${GROUPS_DN}`, id: random.uuid(), memberOf: [], name, members: [] };
}

function join(member: GeneratedEntry, group: GeneratedGroup): void {
  group.members.push(member);
  member.memberOf.push(group);
}

/** Breadth first up memberOf, as the service walks, so the depth is the fewest levels. */
function membershipDepth(user: GeneratedUser, group: GeneratedGroup): number | undefined {
  const visited = new Set<GeneratedGroup>();
  let level: GeneratedGroup[] = user.memberOf;
  for (let depth = 1; level.length > 0; depth++) {
    if (level.includes(group)) {
      return depth;
    }
    level.forEach((reached) => visited.add(reached));
    level = [...new Set(level.flatMap((reached) => reached.memberOf))].filter((parent) => !visited.has(parent));
  }
  return undefined;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

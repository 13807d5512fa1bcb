import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DirectoryUser, MembershipAnswer, MembershipVerdict } from '../directory';
import { domainOf } from './active-directory/domain-dn';
import { Dialect } from './dialects';
import { DatedCache } from './directory-caches';
import { asGroup, EntryMapping } from './entry-mapping';
import { GroupResolver } from './group-resolution';
import { GroupsAbove } from './groups-above';
import { all, any, equals, inChain } from './ldap-filters';
import { LdapSearch } from './ldap-search';
import { dnKey, walkMembership, WalkTarget } from './membership-walk';
import { ResolvedUser, UserResolver } from './user-resolution';

type ResolvedCheck =
  | { readonly kind: 'resolved'; readonly resolvedUser: ResolvedUser; readonly targets: readonly WalkTarget[] }
  | Exclude<MembershipAnswer, { kind: 'member' | 'not-a-member' }>;

/** Keys longer than this (lists of many long names) are kept as their SHA-256, so that a key's size is bounded. */
const LONGEST_PLAIN_ANSWER_KEY = 512;

/** Whether a user is a member of any of the listed groups: explained by a walk up memberOf, or only the verdict. */
export class MembershipCheck {
  private readonly logger = new Logger(MembershipCheck.name);

  constructor(
    private readonly users: UserResolver,
    private readonly groups: GroupResolver,
    private readonly groupsAbove: GroupsAbove,
    private readonly answers: DatedCache<string, MembershipAnswer>,
    private readonly verdicts: DatedCache<string, MembershipVerdict>,
    private readonly maxNestingDepth: number,
    private readonly dialect: Dialect,
    private readonly ldap: LdapSearch,
    private readonly entries: EntryMapping,
    private readonly baseDn: string,
  ) {}

  explained(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    const groups = [...new Set(groupIdentifiers)];
    return this.answers.getOrLoad(answerKey(user, groups), () => this.workOutMembership(user, groups));
  }

  /**
   * On Active Directory the server answers transitive membership itself: one search, whatever the depth. Elsewhere
   * the verdict is the explained answer's, which the walk up memberOf gives at no extra cost.
   */
  verdict(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipVerdict> {
    if (!this.dialect.activeDirectory) {
      return this.explained(user, groupIdentifiers);
    }
    const groups = [...new Set(groupIdentifiers)];
    return this.verdicts.getOrLoad(answerKey(user, groups), () => this.workOutVerdict(user, groups));
  }

  private async workOutVerdict(user: string | DirectoryUser, groups: readonly string[]): Promise<MembershipVerdict> {
    const check = await this.resolveCheck(user, groups);
    if (check.kind !== 'resolved') {
      return check;
    }
    const { resolvedUser, targets } = check;
    const member = { kind: 'member', user: resolvedUser.user } as const;
    const { primaryGroup } = resolvedUser;
    if (primaryGroup && targets.some((target) => dnKey(target.dn) === dnKey(primaryGroup.dn))) {
      return member;
    }
    // Scoped to the user's own entry and its primary group's: the server climbs memberOf upwards from those two, which
    // costs what their own nesting costs, where asking each listed group for its members at any depth would expand
    // groups as large as the whole domain.
    const starts = [resolvedUser.dn, ...(primaryGroup ? [primaryGroup.dn] : [])];
    const reached = await this.ldap.search(
      domainOf(resolvedUser.dn) ?? this.baseDn,
      all([
        any(starts.map((dn) => equals('distinguishedName', dn))),
        any(targets.map((target) => inChain(this.entries.schema.memberOfAttribute, target.dn))),
      ]),
      ['1.1'],
      {},
    );
    return reached.length > 0 ? member : { kind: 'not-a-member', user: resolvedUser.user };
  }

  private async workOutMembership(user: string | DirectoryUser, groups: readonly string[]): Promise<MembershipAnswer> {
    const check = await this.resolveCheck(user, groups);
    if (check.kind !== 'resolved') {
      return check;
    }
    const { resolvedUser, targets } = check;
    const member = resolvedUser.user;
    const outcome = await walkMembership(resolvedUser, targets, {
      maxDepth: this.maxNestingDepth,
      fetchGroupsAbove: (members) => this.groupsAbove.of(members),
    });
    if (outcome.found) {
      return { kind: 'member', user: member, matched: asGroup(outcome.matched), path: outcome.path.map(asGroup) };
    }
    if (outcome.cutAtDepth !== undefined) {
      this.logger.warn(
        `Membership walk for user ${member.id} stopped at MAX_NESTING_DEPTH=${outcome.cutAtDepth} with groups left ` +
          `unexplored; answering "not a member" of ${targets.map((target) => target.id).join(', ')}`,
      );
    }
    return { kind: 'not-a-member', user: member };
  }

  /** The user and the groups that exist, or the answer that ends the check before any membership is looked at. */
  private async resolveCheck(user: string | DirectoryUser, groups: readonly string[]): Promise<ResolvedCheck> {
    const [resolvedUser, resolvedGroups] = await Promise.all([
      this.users.resolve(user),
      Promise.all(groups.map((identifier) => this.groups.resolve(identifier))),
    ]);
    if (resolvedUser.kind === 'not-found') {
      return { kind: 'user-not-found' };
    }
    if (resolvedUser.kind === 'ambiguous') {
      return resolvedUser;
    }
    const ambiguousGroup = resolvedGroups.find((group) => group.kind === 'ambiguous');
    if (ambiguousGroup) {
      return ambiguousGroup;
    }
    const targets = resolvedGroups.flatMap((group) => (group.kind === 'found' ? [group.group] : []));
    if (targets.length === 0) {
      return { kind: 'no-group-found', user: resolvedUser.user };
    }
    return { kind: 'resolved', resolvedUser, targets };
  }
}

function answerKey(user: string | DirectoryUser, groups: readonly string[]): string {
  const key = JSON.stringify([typeof user === 'string' ? user : { id: user.id }, groups]);
  // A plain key is JSON and starts with "[", a digest never does: the two cannot collide.
  return key.length <= LONGEST_PLAIN_ANSWER_KEY ? key : createHash('sha256').update(key).digest('base64');
}

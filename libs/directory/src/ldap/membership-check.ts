import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DirectoryUser, MembershipAnswer, MembershipVerdict } from '../directory';
import { DatedCache } from './directory-caches';
import { asGroup } from './entry-mapping';
import { GroupResolver } from './group-resolution';
import { GroupsAbove } from './groups-above';
import { ServerVerdict } from './ldap-dialect';
import { walkMembership, WalkTarget } from './membership-walk';
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
    private readonly serverVerdict: ServerVerdict | undefined,
  ) {}

  explained(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    const groups = [...new Set(groupIdentifiers)];
    return this.answers.getOrLoad(answerKey(user, groups), () => this.workOutMembership(user, groups));
  }

  /**
   * Where the server answers transitive membership itself (Active Directory): one search, whatever the depth.
   * Elsewhere the verdict is the explained answer's, which the walk up memberOf gives at no extra cost.
   */
  verdict(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipVerdict> {
    const { serverVerdict } = this;
    if (!serverVerdict) {
      return this.explained(user, groupIdentifiers);
    }
    const groups = [...new Set(groupIdentifiers)];
    return this.verdicts.getOrLoad(answerKey(user, groups), () => this.workOutVerdict(user, groups, serverVerdict));
  }

  private async workOutVerdict(
    user: string | DirectoryUser,
    groups: readonly string[],
    serverVerdict: ServerVerdict,
  ): Promise<MembershipVerdict> {
    const check = await this.resolveCheck(user, groups);
    if (check.kind !== 'resolved') {
      return check;
    }
    const { resolvedUser, targets } = check;
    return (await serverVerdict.reaches(resolvedUser, targets))
      ? { kind: 'member', user: resolvedUser.user }
      : { kind: 'not-a-member', user: resolvedUser.user };
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

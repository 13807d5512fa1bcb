import { Logger } from '@nestjs/common';
import { GroupScope } from '../directory';
import { DirectoryOptions } from '../directory.options';
import { ancestorsOf } from './ancestor-walk';
import { isAtOrBelow } from './dn-scope';
import { GroupsAbove } from './groups-above';
import { GroupNode } from './membership-walk';
import { ResolvedUser } from './user-resolution';

/** The groups a user is in: those that list the user, or also every group above those, at any depth. */
export class GroupsOfUser {
  private readonly logger = new Logger(GroupsOfUser.name);

  constructor(
    private readonly groupsAbove: GroupsAbove,
    private readonly options: Pick<DirectoryOptions, 'groupBaseDn' | 'maxNestingDepth'>,
  ) {}

  async of(user: ResolvedUser, scope: GroupScope): Promise<GroupNode[]> {
    const ancestors = await ancestorsOf(user, {
      maxDepth: scope === 'direct' ? 1 : this.options.maxNestingDepth,
      fetchGroupsAbove: (members) => this.groupsAbove.of(members),
    });
    if (scope === 'inherited' && ancestors.cutAtDepth !== undefined) {
      this.logger.warn(
        `Inherited groups of user ${user.user.id} stopped at MAX_NESTING_DEPTH=${ancestors.cutAtDepth} with ` +
          'groups left unexplored; listing the groups found so far',
      );
    }
    // A walk on Active Directory climbs through groups outside the group base too; only those inside are listed.
    return ancestors.groups.filter((group) => isAtOrBelow(group.dn, this.options.groupBaseDn));
  }
}

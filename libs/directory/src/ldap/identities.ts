import { DirectoryUser, IdentityLookup } from '../directory';
import { groupOrder } from '../list-order';
import { DatedCache } from './directory-caches';
import { asGroup } from './entry-mapping';
import { GroupsOfUser } from './groups-of-user';
import { ResolvedUser, UserResolver } from './user-resolution';

/** Who a user is, for a gateway to hand on: names, and every group the user is in, worked out once per bound. */
export class Identities {
  constructor(
    private readonly users: UserResolver,
    private readonly groupsOfUser: GroupsOfUser,
    private readonly cache: DatedCache<string, IdentityLookup>,
  ) {}

  async of(user: string | DirectoryUser): Promise<IdentityLookup> {
    const resolved = await this.users.resolve(user);
    if (resolved.kind !== 'found') {
      return resolved;
    }
    return this.cache.getOrLoad(resolved.user.id, () => this.workOut(resolved));
  }

  private async workOut(resolved: ResolvedUser): Promise<IdentityLookup> {
    const groups = (await this.groupsOfUser.of(resolved, 'inherited')).map(asGroup).sort(groupOrder);
    return {
      kind: 'found',
      identity: {
        user: resolved.user,
        displayName: resolved.displayName,
        groupNames: groups.map((group) => group.name),
      },
    };
  }
}

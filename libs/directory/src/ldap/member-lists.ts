import { Entry, Filter } from 'ldapts';
import { DirectoryGroup, DirectoryUser, GroupScope, ListAnswer } from '../directory';
import { DirectoryOptions } from '../directory.options';
import { groupOrder, userOrder } from '../list-order';
import { pageOf, PageWindow } from '../page-window';
import { PageRequest } from '../paging';
import { asGroup, EntryMapping } from './entry-mapping';
import { GroupResolution, GroupResolver } from './group-resolution';
import { GroupsOfUser } from './groups-of-user';
import { any, equals, ofClassWithAll } from './ldap-filters';
import { LdapSearch } from './ldap-search';
import { UserResolver } from './user-resolution';

interface MemberQuery<T> {
  readonly baseDn: string;
  readonly filter: Filter;
  readonly attributes: string[];
  readonly toItem: (entry: Entry) => T;
}

type FoundGroup = Extract<GroupResolution, { kind: 'found' }>;

/** A user's groups, and the users and groups a group lists, one page at a time. */
export class MemberLists {
  constructor(
    private readonly ldap: LdapSearch,
    private readonly entries: EntryMapping,
    private readonly users: UserResolver,
    private readonly groups: GroupResolver,
    private readonly userGroups: GroupsOfUser,
    private readonly options: Pick<DirectoryOptions, 'userBaseDn' | 'groupBaseDn'>,
  ) {}

  async groupsOfUser(
    user: string | DirectoryUser,
    scope: GroupScope,
    page: PageRequest,
  ): Promise<ListAnswer<DirectoryGroup>> {
    const resolvedUser = await this.users.resolve(user);
    if (resolvedUser.kind !== 'found') {
      return resolvedUser;
    }
    const listed = await this.userGroups.of(resolvedUser, scope);
    return { kind: 'found', page: pageOf(listed.map(asGroup), page, groupOrder) };
  }

  usersInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryUser>> {
    const { schema } = this.entries;
    return this.membersOf(groupIdentifier, page, userOrder, ({ group, primaryMembers }) => {
      const listed = equals(schema.memberOfAttribute, group.dn);
      // The users whose primary group it is are in neither its member attribute nor their memberOf.
      const members = primaryMembers === undefined ? listed : any([listed, primaryMembers]);
      return {
        baseDn: this.options.userBaseDn,
        filter: ofClassWithAll(this.entries.userEntries, [members]),
        attributes: [schema.userIdAttribute, schema.usernameAttribute, ...schema.emailAttributes],
        toItem: (entry) => this.entries.asUser(entry),
      };
    });
  }

  groupsInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    const { schema } = this.entries;
    return this.membersOf(groupIdentifier, page, groupOrder, ({ group }) => ({
      baseDn: this.options.groupBaseDn,
      filter: ofClassWithAll(this.entries.groupEntries, [equals(schema.memberOfAttribute, group.dn)]),
      attributes: [schema.groupIdAttribute, schema.groupNameAttribute],
      toItem: (entry) => asGroup(this.entries.asGroupNode(entry)),
    }));
  }

  /**
   * One page of the entries whose memberOf names the group: read in LDAP pages, never all held at once, because a
   * group may list far more entries than a request should keep (see PageWindow).
   */
  private async membersOf<T>(
    groupIdentifier: string,
    page: PageRequest,
    order: (a: T, b: T) => number,
    query: (found: FoundGroup) => MemberQuery<T>,
  ): Promise<ListAnswer<T>> {
    const resolvedGroup = await this.groups.resolve(groupIdentifier);
    if (resolvedGroup.kind !== 'found') {
      return resolvedGroup;
    }
    const { baseDn, filter, attributes, toItem } = query(resolvedGroup);
    const window = new PageWindow(page, order);
    await this.ldap.searchEach(baseDn, filter, attributes, (entry) => window.add(toItem(entry)));
    return { kind: 'found', page: window.page() };
  }
}

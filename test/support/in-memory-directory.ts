import {
  Directory,
  DirectoryGroup,
  DirectoryUser,
  GroupLookup,
  GroupScope,
  groupOrder,
  IdentityLookup,
  ListAnswer,
  MembershipAnswer,
  MembershipVerdict,
  PageRequest,
  pageOf,
  UserLookup,
  userOrder,
} from '@app/directory';

export interface InMemoryAccount {
  readonly logins: readonly string[];
  readonly password: string;
  readonly user: DirectoryUser;
}

export interface InMemoryDirectoryContents {
  readonly accounts?: readonly InMemoryAccount[];
  /** User id → names of every group the user is in, directly or through child groups. */
  readonly memberships?: Readonly<Record<string, readonly string[]>>;
  /** Groups that exist but have none of the users above as members. */
  readonly otherGroups?: readonly string[];
  /** User id → names of the groups that list the user themselves; without it, every group of memberships. */
  readonly directMemberships?: Readonly<Record<string, readonly string[]>>;
  /** Group name → names of the groups it lists. */
  readonly childGroups?: Readonly<Record<string, readonly string[]>>;
  /** User id → the name a person reads. */
  readonly displayNames?: Readonly<Record<string, string>>;
  /** Group name → ids of the several groups that name matches. */
  readonly ambiguousGroups?: Readonly<Record<string, readonly string[]>>;
}

export type DirectoryMethod =
  | 'findUser'
  | 'findGroup'
  | 'checkMembership'
  | 'isMember'
  | 'groupsOfUser'
  | 'identityOf'
  | 'usersInGroup'
  | 'groupsInGroup'
  | 'authenticate'
  | 'ping';

export interface DirectoryCall {
  readonly method: DirectoryMethod;
  readonly args: readonly unknown[];
}

/** A fake Directory for app-layer unit tests: fixed answers and a record of every call. Proves nothing about LDAP. */
export class InMemoryDirectory extends Directory {
  readonly calls: DirectoryCall[] = [];
  private failure: Error | undefined;

  constructor(private readonly contents: InMemoryDirectoryContents = {}) {
    super();
  }

  /** Every later call rejects with this error (after being recorded). */
  failWith(error: Error): this {
    this.failure = error;
    return this;
  }

  callsTo(method: DirectoryMethod): (readonly unknown[])[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  async findUser(identifier: string): Promise<UserLookup> {
    this.record('findUser', identifier);
    const user = this.userFor(identifier);
    return user ? { kind: 'found', user } : { kind: 'not-found' };
  }

  async findGroup(identifier: string): Promise<GroupLookup> {
    this.record('findGroup', identifier);
    return this.lookUpGroup(identifier);
  }

  private async lookUpGroup(identifier: string): Promise<GroupLookup> {
    const candidateIds = this.contents.ambiguousGroups?.[identifier];
    if (candidateIds) {
      return { kind: 'ambiguous', identifier, candidateIds };
    }
    return this.knownGroups().has(identifier) ? { kind: 'found', group: asGroup(identifier) } : { kind: 'not-found' };
  }

  async checkMembership(
    userOrIdentifier: string | DirectoryUser,
    groupIdentifiers: readonly string[],
  ): Promise<MembershipAnswer> {
    this.record('checkMembership', userOrIdentifier, [...groupIdentifiers]);
    return this.membership(userOrIdentifier, groupIdentifiers);
  }

  async isMember(
    userOrIdentifier: string | DirectoryUser,
    groupIdentifiers: readonly string[],
  ): Promise<MembershipVerdict> {
    this.record('isMember', userOrIdentifier, [...groupIdentifiers]);
    return this.membership(userOrIdentifier, groupIdentifiers);
  }

  private membership(userOrIdentifier: string | DirectoryUser, groupIdentifiers: readonly string[]): MembershipAnswer {
    const user = this.userFor(typeof userOrIdentifier === 'string' ? userOrIdentifier : userOrIdentifier.id);
    if (!user) {
      return { kind: 'user-not-found' };
    }
    const ambiguous = groupIdentifiers.find((name) => this.contents.ambiguousGroups?.[name] !== undefined);
    if (ambiguous !== undefined) {
      return {
        kind: 'ambiguous',
        identifier: ambiguous,
        candidateIds: this.contents.ambiguousGroups?.[ambiguous] ?? [],
      };
    }
    const known = this.knownGroups();
    const targets = groupIdentifiers.filter((name) => known.has(name));
    if (targets.length === 0) {
      return { kind: 'no-group-found', user };
    }
    const groupsOfUser = this.contents.memberships?.[user.id] ?? [];
    const matched = targets.find((name) => groupsOfUser.includes(name));
    if (matched === undefined) {
      return { kind: 'not-a-member', user };
    }
    const group = asGroup(matched);
    return { kind: 'member', user, matched: group, path: [group] };
  }

  async identityOf(userOrIdentifier: string | DirectoryUser): Promise<IdentityLookup> {
    this.record('identityOf', userOrIdentifier);
    const user = this.userFor(typeof userOrIdentifier === 'string' ? userOrIdentifier : userOrIdentifier.id);
    if (!user) {
      return { kind: 'not-found' };
    }
    const groupNames = [...(this.contents.memberships?.[user.id] ?? [])].sort();
    return { kind: 'found', identity: { user, displayName: this.contents.displayNames?.[user.id], groupNames } };
  }

  async groupsOfUser(
    userOrIdentifier: string | DirectoryUser,
    scope: GroupScope,
    page: PageRequest,
  ): Promise<ListAnswer<DirectoryGroup>> {
    this.record('groupsOfUser', userOrIdentifier, scope, page);
    const user = this.userFor(typeof userOrIdentifier === 'string' ? userOrIdentifier : userOrIdentifier.id);
    if (!user) {
      return { kind: 'not-found' };
    }
    const all = this.contents.memberships?.[user.id] ?? [];
    const names = scope === 'direct' ? (this.contents.directMemberships?.[user.id] ?? all) : all;
    return { kind: 'found', page: pageOf(names.map(asGroup), page, groupOrder) };
  }

  async usersInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryUser>> {
    this.record('usersInGroup', groupIdentifier, page);
    const lookup = await this.lookUpGroup(groupIdentifier);
    if (lookup.kind !== 'found') {
      return lookup;
    }
    const direct = this.contents.directMemberships ?? this.contents.memberships ?? {};
    const users = (this.contents.accounts ?? [])
      .map((account) => account.user)
      .filter((user) => direct[user.id]?.includes(lookup.group.name));
    return { kind: 'found', page: pageOf(users, page, userOrder) };
  }

  async groupsInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    this.record('groupsInGroup', groupIdentifier, page);
    const lookup = await this.lookUpGroup(groupIdentifier);
    if (lookup.kind !== 'found') {
      return lookup;
    }
    const children = this.contents.childGroups?.[lookup.group.name] ?? [];
    return { kind: 'found', page: pageOf(children.map(asGroup), page, groupOrder) };
  }

  async authenticate(login: string, password: string): Promise<DirectoryUser | undefined> {
    this.record('authenticate', login, password);
    const account = this.contents.accounts?.find((candidate) => candidate.logins.includes(login));
    return account && account.password === password ? account.user : undefined;
  }

  async ping(): Promise<void> {
    this.record('ping');
  }

  private record(method: DirectoryMethod, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failure) {
      throw this.failure;
    }
  }

  private userFor(identifier: string): DirectoryUser | undefined {
    const users = (this.contents.accounts ?? []).map((account) => account.user);
    return (
      users.find((user) => user.id === identifier) ??
      users.find((user) => user.username === identifier || user.email === identifier)
    );
  }

  private knownGroups(): Set<string> {
    return new Set([
      ...Object.values(this.contents.memberships ?? {}).flat(),
      ...Object.keys(this.contents.childGroups ?? {}),
      ...(this.contents.otherGroups ?? []),
    ]);
  }
}

function asGroup(name: string): DirectoryGroup {
  return { id: `id-of-${name}`, name };
}

import { Directory, DirectoryGroup, DirectoryUser, GroupLookup, MembershipAnswer, UserLookup } from '@app/directory';

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
  /** Group name → ids of the several groups that name matches. */
  readonly ambiguousGroups?: Readonly<Record<string, readonly string[]>>;
}

export type DirectoryMethod = 'findUser' | 'findGroup' | 'checkMembership' | 'authenticate' | 'ping';

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
    const candidateIds = this.contents.ambiguousGroups?.[identifier];
    if (candidateIds) {
      return { kind: 'ambiguous', identifier, candidateIds };
    }
    return this.knownGroups().has(identifier) ? { kind: 'found', group: asGroup(identifier) } : { kind: 'not-found' };
  }

  async checkMembership(userOrIdentifier: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    this.record('checkMembership', userOrIdentifier, [...groupIdentifiers]);
    const user = this.userFor(typeof userOrIdentifier === 'string' ? userOrIdentifier : userOrIdentifier.id);
    if (!user) {
      return { kind: 'user-not-found' };
    }
    const ambiguous = groupIdentifiers.find((name) => this.contents.ambiguousGroups?.[name] !== undefined);
    if (ambiguous !== undefined) {
      return { kind: 'ambiguous', identifier: ambiguous, candidateIds: this.contents.ambiguousGroups?.[ambiguous] ?? [] };
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
    return new Set([...Object.values(this.contents.memberships ?? {}).flat(), ...(this.contents.otherGroups ?? [])]);
  }
}

function asGroup(name: string): DirectoryGroup {
  return { id: `id-of-${name}`, name };
}

import { Page, PageRequest } from './paging';

export interface DirectoryUser {
  readonly id: string;
  readonly username: string;
  readonly email?: string;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly name: string;
}

/** Groups from the one that lists the user up to the matched group. */
export type MembershipPath = readonly DirectoryGroup[];

export type UserLookup =
  | { readonly kind: 'found'; readonly user: DirectoryUser }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

export type GroupLookup =
  | { readonly kind: 'found'; readonly group: DirectoryGroup }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

export type MembershipAnswer =
  | {
      readonly kind: 'member';
      readonly user: DirectoryUser;
      readonly matched: DirectoryGroup;
      readonly path: MembershipPath;
    }
  | { readonly kind: 'not-a-member'; readonly user: DirectoryUser }
  | { readonly kind: 'user-not-found' }
  | { readonly kind: 'no-group-found'; readonly user: DirectoryUser }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

/** A check's answer without the explanation: for a member, only the user. */
export type MembershipVerdict =
  { readonly kind: 'member'; readonly user: DirectoryUser } | Exclude<MembershipAnswer, { kind: 'member' }>;

/** Who a user is, as a gateway hands it on to the applications behind it. */
export interface UserIdentity {
  readonly user: DirectoryUser;
  /** The name a person reads, where the entry has one. */
  readonly displayName?: string;
  /** The names of the user's groups, those that list the user and every group above them, in list order. */
  readonly groupNames: readonly string[];
}

export type IdentityLookup =
  | { readonly kind: 'found'; readonly identity: UserIdentity }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

/** A page of a list that belongs to one user or group, or why there is none. */
export type ListAnswer<T> =
  | { readonly kind: 'found'; readonly page: Page<T> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

/** Only the groups that list the user, or also every group above those, at any depth. */
export type GroupScope = 'direct' | 'inherited';

/**
 * The one seam between the HTTP edge and the directory. Identifiers are plain values (never DNs or filters);
 * implementations throw DirectoryUnavailableError when the directory cannot answer.
 */
export abstract class Directory {
  /** A user by id, username or email, in that order of precedence. */
  abstract findUser(identifier: string): Promise<UserLookup>;

  /** A group by id or name, an id match winning over a name match. */
  abstract findGroup(identifier: string): Promise<GroupLookup>;

  /**
   * Whether the user is a member, directly or through child groups, of at least one of the groups
   * (names or ids). Unknown groups are ignored while another listed group exists. A string is resolved like any
   * user identifier; a DirectoryUser that this directory returned is looked up by its id alone.
   */
  abstract checkMembership(
    user: string | DirectoryUser,
    groupIdentifiers: readonly string[],
  ): Promise<MembershipAnswer>;

  /**
   * The same check when only the verdict matters (HEAD, the admin guard). It answers as checkMembership does, except
   * that a directory which evaluates nesting itself (Active Directory) is not held to maxNestingDepth.
   */
  abstract isMember(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipVerdict>;

  /** The user's groups, by name then id. A user is given as in checkMembership. */
  abstract groupsOfUser(
    user: string | DirectoryUser,
    scope: GroupScope,
    page: PageRequest,
  ): Promise<ListAnswer<DirectoryGroup>>;

  /** The user's identity: names, and every group the user is in. A user is given as in checkMembership. */
  abstract identityOf(user: string | DirectoryUser): Promise<IdentityLookup>;

  /** The users the group lists itself (not those of its child groups), by username then id. */
  abstract usersInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryUser>>;

  /** The groups the group lists itself, by name then id. */
  abstract groupsInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryGroup>>;

  /** The user the login (username or email) names, when the password is theirs; undefined otherwise. */
  abstract authenticate(login: string, password: string): Promise<DirectoryUser | undefined>;

  /** Resolves when the directory accepts the service account's bind and answers a base search. */
  abstract ping(): Promise<void>;
}

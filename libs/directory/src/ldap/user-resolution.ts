import { Entry, Filter } from 'ldapts';
import { FreshCache } from '../cache/fresh-cache';
import { Freshness, ReadStamp } from '../cache/freshness';
import { DirectoryUser } from '../directory';
import { hasUuidSyntax } from '../identifier';
import { EntryMapping } from './entry-mapping';
import { valuesOf } from './entry-values';
import { sameId } from './id-attribute';
import { PrimaryGroups } from './ldap-dialect';
import { equals, ofClassWithAny } from './ldap-filters';
import { LdapSearch } from './ldap-search';
import { GroupNode } from './membership-walk';

type UserKey = 'id' | 'username' | 'email';

export interface ResolvedUser {
  readonly kind: 'found';
  readonly user: DirectoryUser;
  readonly dn: string;
  readonly parentDns: readonly string[];
  readonly primaryGroup?: GroupNode;
  readonly displayName?: string;
  /** When the entry was read, for the caches' staleness bound. */
  readonly stamp: ReadStamp;
}

export type UserResolution =
  | ResolvedUser
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

/** Enough to name the candidates of an ambiguous identifier without reading a runaway result. */
export const CANDIDATE_LIMIT = 20;

/** Users by id, username or email, in that order of precedence; a tie at one level is never guessed. */
export class UserResolver {
  /** Where the users this directory handed out were found, so that checking one of them needs no second lookup. */
  private readonly whereFound = new WeakMap<DirectoryUser, ResolvedUser>();

  constructor(
    private readonly ldap: LdapSearch,
    private readonly entries: EntryMapping,
    private readonly freshness: Freshness,
    private readonly cache: FreshCache<string, UserResolution>,
    private readonly userBaseDn: string,
    private readonly primaryGroups: PrimaryGroups | undefined,
  ) {}

  /** A user as a client names one (an id only with UUID syntax), or a user this directory handed out. */
  resolve(user: string | DirectoryUser): Promise<UserResolution> {
    return typeof user === 'string' ? this.byIdentifier(user, userKeysFor(user)) : this.resolveKnownUser(user);
  }

  /** A login names a user by username or email only. */
  resolveLogin(login: string): Promise<UserResolution> {
    return this.byIdentifier(login, ['username', 'email']);
  }

  private resolveKnownUser(user: DirectoryUser): Promise<UserResolution> {
    const found = this.whereFound.get(user);
    // Without caches, a user object lives no longer than the request it was found for, so it is always fresh.
    if (found && (!this.freshness.enabled || this.freshness.admits(found.stamp))) {
      return Promise.resolve(found);
    }
    // An id from this directory is exact whatever its syntax, so it is not held to the UUID rule for values.
    return this.byIdentifier(user.id, ['id']);
  }

  private byIdentifier(identifier: string, keys: readonly UserKey[]): Promise<UserResolution> {
    return this.cache.getOrLoad(`${keys.join(',')}:${identifier}`, () => this.searchUser(identifier, keys));
  }

  private async searchUser(identifier: string, keys: readonly UserKey[]): Promise<UserResolution> {
    const stamp = this.freshness.stamp();
    const entries = await this.searchUsers(keys, identifier);
    if (entries.length <= 1) {
      return entries.length === 1 ? await this.asResolvedUser(entries[0], stamp) : { kind: 'not-found' };
    }
    // Several entries match: the identifier's precedence decides, and a tie at one level is never guessed.
    // The answer holds at most CANDIDATE_LIMIT entries: when full, the id's own entry may be among those left out.
    const complete = entries.length < CANDIDATE_LIMIT;
    for (const key of keys) {
      const matches =
        key === 'id' && complete
          ? entries.filter((entry) => sameId(this.entries.userIds.read(entry), identifier))
          : await this.searchUsers([key], identifier);
      if (matches.length === 1) {
        return this.asResolvedUser(matches[0], stamp);
      }
      if (matches.length > 1) {
        return { kind: 'ambiguous', identifier, candidateIds: matches.map((entry) => this.entries.userId(entry)) };
      }
    }
    return { kind: 'not-found' };
  }

  private searchUsers(keys: readonly UserKey[], identifier: string): Promise<Entry[]> {
    const { schema } = this.entries;
    const filtersOf: Record<UserKey, () => Filter[]> = {
      id: () => [this.entries.userIds.matching(identifier)],
      username: () => [equals(schema.usernameAttribute, identifier)],
      email: () => schema.emailAttributes.map((attribute) => equals(attribute, identifier)),
    };
    return this.ldap.search(
      this.userBaseDn,
      ofClassWithAny(
        this.entries.userEntries,
        keys.flatMap((key) => filtersOf[key]()),
      ),
      [
        schema.userIdAttribute,
        schema.usernameAttribute,
        ...schema.emailAttributes,
        ...schema.displayNameAttributes,
        schema.memberOfAttribute,
        ...(this.primaryGroups?.userAttributes ?? []),
      ],
      { sizeLimit: CANDIDATE_LIMIT },
    );
  }

  private async asResolvedUser(entry: Entry, stamp: ReadStamp): Promise<ResolvedUser> {
    const primaryGroup = await this.primaryGroups?.of(entry);
    const memberOf = valuesOf(entry, this.entries.schema.memberOfAttribute);
    const resolved: ResolvedUser = {
      kind: 'found',
      stamp,
      dn: entry.dn,
      parentDns: [...memberOf, ...(primaryGroup ? [primaryGroup.dn] : [])],
      primaryGroup,
      displayName: this.entries.displayNameOf(entry),
      user: this.entries.asUser(entry),
    };
    this.whereFound.set(resolved.user, resolved);
    return resolved;
  }
}

function userKeysFor(identifier: string): UserKey[] {
  return hasUuidSyntax(identifier) ? ['id', 'username', 'email'] : ['username', 'email'];
}

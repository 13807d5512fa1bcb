import { Entry, Filter } from 'ldapts';
import { ChangeMarkerReader } from '../cache/change-watch';
import { DirectoryDialect } from '../dialect';
import { DirectoryOptions, DirectorySchema } from '../directory.options';
import { EntryReader, LdapSearch } from './ldap-search';
import { GroupNode, WalkStart, WalkTarget } from './membership-walk';

/** What differs between kinds of server, beyond the attribute names a deployment may override. */
export interface Dialect {
  readonly name: DirectoryDialect;
  readonly defaultSchema: DirectorySchema;
  /** The filter that selects users of the given object class. */
  readonly users: (userObjectClass: string) => Filter;
  changeMarker(readEntry: EntryReader, baseDn: string): ChangeMarkerReader;
  /** Attributes the client must keep as bytes, besides binary ids. */
  readonly binaryAttributes: readonly string[];
  /** Where a walk up memberOf looks for the groups above a level. */
  walkBaseDn(bases: Pick<DirectoryOptions, 'baseDn' | 'groupBaseDn'>): string;
  /** Where users have a primary group that lists them in no member attribute and that their memberOf omits. */
  primaryGroups?(context: DialectContext, remembered: RememberedGroups): PrimaryGroups;
  /** Where the server answers transitive membership itself, without an explanation. */
  serverVerdict?(context: DialectContext): ServerVerdict;
}

/** What a dialect's own parts search with. */
export interface DialectContext {
  readonly ldap: LdapSearch;
  readonly entries: GroupEntries;
  readonly baseDn: string;
}

/** How group entries are found and read: what the entry mapping gives a dialect's parts, and no more. */
export interface GroupEntries {
  readonly schema: DirectorySchema;
  readonly groupEntries: Filter;
  groupNodeAttributes(): string[];
  asGroupNode(entry: Entry): GroupNode;
}

/** Loads a group through a cache that remembers too that a key names no group. */
export type RememberedGroups = (
  key: string,
  load: () => Promise<GroupNode | undefined>,
) => Promise<GroupNode | undefined>;

/**
 * A group that users belong to without being listed in it: it leads to the groups above it, and is one of the
 * user's groups inside the group base.
 */
export interface PrimaryGroups {
  /** Read on users, for `of`. */
  readonly userAttributes: readonly string[];
  /** Read on groups, for `usersOf`. */
  readonly groupAttributes: readonly string[];
  of(user: Entry): Promise<GroupNode | undefined>;
  /** A filter for the users whose primary group the group is, where it can be one. */
  usersOf(group: Entry): Filter | undefined;
}

export interface ServerVerdict {
  /** Whether the user is a member of any of the targets, directly or through nesting. */
  reaches(user: WalkStart, targets: readonly WalkTarget[]): Promise<boolean>;
}

/** The dialect's defaults, with what the deployment set instead. */
export function schemaOf(dialect: Dialect, overrides: Partial<DirectorySchema>): DirectorySchema {
  const set = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...dialect.defaultSchema, ...set };
}

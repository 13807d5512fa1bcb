import { Filter } from 'ldapts';
import { ChangeMarkerReader } from '../cache/change-watch';
import { DirectoryDialect } from '../dialect';
import { DirectorySchema } from '../directory.options';
import { highestCommittedUsnReader } from './active-directory/highest-committed-usn';
import { all, equals } from './ldap-filters';
import { EntryReader } from './ldap-search';
import { contextCsnReader } from './openldap/context-csn';

/** What differs between kinds of server, beyond the attribute names a deployment may override. */
export interface Dialect {
  readonly name: DirectoryDialect;
  readonly defaultSchema: DirectorySchema;
  /** The filter that selects users of the given object class. */
  users(userObjectClass: string): Filter;
  changeMarker(readEntry: EntryReader, baseDn: string): ChangeMarkerReader;
  /**
   * Whether users have a primary group (primaryGroupID) that lists them in no member attribute and that their memberOf
   * omits, and whether the server answers transitive membership itself (LDAP_MATCHING_RULE_IN_CHAIN).
   */
  readonly activeDirectory: boolean;
}

export const OPENLDAP: Dialect = {
  name: 'openldap',
  defaultSchema: {
    userObjectClass: 'inetOrgPerson',
    usernameAttribute: 'uid',
    emailAttributes: ['mail'],
    userIdAttribute: 'entryUUID',
    groupObjectClass: 'groupOfNames',
    groupNameAttribute: 'cn',
    groupIdAttribute: 'entryUUID',
    memberAttribute: 'member',
    memberOfAttribute: 'memberOf',
  },
  users: (userObjectClass) => equals('objectClass', userObjectClass),
  changeMarker: (readEntry, baseDn) => contextCsnReader(readEntry, baseDn),
  activeDirectory: false,
};

export const ACTIVE_DIRECTORY: Dialect = {
  name: 'active-directory',
  defaultSchema: {
    userObjectClass: 'user',
    usernameAttribute: 'sAMAccountName',
    emailAttributes: ['mail', 'userPrincipalName'],
    userIdAttribute: 'objectGUID',
    groupObjectClass: 'group',
    groupNameAttribute: 'cn',
    groupIdAttribute: 'objectGUID',
    memberAttribute: 'member',
    memberOfAttribute: 'memberOf',
  },
  // Computer accounts are of class user too; their category is computer, a person's is person.
  users: (userObjectClass) => all([equals('objectCategory', 'person'), equals('objectClass', userObjectClass)]),
  changeMarker: (readEntry) => highestCommittedUsnReader(readEntry),
  activeDirectory: true,
};

export const DIALECTS: Record<DirectoryDialect, Dialect> = {
  openldap: OPENLDAP,
  'active-directory': ACTIVE_DIRECTORY,
};

/** The dialect's defaults, with what the deployment set instead. */
export function schemaOf(dialect: Dialect, overrides: Partial<DirectorySchema>): DirectorySchema {
  const set = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...dialect.defaultSchema, ...set };
}

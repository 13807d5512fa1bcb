import { DirectoryObserver } from '../directory-observer';
import { DirectoryOptions } from '../directory.options';
import { DirectoryCaches } from './directory-caches';
import { EntryMapping } from './entry-mapping';
import { GroupResolver } from './group-resolution';
import { GroupsAbove } from './groups-above';
import { GroupsOfUser } from './groups-of-user';
import { Identities } from './identities';
import { clientSettings } from './ldap-clients';
import { Dialect, schemaOf } from './ldap-dialect';
import { LdapSearch } from './ldap-search';
import { Logins } from './logins';
import { MemberLists } from './member-lists';
import { MembershipCheck } from './membership-check';
import { Readiness } from './readiness';
import { ServiceConnection } from './service-connection';
import { UserResolver } from './user-resolution';

/** What an LdapDirectory is made of, for one dialect. */
export interface DirectoryParts {
  readonly caches: DirectoryCaches;
  readonly users: UserResolver;
  readonly groups: GroupResolver;
  readonly membership: MembershipCheck;
  readonly lists: MemberLists;
  readonly identities: Identities;
  readonly logins: Logins;
  readonly readiness: Readiness;
}

export function directoryParts(
  options: DirectoryOptions,
  dialect: Dialect,
  connection: ServiceConnection,
  observer: DirectoryObserver,
): DirectoryParts {
  const entries = new EntryMapping(schemaOf(dialect, options.schema), dialect.users);
  const { userIds, groupIds } = entries;
  const binaryAttributes = [...new Set([...userIds.binaryNames, ...groupIds.binaryNames, ...dialect.binaryAttributes])];
  const ldap = new LdapSearch(connection, observer, binaryAttributes);
  const caches = new DirectoryCaches(options, dialect, (dn, attributes) => ldap.readEntry(dn, attributes), observer);
  const { freshness } = caches;
  const context = { ldap, entries, baseDn: options.baseDn };
  const primaryGroups = dialect.primaryGroups?.(context, caches.rememberedPrimaryGroup);
  const users = new UserResolver(ldap, entries, freshness, caches.usersByIdentifier, options.userBaseDn, primaryGroups);
  const groups = new GroupResolver(ldap, entries, caches.groupsByIdentifier, options.groupBaseDn, primaryGroups);
  const groupsAbove = new GroupsAbove(ldap, entries, freshness, caches.groupsByDn, dialect.walkBaseDn(options));
  const groupsOfUser = new GroupsOfUser(groupsAbove, options);
  return {
    caches,
    users,
    groups,
    membership: new MembershipCheck(
      users,
      groups,
      groupsAbove,
      caches.answers,
      caches.verdicts,
      options.maxNestingDepth,
      dialect.serverVerdict?.(context),
    ),
    lists: new MemberLists(ldap, entries, users, groups, groupsOfUser, options),
    identities: new Identities(users, groupsOfUser, caches.identities),
    logins: new Logins(
      users,
      freshness,
      caches.verifiedLogins,
      connection,
      clientSettings(options, options.timeoutMs),
      observer,
      options.userBaseDn,
    ),
    readiness: new Readiness(options, connection, observer),
  };
}

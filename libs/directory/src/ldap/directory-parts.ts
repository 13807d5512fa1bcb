import { DirectoryObserver } from '../directory-observer';
import { DirectoryOptions } from '../directory.options';
import { Dialect, schemaOf } from './dialects';
import { DirectoryCaches } from './directory-caches';
import { EntryMapping } from './entry-mapping';
import { GroupResolver } from './group-resolution';
import { GroupsAbove } from './groups-above';
import { clientSettings } from './ldap-clients';
import { LdapSearch } from './ldap-search';
import { Logins } from './logins';
import { MemberLists } from './member-lists';
import { MembershipCheck } from './membership-check';
import { PrimaryGroups } from './primary-groups';
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
  const binaryAttributes = [
    ...new Set([
      ...entries.userIds.binaryNames,
      ...entries.groupIds.binaryNames,
      ...(dialect.activeDirectory ? ['objectSid'] : []),
    ]),
  ];
  const ldap = new LdapSearch(connection, observer, binaryAttributes);
  const caches = new DirectoryCaches(options, dialect, (dn, attributes) => ldap.readEntry(dn, attributes), observer);
  const { freshness } = caches;
  const primaryGroups = new PrimaryGroups(dialect, ldap, entries, caches.groupsBySid, options.baseDn);
  const users = new UserResolver(ldap, entries, freshness, caches.usersByIdentifier, options.userBaseDn, primaryGroups);
  const groups = new GroupResolver(ldap, entries, caches.groupsByIdentifier, options.groupBaseDn, primaryGroups);
  // On Active Directory, the server counts nesting through any group (its in-chain verdict does), so the walk that
  // explains it climbs through the whole LDAP_BASE_DN, not only the group base; elsewhere, through the group base.
  const walkBaseDn = dialect.activeDirectory ? options.baseDn : options.groupBaseDn;
  const groupsAbove = new GroupsAbove(ldap, entries, freshness, caches.groupsByDn, walkBaseDn);
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
      dialect,
      ldap,
      entries,
      options.baseDn,
    ),
    lists: new MemberLists(ldap, entries, users, groups, groupsAbove, options),
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

import { Dialect } from '../ldap-dialect';
import { all, equals } from '../ldap-filters';
import { highestCommittedUsnReader } from './highest-committed-usn';
import { InChainVerdict } from './in-chain-verdict';
import { PrimaryGroupsBySid } from './primary-groups';

export const ACTIVE_DIRECTORY: Dialect = {
  name: 'active-directory',
  defaultSchema: {
    userObjectClass: 'user',
    usernameAttribute: 'sAMAccountName',
    emailAttributes: ['mail', 'userPrincipalName'],
    displayNameAttributes: ['displayName', 'cn'],
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
  // The SIDs that lead to primary groups.
  binaryAttributes: ['objectSid'],
  // The server counts nesting through any group (its in-chain verdict does), so the walk that explains it climbs
  // through the whole LDAP_BASE_DN, not only the group base.
  walkBaseDn: ({ baseDn }) => baseDn,
  primaryGroups: (context, remembered) => new PrimaryGroupsBySid(context, remembered),
  serverVerdict: (context) => new InChainVerdict(context),
};

import { Dialect } from '../ldap-dialect';
import { equals } from '../ldap-filters';
import { contextCsnReader } from './context-csn';

export const OPENLDAP: Dialect = {
  name: 'openldap',
  defaultSchema: {
    userObjectClass: 'inetOrgPerson',
    usernameAttribute: 'uid',
    emailAttributes: ['mail'],
    displayNameAttributes: ['displayName', 'cn'],
    userIdAttribute: 'entryUUID',
    groupObjectClass: 'groupOfNames',
    groupNameAttribute: 'cn',
    groupIdAttribute: 'entryUUID',
    memberAttribute: 'member',
    memberOfAttribute: 'memberOf',
  },
  users: (userObjectClass) => equals('objectClass', userObjectClass),
  changeMarker: (readEntry, baseDn) => contextCsnReader(readEntry, baseDn),
  binaryAttributes: [],
  walkBaseDn: ({ groupBaseDn }) => groupBaseDn,
};

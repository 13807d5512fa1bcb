import { dialectOfRootDse } from './dialect-detection';
import { ACTIVE_DIRECTORY, OPENLDAP, schemaOf } from './dialects';

describe(schemaOf.name, () => {
  it("takes the dialect's defaults for what the deployment leaves unset", () => {
    expect(schemaOf(ACTIVE_DIRECTORY, { usernameAttribute: undefined, groupNameAttribute: 'displayName' })).toEqual({
      ...ACTIVE_DIRECTORY.defaultSchema,
      groupNameAttribute: 'displayName',
    });
  });

  it('gives Active Directory its own names: sAMAccountName, mail or userPrincipalName, objectGUID, group', () => {
    expect(ACTIVE_DIRECTORY.defaultSchema).toMatchObject({
      userObjectClass: 'user',
      usernameAttribute: 'sAMAccountName',
      emailAttributes: ['mail', 'userPrincipalName'],
      userIdAttribute: 'objectGUID',
      groupObjectClass: 'group',
      groupIdAttribute: 'objectGUID',
    });
  });

  it('narrows Active Directory users to persons, which leaves computer accounts out', () => {
    expect(ACTIVE_DIRECTORY.users('user').toString()).toBe('(&(objectCategory=person)(objectClass=user))');
    expect(OPENLDAP.users('inetOrgPerson').toString()).toBe('(objectClass=inetOrgPerson)');
  });
});

describe(dialectOfRootDse.name, () => {
  it('recognises Active Directory by the capability every domain controller lists', () => {
    const rootDse = { dn: '', supportedCapabilities: ['1.2.840.113556.1.4.800', '1.2.840.113556.1.4.1670'] };
    expect(dialectOfRootDse(rootDse)).toBe(ACTIVE_DIRECTORY);
  });

  it('takes any other server, or a rootDSE it may not read, as OpenLDAP-like', () => {
    expect(dialectOfRootDse({ dn: '', supportedLDAPVersion: '3' })).toBe(OPENLDAP);
    expect(dialectOfRootDse(undefined)).toBe(OPENLDAP);
  });
});

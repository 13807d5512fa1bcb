import { ACTIVE_DIRECTORY } from './active-directory/active-directory-dialect';
import { dialectOfRootDse } from './dialect-source';
import { OPENLDAP } from './openldap/openldap-dialect';

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

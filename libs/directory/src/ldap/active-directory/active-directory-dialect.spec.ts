import { OPENLDAP } from '../openldap/openldap-dialect';
import { ACTIVE_DIRECTORY } from './active-directory-dialect';

describe('ACTIVE_DIRECTORY', () => {
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

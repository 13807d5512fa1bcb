import { domainOf } from './domain-dn';

describe(domainOf.name, () => {
  it.each([
    ['CN=Tyler Durden,OU=people,DC=fightclub,DC=com', 'DC=fightclub,DC=com'],
    ['cn=Smith\\, Jones,ou=groups,dc=corp, dc=example,dc=com', 'dc=corp, dc=example,dc=com'],
    ['DC=fightclub,DC=com', 'DC=fightclub,DC=com'],
  ])('finds the DC= names that end %s', (dn, domain) => {
    expect(domainOf(dn)).toBe(domain);
  });

  it('finds none in a DN that does not end in DC= names', () => {
    expect(domainOf('cn=admin,o=example')).toBeUndefined();
  });
});

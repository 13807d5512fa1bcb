import { domainOf, isAtOrBelow } from './dn-scope';

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

describe(isAtOrBelow.name, () => {
  it('compares by case and spacing around separators only', () => {
    expect(isAtOrBelow('CN=Night Shift,OU=groups,DC=fightclub,DC=com', 'ou=groups, dc=fightclub,dc=com')).toBe(true);
    expect(isAtOrBelow('CN=Domain Users,CN=Users,DC=fightclub,DC=com', 'ou=groups,dc=fightclub,dc=com')).toBe(false);
  });
});

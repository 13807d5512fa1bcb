import { isAtOrBelow } from './dn-scope';

describe(isAtOrBelow.name, () => {
  it('compares by case and spacing around separators only', () => {
    expect(isAtOrBelow('CN=Night Shift,OU=groups,DC=fightclub,DC=com', 'ou=groups, dc=fightclub,dc=com')).toBe(true);
    expect(isAtOrBelow('CN=Domain Users,CN=Users,DC=fightclub,DC=com', 'ou=groups,dc=fightclub,dc=com')).toBe(false);
  });
});

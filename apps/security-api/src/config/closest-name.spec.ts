import { closestName, editDistance } from './closest-name';

describe(editDistance.name, () => {
  it.each([
    ['', '', 0],
    ['PORT', 'PORT', 0],
    ['', 'HOST', 4],
    ['LDAP_BIND_PASWORD', 'LDAP_BIND_PASSWORD', 1],
    ['ADMIN_GRUOP', 'ADMIN_GROUP', 2],
    ['kitten', 'sitting', 3],
  ])('counts the edits from %j to %j', (from, to, distance) => {
    expect(editDistance(from, to)).toBe(distance);
    expect(editDistance(to, from)).toBe(distance);
  });
});

describe(closestName.name, () => {
  const known = ['LDAP_URL', 'LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BIND_PASSWORD_FILE', 'ADMIN_GROUP', 'PORT'];

  it.each([
    ['LDAP_BIND_PASWORD', 'LDAP_BIND_PASSWORD'],
    ['ADMIN_GRUOP', 'ADMIN_GROUP'],
    ['LDAP_BIND_PASSWORD_FIEL', 'LDAP_BIND_PASSWORD_FILE'],
    ['LDAP_URLS', 'LDAP_URL'],
  ])('takes %s for %s', (misspelt, meant) => {
    expect(closestName(misspelt, known)).toBe(meant);
  });

  it('suggests nothing when no known name is near', () => {
    expect(closestName('LDAP_PORT', known)).toBeUndefined();
    expect(closestName('ADMIN_CONTACT_EMAIL', known)).toBeUndefined();
  });
});

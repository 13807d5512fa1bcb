import { Entry } from 'ldapts';
import { firstValueOf, rawValuesOf, valuesOf } from './entry-values';

describe(valuesOf.name, () => {
  const entry: Entry = {
    dn: 'uid=tdurden,ou=people,dc=fightclub,dc=com',
    memberOf: [
      'cn=Liposuction Technicians,ou=groups,dc=fightclub,dc=com',
      'cn=Smith\\2C Jones,ou=groups,dc=fightclub,dc=com',
    ],
    entryUUID: '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f',
    cn: Buffer.from('Café Société', 'utf8'),
  };

  it('finds an attribute whatever the case the server used for its name', () => {
    expect(valuesOf(entry, 'memberof')).toHaveLength(2);
    expect(firstValueOf(entry, 'ENTRYUUID')).toBe('9f02a3d1-d8eb-4b10-8ed6-293a11d5201f');
  });

  it('gives a single value as a list of one', () => {
    expect(valuesOf(entry, 'entryUUID')).toEqual(['9f02a3d1-d8eb-4b10-8ed6-293a11d5201f']);
  });

  it('decodes binary values as UTF-8', () => {
    expect(firstValueOf(entry, 'cn')).toBe('Café Société');
  });

  it('gives nothing for an attribute the entry does not have', () => {
    expect(valuesOf(entry, 'mail')).toEqual([]);
    expect(firstValueOf(entry, 'mail')).toBeUndefined();
  });
});

describe(rawValuesOf.name, () => {
  it('keeps binary values as bytes', () => {
    const entry: Entry = { dn: 'cn=x', objectGUID: Buffer.from([1, 2, 3]) };
    expect(rawValuesOf(entry, 'objectguid')).toEqual([Buffer.from([1, 2, 3])]);
  });

  it('refuses an attribute the server sent in slices, rather than read a slice as all of it', () => {
    const entry: Entry = { dn: 'cn=Big Group', 'memberOf;range=0-1499': ['cn=a', 'cn=b'] };
    expect(() => valuesOf(entry, 'memberOf')).toThrow(/more memberOf values than the directory returns at once/);
  });
});

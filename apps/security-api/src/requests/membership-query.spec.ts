import { InvalidIdentifierError, MAX_IDENTIFIER_LENGTH } from './identifier';
import { parseMembershipQuery } from './membership-query';

const MAX_GROUPS = 5;

function problemOf(rawUser: string, rawGroups: string, maxGroups = MAX_GROUPS): string | undefined {
  try {
    parseMembershipQuery(rawUser, rawGroups, maxGroups);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidIdentifierError) {
      return error.problem;
    }
    throw error;
  }
}

describe(parseMembershipQuery.name, () => {
  const sut = parseMembershipQuery;

  it('decodes the user and each listed group', () => {
    expect(sut('tyler', 'Project%20Mayhem,Space%20Monkeys', MAX_GROUPS)).toEqual({
      user: 'tyler',
      groups: ['Project Mayhem', 'Space Monkeys'],
    });
  });

  it('splits the group list before decoding, so an encoded comma stays inside a name', () => {
    expect(sut('tyler', 'Smith%2C%20Jones,Admins', MAX_GROUPS).groups).toEqual(['Smith, Jones', 'Admins']);
  });

  it('keeps spaces around a name as part of it', () => {
    expect(sut('%20tyler', '%20a,a%20,a', MAX_GROUPS)).toEqual({ user: ' tyler', groups: [' a', 'a ', 'a'] });
  });

  it('counts a repeated group once and keeps the order of first appearance', () => {
    expect(sut('tyler', 'b,a,b,c,a', MAX_GROUPS).groups).toEqual(['b', 'a', 'c']);
  });

  it('treats a group listed both encoded and plain as the same group', () => {
    expect(sut('tyler', 'Caf%C3%A9,Café', MAX_GROUPS).groups).toEqual(['Café']);
  });

  it('decodes UTF-8 names', () => {
    expect(sut('Caf%C3%A9', '%E6%97%A5%E6%9C%AC,%F0%9F%98%80', MAX_GROUPS)).toEqual({
      user: 'Café',
      groups: ['日本', '😀'],
    });
  });

  it('passes filter metacharacters through as plain values', () => {
    expect(sut('*', '%2A,(cn%3D*),a%5C29,%28%29%5C,a)(b', MAX_GROUPS).groups).toEqual([
      '*',
      '(cn=*)',
      'a\\29',
      '()\\',
      'a)(b',
    ]);
  });

  it.each([
    ['an empty user', '', 'a'],
    ['an empty group list', 'tyler', ''],
    ['an empty item between groups', 'tyler', 'a,,b'],
    ['an empty first item', 'tyler', ',a'],
    ['an empty last item', 'tyler', 'a,'],
  ])('rejects %s as EMPTY', (_, user, groups) => {
    expect(problemOf(user, groups)).toBe('EMPTY');
  });

  it('accepts exactly the maximum number of groups', () => {
    expect(sut('tyler', 'a,b,c,d,e', 5).groups).toHaveLength(5);
  });

  it('rejects more than the maximum number of groups as TOO_MANY', () => {
    expect(problemOf('tyler', 'a,b,c,d,e,f', 5)).toBe('TOO_MANY');
  });

  it(`accepts identifiers of exactly ${MAX_IDENTIFIER_LENGTH} characters`, () => {
    const name = 'x'.repeat(MAX_IDENTIFIER_LENGTH);

    expect(sut(name, name, MAX_GROUPS)).toEqual({ user: name, groups: [name] });
  });

  it.each([
    ['é', 'é'],
    ['an emoji', '😀'],
  ])(`counts characters, not bytes or UTF-16 units, so ${MAX_IDENTIFIER_LENGTH} of %s are accepted`, (_, character) => {
    const name = character.repeat(MAX_IDENTIFIER_LENGTH);

    expect(sut(encodeURIComponent(name), encodeURIComponent(name), MAX_GROUPS)).toEqual({ user: name, groups: [name] });
  });

  it.each([
    ['a user', (long: string) => [long, 'a']],
    ['a group', (long: string) => ['tyler', `a,${long}`]],
    ['an encoded multi-byte user', () => [encodeURIComponent('é'.repeat(MAX_IDENTIFIER_LENGTH + 1)), 'a']],
  ])(`rejects %s longer than ${MAX_IDENTIFIER_LENGTH} characters as TOO_LONG`, (_, make) => {
    const [user, groups] = make('x'.repeat(MAX_IDENTIFIER_LENGTH + 1));

    expect(problemOf(user, groups)).toBe('TOO_LONG');
  });

  it.each([
    ['an encoded NUL', 'a%00b'],
    ['an encoded line feed', 'a%0Ab'],
    ['an encoded DEL', 'a%7Fb'],
    ['a raw control character', 'a\u0001b'],
    ['an encoded C1 control character', 'a%C2%85b'],
  ])('rejects %s as CONTROL_CHARACTER, in the user or in a group', (_, raw) => {
    expect(problemOf(raw, 'a')).toBe('CONTROL_CHARACTER');
    expect(problemOf('tyler', `a,${raw}`)).toBe('CONTROL_CHARACTER');
  });

  it.each([
    ['a truncated escape', 'a%E0%A4%A'],
    ['a non-hex escape', 'a%ZZ'],
    ['a trailing percent sign', 'a%'],
    ['an invalid UTF-8 sequence', 'a%C3%28'],
    ['a byte that never occurs in UTF-8', 'a%FF'],
    ['an encoded surrogate', 'a%ED%A0%80'],
  ])('rejects %s as BAD_ENCODING, in the user or in a group', (_, raw) => {
    expect(problemOf(raw, 'a')).toBe('BAD_ENCODING');
    expect(problemOf('tyler', `a,${raw}`)).toBe('BAD_ENCODING');
  });

  it('names the offending group in the message', () => {
    expect(() => sut('tyler', 'a,b,%ZZ', MAX_GROUPS)).toThrow('Group identifier 3');
  });
});

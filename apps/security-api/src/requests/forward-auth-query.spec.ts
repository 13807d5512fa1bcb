import { InvalidIdentifierError } from './identifier';
import { parseForwardAuthQuery, rawQuestionOf } from './forward-auth-query';
import { InvalidQueryParameterError } from './query-parameters';

const MAX_GROUPS = 3;
const sut = (rawQuery: string) => parseForwardAuthQuery(rawQuery, MAX_GROUPS);

function problemOf(rawQuery: string): string {
  try {
    sut(rawQuery);
  } catch (error) {
    if (error instanceof InvalidIdentifierError) {
      return `INVALID_IDENTIFIER ${error.problem}`;
    }
    if (error instanceof InvalidQueryParameterError) {
      return `INVALID_QUERY_PARAMETER ${error.parameter} ${error.problem}`;
    }
    throw error;
  }
  throw new Error(`${rawQuery} was accepted`);
}

describe(parseForwardAuthQuery.name, () => {
  it('takes each group value as one whole identifier: a comma is part of the name', () => {
    expect(sut('group=Smith%2C%20Jones')).toEqual({ groups: ['Smith, Jones'] });
    expect(sut('group=Smith,%20Jones')).toEqual({ groups: ['Smith, Jones'] });
  });

  it('reads several group parameters as OR, duplicates once, and the user when one is named', () => {
    expect(sut('group=Loners&group=Fight+Club&group=Loners&user=t.durden%40fightclub.com')).toEqual({
      groups: ['Loners', 'Fight Club'],
      user: 't.durden@fightclub.com',
    });
  });

  it('decodes as forms do: "+" is a space and "%2B" a plus; parameters it does not know are ignored', () => {
    expect(sut('rd=https%3A%2F%2Fapp&group=C%2B%2B+Developers')).toEqual({ groups: ['C++ Developers'] });
  });

  it.each([
    ['', 'INVALID_QUERY_PARAMETER group MISSING'],
    ['user=tdurden', 'INVALID_QUERY_PARAMETER group MISSING'],
    ['group=Loners&user=a&user=b', 'INVALID_QUERY_PARAMETER user REPEATED'],
    ['group=', 'INVALID_IDENTIFIER EMPTY'],
    ['group', 'INVALID_IDENTIFIER EMPTY'],
    ['group=Loners&user=', 'INVALID_IDENTIFIER EMPTY'],
    ['group=a&group=b&group=c&group=d', 'INVALID_IDENTIFIER TOO_MANY'],
    [`group=${'x'.repeat(257)}`, 'INVALID_IDENTIFIER TOO_LONG'],
    ['group=Lon%00ers', 'INVALID_IDENTIFIER CONTROL_CHARACTER'],
    ['group=Lon%ers', 'INVALID_IDENTIFIER BAD_ENCODING'],
    ['group=%C3%28', 'INVALID_IDENTIFIER BAD_ENCODING'],
  ])('refuses %j: %s', (rawQuery, problem) => {
    expect(problemOf(rawQuery)).toBe(problem);
  });
});

describe(rawQuestionOf.name, () => {
  it.each([
    ['/api/security/forward-auth?group=Loners', 'group=Loners'],
    ['/api/security/forward-auth', ''],
    ['/api/security/forward-auth?group=Loners&path=/app?x=1&group=Fight%20Club&user=tdurden', 'group=Loners'],
    ['/api/security/forward-auth?group=Loners&path&group=x', 'group=Loners'],
    ['/api/security/forward-auth?path=/x&group=Loners', ''],
    ['/api/security/forward-auth?group=Loners&paths=1&user=a', 'group=Loners&paths=1&user=a'],
  ])('reads the question of %s up to a path parameter: %j', (url, question) => {
    expect(rawQuestionOf(url)).toBe(question);
  });
});

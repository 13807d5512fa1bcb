import { MAX_LISTED_POSITION } from '@app/directory';
import { InvalidQueryParameterError, MAX_PAGE_SIZE, parseGroupScope, parsePageRequest } from './query-parameters';

function problemOf(parse: () => unknown): Pick<InvalidQueryParameterError, 'parameter' | 'problem'> {
  try {
    parse();
  } catch (error) {
    if (error instanceof InvalidQueryParameterError) {
      return { parameter: error.parameter, problem: error.problem };
    }
    throw error;
  }
  throw new Error('expected an InvalidQueryParameterError');
}

describe(parsePageRequest.name, () => {
  it('defaults to the first page of 25', () => {
    expect(parsePageRequest({})).toEqual({ index: 0, size: 25 });
  });

  it('reads whole numbers, leading zeros included', () => {
    expect(parsePageRequest({ pageIndex: '3', pageSize: '010' })).toEqual({ index: 3, size: 10 });
    expect(parsePageRequest({ pageSize: String(MAX_PAGE_SIZE) })).toEqual({ index: 0, size: 100 });
  });

  it('ignores parameters it does not know', () => {
    expect(parsePageRequest({ orderBy: 'name', pageSize: '5' })).toEqual({ index: 0, size: 5 });
  });

  it.each([
    [{ pageSize: '0' }, 'pageSize', 'OUT_OF_RANGE'],
    [{ pageSize: '101' }, 'pageSize', 'OUT_OF_RANGE'],
    [{ pageSize: '-5' }, 'pageSize', 'NOT_A_WHOLE_NUMBER'],
    [{ pageSize: ' 5' }, 'pageSize', 'NOT_A_WHOLE_NUMBER'],
    [{ pageSize: '0x10' }, 'pageSize', 'NOT_A_WHOLE_NUMBER'],
    [{ pageSize: '' }, 'pageSize', 'NOT_A_WHOLE_NUMBER'],
    [{ pageSize: ['1', '2'] }, 'pageSize', 'REPEATED'],
    [{ pageSize: { nested: '1' } }, 'pageSize', 'REPEATED'],
    [{ pageIndex: '1.0' }, 'pageIndex', 'NOT_A_WHOLE_NUMBER'],
    [{ pageIndex: '9'.repeat(30) }, 'pageIndex', 'OUT_OF_RANGE'],
    [{ pageIndex: String(MAX_LISTED_POSITION / 25) }, 'pageIndex', 'OUT_OF_RANGE'],
  ])('refuses %j', (query, parameter, problem) => {
    expect(problemOf(() => parsePageRequest(query))).toEqual({ parameter, problem });
  });

  it('accepts the deepest page that ends at MAX_LISTED_POSITION', () => {
    expect(parsePageRequest({ pageIndex: String(MAX_LISTED_POSITION / 25 - 1) })).toEqual({ index: 399, size: 25 });
  });
});

describe(parseGroupScope.name, () => {
  it.each([
    [{}, 'direct'],
    [{ includeInherited: 'false' }, 'direct'],
    [{ includeInherited: 'true' }, 'inherited'],
    [{ includeInherited: 'True' }, 'inherited'],
  ])('reads %j as %s', (query, scope) => {
    expect(parseGroupScope(query)).toBe(scope);
  });

  it.each([[{ includeInherited: '1' }], [{ includeInherited: '' }], [{ includeInherited: 'yes' }]])(
    'refuses %j',
    (query) => {
      expect(problemOf(() => parseGroupScope(query))).toEqual({
        parameter: 'includeInherited',
        problem: 'NOT_TRUE_OR_FALSE',
      });
    },
  );

  it('refuses includeInherited given twice', () => {
    expect(problemOf(() => parseGroupScope({ includeInherited: ['true', 'true'] }))).toEqual({
      parameter: 'includeInherited',
      problem: 'REPEATED',
    });
  });
});

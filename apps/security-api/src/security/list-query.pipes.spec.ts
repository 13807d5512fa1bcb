import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { GROUP_IDENTIFIER, USER_IDENTIFIER } from './identifier.pipe';
import { GroupScopePipe, PageRequestPipe } from './list-query.pipes';

function apiErrorOf(transform: () => unknown): ApiError {
  try {
    transform();
  } catch (error) {
    if (error instanceof ApiError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe(PageRequestPipe.name, () => {
  const sut = new PageRequestPipe();

  it('reads the page from the whole query', () => {
    expect(sut.transform({ pageIndex: '2', pageSize: '10', includeInherited: 'true' })).toEqual({ index: 2, size: 10 });
  });

  it('answers 400 INVALID_QUERY_PARAMETER naming the parameter and the problem', () => {
    const error = apiErrorOf(() => sut.transform({ pageSize: '500' }));
    expect(error.getStatus()).toBe(HttpStatus.BAD_REQUEST);
    expect(error.message).toBe('pageSize must be from 1 to 100');
    expect(error.data).toEqual({ reason: 'INVALID_QUERY_PARAMETER', parameter: 'pageSize', problem: 'OUT_OF_RANGE' });
  });
});

describe(GroupScopePipe.name, () => {
  const sut = new GroupScopePipe();

  it('reads includeInherited, direct by default', () => {
    expect(sut.transform({})).toBe('direct');
    expect(sut.transform({ includeInherited: 'true' })).toBe('inherited');
  });

  it('answers 400 for anything but true or false', () => {
    expect(apiErrorOf(() => sut.transform({ includeInherited: '1' })).data).toEqual({
      reason: 'INVALID_QUERY_PARAMETER',
      parameter: 'includeInherited',
      problem: 'NOT_TRUE_OR_FALSE',
    });
  });
});

describe('IdentifierPipe', () => {
  it('decodes one raw segment, keeping commas and spaces', () => {
    expect(GROUP_IDENTIFIER.transform('Smith,%20Jones%20')).toBe('Smith, Jones ');
    expect(USER_IDENTIFIER.transform('%40current')).toBe('@current');
  });

  it.each([
    [undefined, 'EMPTY'],
    ['', 'EMPTY'],
    ['%E0%A4%A', 'BAD_ENCODING'],
    ['a%00', 'CONTROL_CHARACTER'],
    ['x'.repeat(257), 'TOO_LONG'],
  ])('answers 400 INVALID_IDENTIFIER for %j', (raw, problem) => {
    const error = apiErrorOf(() => USER_IDENTIFIER.transform(raw));
    expect(error.getStatus()).toBe(HttpStatus.BAD_REQUEST);
    expect(error.data).toEqual({ reason: 'INVALID_IDENTIFIER', problem });
    expect(error.message).toMatch(/^The user identifier /);
  });
});

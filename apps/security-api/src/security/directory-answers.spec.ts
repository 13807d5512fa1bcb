import { DirectoryUser, MembershipVerdict } from '@app/directory';
import { ApiError } from '../errors/api-error';
import { foundOrThrow, namedAnswer } from './directory-answers';

const TYLER: DirectoryUser = { id: '7f3c1a52-0000-4000-8000-000000000001', username: 'tyler' };

const VERDICTS: MembershipVerdict[] = [
  { kind: 'member', user: TYLER },
  { kind: 'not-a-member', user: TYLER },
  { kind: 'user-not-found' },
  { kind: 'no-group-found', user: TYLER },
  { kind: 'ambiguous', identifier: 'Support Group', candidateIds: ['id-1', 'id-2'] },
];

function reasonTheClientReads(verdict: MembershipVerdict): string {
  try {
    foundOrThrow(verdict);
    return 'member';
  } catch (error) {
    return (error as ApiError).data.reason;
  }
}

describe(namedAnswer.name, () => {
  it.each(VERDICTS.map((verdict) => [verdict.kind, verdict] as const))(
    'names %s as the client reads it: member, or the reason of its 404 or 409',
    (_kind, verdict) => {
      expect(namedAnswer(verdict)).toBe(reasonTheClientReads(verdict));
    },
  );
});

import {
  GroupLookup,
  IdentityLookup,
  ListAnswer,
  MembershipAnswer,
  MembershipVerdict,
  UserLookup,
} from '@app/directory';
import { ambiguousIdentifier, ApiError, groupNotFound, notAMember, userNotFound } from '../errors/api-error';
import type { Response } from 'express';
import { AskedQuestion, noteAnswer, noteQuestion, QuestionAnswer } from '../logging/request-log';

/** An answer about one identifier, whose "not-found" does not say whether a user or a group was missing. */
type Lookup = UserLookup | GroupLookup | IdentityLookup | ListAnswer<unknown>;

type DirectoryAnswer = Lookup | MembershipAnswer | MembershipVerdict;

/** What was asked for: the user, the group or the page that was found, or the membership. */
type Found<A extends DirectoryAnswer> = Extract<A, { kind: 'found' | 'member' }>;

/**
 * The one mapping from the directory's answers to the client's: what was asked for, or the contract's 404 or 409. A
 * check's answer says which 404 it is; for a lookup's "not-found", the caller names the 404 of what it looked up.
 */
export function foundOrThrow<A extends MembershipAnswer | MembershipVerdict>(answer: A): Found<A>;
export function foundOrThrow<A extends Lookup>(answer: A, notFound: () => ApiError): Found<A>;
export function foundOrThrow(answer: DirectoryAnswer, notFound?: () => ApiError): Found<DirectoryAnswer> {
  switch (answer.kind) {
    case 'found':
    case 'member':
      return answer;
    case 'ambiguous':
      throw ambiguousIdentifier(answer.identifier, answer.candidateIds);
    case 'not-found':
      throw notFound?.() ?? new Error('A lookup answered "not-found" without saying whose 404 that is');
    case 'user-not-found':
      throw userNotFound();
    case 'no-group-found':
      throw groupNotFound();
    case 'not-a-member':
      throw notAMember();
  }
}

/** A check's answer as the request line names it: member, or the reason foundOrThrow gives the client. */
export function namedAnswer(answer: MembershipAnswer | MembershipVerdict): QuestionAnswer {
  switch (answer.kind) {
    case 'member':
      return 'member';
    case 'ambiguous':
      return 'AMBIGUOUS_IDENTIFIER';
    case 'user-not-found':
      return 'USER_NOT_FOUND';
    case 'no-group-found':
      return 'GROUP_NOT_FOUND';
    case 'not-a-member':
      return 'NOT_A_MEMBER';
  }
}

/**
 * A membership check as every route asks it: the question noted for the request line before the directory is asked
 * (so that a failure's line has it too), the answer noted once it comes, then mapped as foundOrThrow maps it.
 */
export async function checked<A extends MembershipAnswer | MembershipVerdict>(
  response: Response,
  question: AskedQuestion,
  ask: () => Promise<A>,
): Promise<Found<A>> {
  noteQuestion(response, question);
  const answer = await ask();
  noteAnswer(response, namedAnswer(answer));
  return foundOrThrow(answer);
}

import { MembershipAnswer, MembershipVerdict } from '@app/directory';
import { ambiguousIdentifier, groupNotFound, notAMember, userNotFound } from '../errors/api-error';

export type Membership = Extract<MembershipAnswer, { kind: 'member' }>;

/** The directory's answer to a check, as the client sees it: the membership, or the contract's 404 or 409. */
export function membershipOrThrow(answer: MembershipAnswer): Membership;
export function membershipOrThrow(answer: MembershipVerdict): Extract<MembershipVerdict, { kind: 'member' }>;
export function membershipOrThrow(answer: MembershipVerdict): Extract<MembershipVerdict, { kind: 'member' }> {
  switch (answer.kind) {
    case 'member':
      return answer;
    case 'not-a-member':
      throw notAMember();
    case 'user-not-found':
      throw userNotFound();
    case 'no-group-found':
      throw groupNotFound();
    case 'ambiguous':
      throw ambiguousIdentifier(answer.identifier, answer.candidateIds);
  }
}

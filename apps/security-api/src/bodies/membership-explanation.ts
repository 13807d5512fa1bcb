import { MembershipAnswer } from '@app/directory';
import { ApiProperty } from '@nestjs/swagger';
import { GroupReference, UserReference, userReference } from './references';

/** A check's answer for a member. */
type Membership = Extract<MembershipAnswer, { kind: 'member' }>;

/** GET's answer for a member: which listed group matched, and through which chain of child groups. */
export class MembershipExplanation {
  @ApiProperty({ enum: [true] })
  readonly member: true;

  @ApiProperty()
  readonly user: UserReference;

  @ApiProperty({ description: 'The listed group that matched: the nearest one, then the earliest listed.' })
  readonly matched: GroupReference;

  @ApiProperty({
    type: [GroupReference],
    description: 'From the group that lists the user up to the matched group; one item for a direct member.',
  })
  readonly path: readonly GroupReference[];
}

export function membershipExplanation({ user, matched, path }: Membership): MembershipExplanation {
  return { member: true, user: userReference(user), matched, path };
}

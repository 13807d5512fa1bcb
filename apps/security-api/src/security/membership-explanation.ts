import { ApiProperty } from '@nestjs/swagger';

export class GroupReference {
  @ApiProperty({ description: "The group's id: entryUUID on OpenLDAP, objectGUID (as Active Directory writes it) on Active Directory, by default." })
  readonly id: string;

  @ApiProperty({ description: "The group's name (cn by default), as the directory stores it." })
  readonly name: string;
}

export class UserReference {
  @ApiProperty({ description: "The user's id: entryUUID on OpenLDAP, objectGUID (as Active Directory writes it) on Active Directory, by default." })
  readonly id: string;

  @ApiProperty()
  readonly username: string;

  @ApiProperty({ type: String, nullable: true })
  readonly email: string | null;
}

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

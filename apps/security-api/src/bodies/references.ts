import { DirectoryGroup, DirectoryUser } from '@app/directory';
import { ApiProperty } from '@nestjs/swagger';

export class GroupReference {
  @ApiProperty({
    description:
      "The group's id: entryUUID on OpenLDAP, objectGUID (as Active Directory writes it) on Active Directory, by default.",
  })
  readonly id: string;

  @ApiProperty({ description: "The group's name (cn by default), as the directory stores it." })
  readonly name: string;
}

export function groupReference({ id, name }: DirectoryGroup): GroupReference {
  return { id, name };
}

export class UserReference {
  @ApiProperty({
    description:
      "The user's id: entryUUID on OpenLDAP, objectGUID (as Active Directory writes it) on Active Directory, by default.",
  })
  readonly id: string;

  @ApiProperty()
  readonly username: string;

  @ApiProperty({ type: String, nullable: true })
  readonly email: string | null;
}

export function userReference({ id, username, email }: DirectoryUser): UserReference {
  return { id, username, email: email ?? null };
}

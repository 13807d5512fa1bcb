import { Entry, Filter } from 'ldapts';
import { DirectoryGroup, DirectoryUser } from '../directory';
import { DirectorySchema } from '../directory.options';
import { firstValueOf, valuesOf } from './entry-values';
import { IdAttribute, idAttribute } from './id-attribute';
import { equals } from './ldap-filters';
import { GroupNode, WalkTarget } from './membership-walk';

/** Which entries are users and groups, and how they become the users, groups and ids clients see. */
export class EntryMapping {
  readonly userEntries: Filter;
  readonly groupEntries: Filter;
  readonly userIds: IdAttribute;
  readonly groupIds: IdAttribute;

  constructor(
    readonly schema: DirectorySchema,
    usersOfClass: (userObjectClass: string) => Filter,
  ) {
    this.userEntries = usersOfClass(schema.userObjectClass);
    this.groupEntries = equals('objectClass', schema.groupObjectClass);
    this.userIds = idAttribute(schema.userIdAttribute);
    this.groupIds = idAttribute(schema.groupIdAttribute);
  }

  /** What asGroupNode reads. */
  groupNodeAttributes(): string[] {
    const { schema } = this;
    return [schema.groupIdAttribute, schema.groupNameAttribute, schema.memberOfAttribute];
  }

  asUser(entry: Entry): DirectoryUser {
    const { schema } = this;
    return {
      id: this.userId(entry),
      username: firstValueOf(entry, schema.usernameAttribute) ?? '',
      email: schema.emailAttributes
        .map((attribute) => firstValueOf(entry, attribute))
        .find((email) => email !== undefined),
    };
  }

  /** The first of the display name attributes the entry has. */
  displayNameOf(entry: Entry): string | undefined {
    for (const attribute of this.schema.displayNameAttributes) {
      const name = firstValueOf(entry, attribute);
      if (name !== undefined) {
        return name;
      }
    }
    return undefined;
  }

  asGroupNode(entry: Entry): GroupNode {
    return {
      dn: entry.dn,
      id: this.groupId(entry),
      name: firstValueOf(entry, this.schema.groupNameAttribute) ?? '',
      parentDns: valuesOf(entry, this.schema.memberOfAttribute),
    };
  }

  userId(entry: Entry): string {
    return this.userIds.read(entry) ?? '';
  }

  groupId(entry: Entry): string {
    return this.groupIds.read(entry) ?? '';
  }
}

export function asGroup({ id, name }: WalkTarget): DirectoryGroup {
  return { id, name };
}

import { Entry, Filter } from 'ldapts';
import { FreshCache } from '../cache/fresh-cache';
import { domainOf } from './active-directory/domain-dn';
import { ridOf, sidInSameDomain } from './active-directory/security-identifier';
import { Dialect } from './dialects';
import { NOT_A_GROUP } from './directory-caches';
import { EntryMapping } from './entry-mapping';
import { firstValueOf, rawValuesOf } from './entry-values';
import { equals, ofClassWithAll } from './ldap-filters';
import { LdapSearch } from './ldap-search';
import { GroupNode } from './membership-walk';

/**
 * Active Directory keeps a user's primary group (usually Domain Users, in CN=Users) out of memberOf and out of the
 * group's member attribute: only the user's primaryGroupID names it, as a RID in the user's own domain. Wherever it
 * is, it leads to the groups above it; it is one of the user's groups only inside the group base.
 */
export class PrimaryGroups {
  constructor(
    private readonly dialect: Dialect,
    private readonly ldap: LdapSearch,
    private readonly entries: EntryMapping,
    private readonly groupsBySid: FreshCache<string, GroupNode | typeof NOT_A_GROUP>,
    private readonly baseDn: string,
  ) {}

  /** Read on users, so that their primary group can be found. */
  get userAttributes(): string[] {
    return this.dialect.activeDirectory ? ['primaryGroupID', 'objectSid'] : [];
  }

  /** Read on groups, so that the users whose primary group one is can be found. */
  get groupAttributes(): string[] {
    return this.dialect.activeDirectory ? ['objectSid'] : [];
  }

  async of(user: Entry): Promise<GroupNode | undefined> {
    if (!this.dialect.activeDirectory) {
      return undefined;
    }
    const rid = firstValueOf(user, 'primaryGroupID');
    const userSid = rawValuesOf(user, 'objectSid')[0];
    if (rid === undefined || !Buffer.isBuffer(userSid)) {
      return undefined;
    }
    const groupSid = sidInSameDomain(userSid, Number(rid));
    const group = await this.groupsBySid.getOrLoad(groupSid.toString('hex'), async () => {
      const [found] = await this.ldap.search(
        domainOf(user.dn) ?? this.baseDn,
        ofClassWithAll(this.entries.groupEntries, [equals('objectSid', groupSid)]),
        this.entries.groupNodeAttributes(),
        { sizeLimit: 1 },
      );
      return found ? this.entries.asGroupNode(found) : NOT_A_GROUP;
    });
    return group === NOT_A_GROUP ? undefined : group;
  }

  /** A filter for the users whose primary group the group is, where it can be one. */
  usersOf(group: Entry): Filter | undefined {
    const sid = rawValuesOf(group, 'objectSid')[0];
    return Buffer.isBuffer(sid) ? equals('primaryGroupID', String(ridOf(sid))) : undefined;
  }
}

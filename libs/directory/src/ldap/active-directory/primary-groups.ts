import { Entry, Filter } from 'ldapts';
import { firstValueOf, rawValuesOf } from '../entry-values';
import { DialectContext, PrimaryGroups, RememberedGroups } from '../ldap-dialect';
import { equals, ofClassWithAll } from '../ldap-filters';
import { GroupNode } from '../membership-walk';
import { domainOf } from './domain-dn';
import { ridOf, sidInSameDomain } from './security-identifier';

/**
 * Active Directory keeps a user's primary group (usually Domain Users, in CN=Users) out of memberOf and out of the
 * group's member attribute: only the user's primaryGroupID names it, as a RID in the user's own domain. Wherever it
 * is, it leads to the groups above it; it is one of the user's groups only inside the group base.
 */
export class PrimaryGroupsBySid implements PrimaryGroups {
  readonly userAttributes = ['primaryGroupID', 'objectSid'];
  readonly groupAttributes = ['objectSid'];

  constructor(
    private readonly context: DialectContext,
    private readonly remembered: RememberedGroups,
  ) {}

  async of(user: Entry): Promise<GroupNode | undefined> {
    const rid = firstValueOf(user, 'primaryGroupID');
    const userSid = rawValuesOf(user, 'objectSid')[0];
    if (rid === undefined || !Buffer.isBuffer(userSid)) {
      return undefined;
    }
    const groupSid = sidInSameDomain(userSid, Number(rid));
    const { ldap, entries, baseDn } = this.context;
    return this.remembered(groupSid.toString('hex'), async () => {
      const [found] = await ldap.search(
        domainOf(user.dn) ?? baseDn,
        ofClassWithAll(entries.groupEntries, [equals('objectSid', groupSid)]),
        entries.groupNodeAttributes(),
        { sizeLimit: 1 },
      );
      return found && entries.asGroupNode(found);
    });
  }

  usersOf(group: Entry): Filter | undefined {
    const sid = rawValuesOf(group, 'objectSid')[0];
    return Buffer.isBuffer(sid) ? equals('primaryGroupID', String(ridOf(sid))) : undefined;
  }
}

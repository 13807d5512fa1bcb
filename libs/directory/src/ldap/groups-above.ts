import { FreshCache } from '../cache/fresh-cache';
import { Freshness } from '../cache/freshness';
import { NOT_A_GROUP } from './directory-caches';
import { isAtOrBelow } from './dn-scope';
import { EntryMapping } from './entry-mapping';
import { equals, ofClassWithAny } from './ldap-filters';
import { LdapSearch, LEVEL_PAGE_SIZE } from './ldap-search';
import { dnKey, GroupNode, WalkStart } from './membership-walk';

/** What a walk up memberOf fetches at each level (see MembershipWalkOptions.fetchGroupsAbove). */
export class GroupsAbove {
  constructor(
    private readonly ldap: LdapSearch,
    private readonly entries: EntryMapping,
    private readonly freshness: Freshness,
    private readonly groupsByDn: FreshCache<string, GroupNode | typeof NOT_A_GROUP>,
    /** Where a walk up memberOf looks for the groups above a level. */
    private readonly walkBaseDn: string,
  ) {}

  /** The groups that list any of the members, from the cache where every parent of a member is known there. */
  async of(members: readonly WalkStart[]): Promise<GroupNode[]> {
    const known: GroupNode[] = [];
    const unknown: WalkStart[] = [];
    for (const member of members) {
      const parents = member.parentDns.map((dn) => this.groupsByDn.get(dnKey(dn)));
      if (parents.includes(undefined)) {
        unknown.push(member);
      } else {
        known.push(...parents.filter((parent): parent is GroupNode => parent !== undefined && parent !== NOT_A_GROUP));
      }
    }
    // A primary group lists nobody it is primary to: no listing finds it, so the member brings it along.
    const primaryGroups = members.flatMap((member) => (member.primaryGroup ? [member.primaryGroup] : []));
    if (unknown.length === 0) {
      return [...known, ...primaryGroups];
    }
    const stamp = this.freshness.stamp();
    const listed = await this.groupsListing(unknown.map((member) => member.dn));
    const listedKeys = new Set(listed.map((group) => dnKey(group.dn)));
    for (const group of listed) {
      this.groupsByDn.set(dnKey(group.dn), group, stamp);
    }
    for (const parentDn of unknown.flatMap((member) => member.parentDns)) {
      // Inside the group base, a group missing from the listing may just have dropped this member a moment ago;
      // remembering it as no group would answer wrongly for its other members until the next change is seen.
      if (!listedKeys.has(dnKey(parentDn)) && !isAtOrBelow(parentDn, this.walkBaseDn)) {
        this.groupsByDn.set(dnKey(parentDn), NOT_A_GROUP, stamp);
      }
    }
    return [...known, ...listed, ...primaryGroups];
  }

  private async groupsListing(memberDns: readonly string[]): Promise<GroupNode[]> {
    const entries = await this.ldap.search(
      this.walkBaseDn,
      ofClassWithAny(
        this.entries.groupEntries,
        memberDns.map((dn) => equals(this.entries.schema.memberAttribute, dn)),
      ),
      this.entries.groupNodeAttributes(),
      { paged: { pageSize: LEVEL_PAGE_SIZE } },
    );
    return entries.map((entry) => this.entries.asGroupNode(entry));
  }
}

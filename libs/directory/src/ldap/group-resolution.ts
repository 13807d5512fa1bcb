import { Entry, Filter } from 'ldapts';
import { FreshCache } from '../cache/fresh-cache';
import { hasUuidSyntax } from '../identifier';
import { EntryMapping } from './entry-mapping';
import { sameId } from './id-attribute';
import { PrimaryGroups } from './ldap-dialect';
import { equals, ofClassWithAny } from './ldap-filters';
import { LdapSearch } from './ldap-search';
import { WalkTarget } from './membership-walk';
import { CANDIDATE_LIMIT } from './user-resolution';

export type GroupResolution =
  /** primaryMembers: where users have primary groups, the filter for the users whose primary group it is. */
  | { readonly kind: 'found'; readonly group: WalkTarget; readonly primaryMembers?: Filter }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

/** Groups by id or name, an id match winning over a name match; a name that several groups hold is never guessed. */
export class GroupResolver {
  constructor(
    private readonly ldap: LdapSearch,
    private readonly entries: EntryMapping,
    private readonly cache: FreshCache<string, GroupResolution>,
    private readonly groupBaseDn: string,
    private readonly primaryGroups: PrimaryGroups | undefined,
  ) {}

  resolve(identifier: string): Promise<GroupResolution> {
    return this.cache.getOrLoad(identifier, () => this.searchGroup(identifier));
  }

  private async searchGroup(identifier: string): Promise<GroupResolution> {
    const byName = equals(this.entries.schema.groupNameAttribute, identifier);
    if (!hasUuidSyntax(identifier)) {
      return this.oneGroupOf(identifier, await this.searchGroups([byName]));
    }
    const byId = this.entries.groupIds.matching(identifier);
    const entries = await this.searchGroups([byId, byName]);
    const idMatch =
      entries.find((entry) => sameId(this.entries.groupId(entry), identifier)) ??
      // A full answer may have left out the id's own entry, behind groups that hold the id as their name.
      (entries.length >= CANDIDATE_LIMIT ? (await this.searchGroups([byId]))[0] : undefined);
    return idMatch ? this.foundGroup(idMatch) : this.oneGroupOf(identifier, entries);
  }

  private searchGroups(alternatives: Filter[]): Promise<Entry[]> {
    const { schema } = this.entries;
    return this.ldap.search(
      this.groupBaseDn,
      ofClassWithAny(this.entries.groupEntries, alternatives),
      [schema.groupIdAttribute, schema.groupNameAttribute, ...(this.primaryGroups?.groupAttributes ?? [])],
      { sizeLimit: CANDIDATE_LIMIT },
    );
  }

  private foundGroup(entry: Entry): GroupResolution {
    const primaryMembers = this.primaryGroups?.usersOf(entry);
    return { kind: 'found', group: this.entries.asGroupNode(entry), primaryMembers };
  }

  private oneGroupOf(identifier: string, entries: Entry[]): GroupResolution {
    if (entries.length === 1) {
      return this.foundGroup(entries[0]);
    }
    if (entries.length === 0) {
      return { kind: 'not-found' };
    }
    return { kind: 'ambiguous', identifier, candidateIds: entries.map((entry) => this.entries.groupId(entry)) };
  }
}

import { createHash, randomUUID } from 'node:crypto';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Entry, Filter, InvalidCredentialsError, NoSuchObjectError, SearchOptions } from 'ldapts';
import { ChangeWatch } from '../cache/change-watch';
import { FreshCache } from '../cache/fresh-cache';
import { Freshness, ReadStamp } from '../cache/freshness';
import {
  Directory,
  DirectoryGroup,
  DirectoryUser,
  GroupLookup,
  GroupScope,
  ListAnswer,
  MembershipAnswer,
  MembershipVerdict,
  UserLookup,
} from '../directory';
import { DirectoryCache, DirectoryObserver, unobserved } from '../directory-observer';
import { DirectoryUnavailableError } from '../directory.errors';
import { DirectoryOptions, DirectorySchema } from '../directory.options';
import { transportSecurityConflict } from '../directory-settings-syntax';
import { hasUuidSyntax } from '../identifier';
import { groupOrder, userOrder } from '../list-order';
import { pageOf, PageWindow } from '../page-window';
import { PageRequest } from '../paging';
import { ancestorsOf } from './ancestor-walk';
import { Dialect, schemaOf } from './dialects';
import { firstValueOf, rawValuesOf, valuesOf } from './entry-values';
import { domainOf, isAtOrBelow } from './dn-scope';
import { IdAttribute, idAttribute } from './id-attribute';
import { LoginKeys } from '../login-keys';
import { bindFirstReachable, ClientSettings, unbindQuietly } from './ldap-clients';
import { asDirectoryFailure } from './ldap-failure';
import { all, any, equals, inChain, ofClassWithAll, ofClassWithAny } from './ldap-filters';
import { dnKey, GroupNode, walkMembership, WalkStart, WalkTarget } from './membership-walk';
import { observed } from './observed-operation';
import { ridOf, sidInSameDomain } from './security-identifier';
import { ServiceConnection } from './service-connection';

type UserKey = 'id' | 'username' | 'email';

interface ResolvedUser {
  readonly kind: 'found';
  readonly user: DirectoryUser;
  readonly dn: string;
  readonly parentDns: readonly string[];
  readonly primaryGroup?: GroupNode;
  /** When the entry was read, for the caches' staleness bound. */
  readonly stamp: ReadStamp;
}

type UserResolution =
  | ResolvedUser
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

type ResolvedCheck =
  | { readonly kind: 'resolved'; readonly resolvedUser: ResolvedUser; readonly targets: readonly WalkTarget[] }
  | Exclude<MembershipAnswer, { kind: 'member' | 'not-a-member' }>;

type GroupResolution =
  /** rid: on Active Directory, what the primaryGroupID of the users whose primary group it is holds. */
  | { readonly kind: 'found'; readonly group: WalkTarget; readonly rid?: number }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

interface MemberQuery<T> {
  readonly baseDn: string;
  readonly filter: Filter;
  readonly attributes: string[];
  readonly toItem: (entry: Entry) => T;
}

/** Enough to name the candidates of an ambiguous identifier without reading a runaway result. */
const CANDIDATE_LIMIT = 20;
/** Servers cap the entries of one answer (slapd: 500, Active Directory: 1000); a level may hold more groups. */
const LEVEL_PAGE_SIZE = 500;
/** The change marker is read once a second, or twice per staleness bound when that is shorter, but never faster. */
const CHANGE_POLL_INTERVAL_MS = { max: 1000, min: 100 } as const;
/** A login that names no single user, or whose password the directory refused. */
const REFUSED = 'refused';
/** A parent DN outside the group base, which this service never treats as a group: remembered as such. */
const NOT_A_GROUP = false;

/** The Directory on an LDAP server of a known dialect. */
export class LdapDirectory extends Directory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LdapDirectory.name);
  private readonly connection: ServiceConnection;
  private readonly operationSettings: ClientSettings;
  private readonly pingSettings: ClientSettings;
  /** Where the users this directory handed out were found, so that checking one of them needs no second lookup. */
  private readonly whereFound = new WeakMap<DirectoryUser, ResolvedUser>();
  private readonly freshness: Freshness;
  private readonly changeWatch: ChangeWatch;
  private readonly usersByIdentifier: FreshCache<string, UserResolution>;
  private readonly groupsByIdentifier: FreshCache<string, GroupResolution>;
  private readonly groupsByDn: FreshCache<string, GroupNode | typeof NOT_A_GROUP>;
  /** Primary groups by their SID (in hex), wherever they are in the domain; NOT_A_GROUP when no group has it. */
  private readonly groupsBySid: FreshCache<string, GroupNode | typeof NOT_A_GROUP>;
  /** Whole answers, the caller's admin verdict among them: a repeated question costs no walk. */
  private readonly answers: FreshCache<string, MembershipAnswer>;
  /** The same for verdicts that the server worked out without an explanation (Active Directory). */
  private readonly verdicts: FreshCache<string, MembershipVerdict>;
  /** Login outcomes, by a keyed hash of login and password: a repeated caller costs no bind. */
  private readonly verifiedLogins: FreshCache<string, ResolvedUser | typeof REFUSED>;
  private readonly loginKeys = new LoginKeys();
  /** A name no entry has, to bind to for logins that name nobody. */
  private readonly noSuchUserDn: string;
  private readonly schema: DirectorySchema;
  private readonly userEntries: Filter;
  private readonly groupEntries: Filter;
  private readonly userIds: IdAttribute;
  private readonly groupIds: IdAttribute;
  /**
   * Where a walk up memberOf looks for the groups above a level. On Active Directory, the server counts nesting through
   * any group (its in-chain verdict does), so the walk that explains it climbs through the whole LDAP_BASE_DN, not
   * only the group base; elsewhere, through the group base.
   */
  private readonly walkBaseDn: string;
  /** Attributes the client must keep as bytes: binary ids, and the SIDs that lead to primary groups. */
  private readonly binaryAttributes: string[];

  constructor(
    private readonly options: DirectoryOptions,
    private readonly dialect: Dialect,
    private readonly observer: DirectoryObserver = unobserved,
  ) {
    super();
    assertUsableOptions(options);
    this.schema = schemaOf(dialect, options.schema);
    this.userEntries = dialect.users(this.schema.userObjectClass);
    this.groupEntries = equals('objectClass', this.schema.groupObjectClass);
    this.walkBaseDn = dialect.activeDirectory ? options.baseDn : options.groupBaseDn;
    this.userIds = idAttribute(this.schema.userIdAttribute);
    this.groupIds = idAttribute(this.schema.groupIdAttribute);
    this.binaryAttributes = [
      ...new Set([...this.userIds.binaryNames, ...this.groupIds.binaryNames, ...(dialect.activeDirectory ? ['objectSid'] : [])]),
    ];
    this.operationSettings = clientSettings(options, options.timeoutMs);
    this.pingSettings = clientSettings(options, options.pingTimeoutMs);
    this.noSuchUserDn = `cn=no such user ${randomUUID()},${options.userBaseDn}`;
    this.connection = new ServiceConnection(
      this.operationSettings,
      options.bindDn,
      options.bindPassword,
      options.failBackIntervalMs,
    );
    this.freshness = new Freshness(options.stalenessMs);
    const lookupsOf = (cache: DirectoryCache) => (hit: boolean) => this.observer.cacheLookup(cache, hit);
    this.usersByIdentifier = new FreshCache(this.freshness, options.cacheMaxEntries, lookupsOf('users'));
    this.groupsByIdentifier = new FreshCache(this.freshness, options.cacheMaxEntries, lookupsOf('groups'));
    this.groupsByDn = new FreshCache(this.freshness, options.cacheMaxEntries, lookupsOf('group-parents'));
    this.verifiedLogins = new FreshCache(this.freshness, options.cacheMaxEntries, lookupsOf('logins'));
    this.answers = new FreshCache(this.freshness, options.cacheMaxEntries, lookupsOf('answers'));
    // Both are used on Active Directory only, and each allocates its bookkeeping for its maximum at once.
    const activeDirectoryOnly = dialect.activeDirectory ? options.cacheMaxEntries : 1;
    this.verdicts = new FreshCache(this.freshness, activeDirectoryOnly, lookupsOf('answers'));
    this.groupsBySid = new FreshCache(this.freshness, activeDirectoryOnly, lookupsOf('groups'));
    this.changeWatch = new ChangeWatch(
      this.freshness,
      dialect.changeMarker((dn, attributes) => this.readEntry(dn, attributes), options.baseDn),
      Math.max(CHANGE_POLL_INTERVAL_MS.min, Math.min(CHANGE_POLL_INTERVAL_MS.max, Math.ceil(options.stalenessMs / 2))),
    );
  }

  onApplicationBootstrap(): void {
    if (this.freshness.enabled) {
      this.changeWatch.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.changeWatch.stop();
    await this.connection.close();
  }

  async findUser(identifier: string): Promise<UserLookup> {
    const resolution = await this.resolveUser(identifier, userKeysFor(identifier));
    return resolution.kind === 'found' ? { kind: 'found', user: resolution.user } : resolution;
  }

  async findGroup(identifier: string): Promise<GroupLookup> {
    const resolution = await this.resolveGroup(identifier);
    return resolution.kind === 'found' ? { kind: 'found', group: asGroup(resolution.group) } : resolution;
  }

  checkMembership(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    const groups = [...new Set(groupIdentifiers)];
    return this.answers.getOrLoad(
      answerKey(user, groups),
      () => this.workOutMembership(user, groups),
      (stamp) => this.freshness.derived(stamp),
    );
  }

  /**
   * On Active Directory the server answers transitive membership itself: one search, whatever the depth. Elsewhere
   * the verdict is the explained answer's, which the walk up memberOf gives at no extra cost.
   */
  isMember(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipVerdict> {
    if (!this.dialect.activeDirectory) {
      return this.checkMembership(user, groupIdentifiers);
    }
    const groups = [...new Set(groupIdentifiers)];
    return this.verdicts.getOrLoad(
      answerKey(user, groups),
      () => this.workOutVerdict(user, groups),
      (stamp) => this.freshness.derived(stamp),
    );
  }

  private async workOutVerdict(user: string | DirectoryUser, groups: readonly string[]): Promise<MembershipVerdict> {
    const check = await this.resolveCheck(user, groups);
    if (check.kind !== 'resolved') {
      return check;
    }
    const { resolvedUser, targets } = check;
    const member = { kind: 'member', user: resolvedUser.user } as const;
    const { primaryGroup } = resolvedUser;
    if (primaryGroup && targets.some((target) => dnKey(target.dn) === dnKey(primaryGroup.dn))) {
      return member;
    }
    // Scoped to the user's own entry and its primary group's: the server climbs memberOf upwards from those two, which
    // costs what their own nesting costs, where asking each listed group for its members at any depth would expand
    // groups as large as the whole domain.
    const starts = [resolvedUser.dn, ...(primaryGroup ? [primaryGroup.dn] : [])];
    const reached = await this.search(
      domainOf(resolvedUser.dn) ?? this.options.baseDn,
      all([
        any(starts.map((dn) => equals('distinguishedName', dn))),
        any(targets.map((target) => inChain(this.schema.memberOfAttribute, target.dn))),
      ]),
      ['1.1'],
      {},
    );
    return reached.length > 0 ? member : { kind: 'not-a-member', user: resolvedUser.user };
  }

  private async workOutMembership(user: string | DirectoryUser, groups: readonly string[]): Promise<MembershipAnswer> {
    const check = await this.resolveCheck(user, groups);
    if (check.kind !== 'resolved') {
      return check;
    }
    const { resolvedUser, targets } = check;
    const member = resolvedUser.user;
    const outcome = await walkMembership(resolvedUser, targets, {
      maxDepth: this.options.maxNestingDepth,
      fetchGroupsAbove: (members) => this.groupsAbove(members),
    });
    if (outcome.found) {
      return { kind: 'member', user: member, matched: asGroup(outcome.matched), path: outcome.path.map(asGroup) };
    }
    if (outcome.cutAtDepth !== undefined) {
      this.logger.warn(
        `Membership walk for user ${member.id} stopped at MAX_NESTING_DEPTH=${outcome.cutAtDepth} with groups left ` +
          `unexplored; answering "not a member" of ${targets.map((target) => target.id).join(', ')}`,
      );
    }
    return { kind: 'not-a-member', user: member };
  }

  /** The user and the groups that exist, or the answer that ends the check before any membership is looked at. */
  private async resolveCheck(user: string | DirectoryUser, groups: readonly string[]): Promise<ResolvedCheck> {
    const [resolvedUser, resolvedGroups] = await Promise.all([
      typeof user === 'string' ? this.resolveUser(user, userKeysFor(user)) : this.resolveKnownUser(user),
      Promise.all(groups.map((identifier) => this.resolveGroup(identifier))),
    ]);
    if (resolvedUser.kind === 'not-found') {
      return { kind: 'user-not-found' };
    }
    if (resolvedUser.kind === 'ambiguous') {
      return resolvedUser;
    }
    const ambiguousGroup = resolvedGroups.find((group) => group.kind === 'ambiguous');
    if (ambiguousGroup) {
      return ambiguousGroup;
    }
    const targets = resolvedGroups.flatMap((group) => (group.kind === 'found' ? [group.group] : []));
    if (targets.length === 0) {
      return { kind: 'no-group-found', user: resolvedUser.user };
    }
    return { kind: 'resolved', resolvedUser, targets };
  }

  async groupsOfUser(
    user: string | DirectoryUser,
    scope: GroupScope,
    page: PageRequest,
  ): Promise<ListAnswer<DirectoryGroup>> {
    const resolvedUser =
      typeof user === 'string' ? await this.resolveUser(user, userKeysFor(user)) : await this.resolveKnownUser(user);
    if (resolvedUser.kind !== 'found') {
      return resolvedUser;
    }
    const ancestors = await ancestorsOf(resolvedUser, {
      maxDepth: scope === 'direct' ? 1 : this.options.maxNestingDepth,
      fetchGroupsAbove: (members) => this.groupsAbove(members),
    });
    if (scope === 'inherited' && ancestors.cutAtDepth !== undefined) {
      this.logger.warn(
        `Inherited groups of user ${resolvedUser.user.id} stopped at MAX_NESTING_DEPTH=${ancestors.cutAtDepth} with ` +
          'groups left unexplored; listing the groups found so far',
      );
    }
    // A walk on Active Directory climbs through groups outside the group base too; only those inside are listed.
    const listed = ancestors.groups.filter((group) => isAtOrBelow(group.dn, this.options.groupBaseDn));
    return { kind: 'found', page: pageOf(listed.map(asGroup), page, groupOrder) };
  }

  async usersInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryUser>> {
    const { schema } = this;
    return this.membersOf(groupIdentifier, page, userOrder, (group, rid) => {
      const listed = equals(schema.memberOfAttribute, group.dn);
      // The users whose primary group it is are in neither its member attribute nor their memberOf.
      const members = rid === undefined ? listed : any([listed, equals('primaryGroupID', String(rid))]);
      return {
        baseDn: this.options.userBaseDn,
        filter: ofClassWithAll(this.userEntries, [members]),
        attributes: [schema.userIdAttribute, schema.usernameAttribute, ...schema.emailAttributes],
        toItem: (entry) => this.asUser(entry),
      };
    });
  }

  async groupsInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    const { schema } = this;
    return this.membersOf(groupIdentifier, page, groupOrder, (group) => ({
      baseDn: this.options.groupBaseDn,
      filter: ofClassWithAll(this.groupEntries, [equals(schema.memberOfAttribute, group.dn)]),
      attributes: [schema.groupIdAttribute, schema.groupNameAttribute],
      toItem: (entry) => asGroup(this.asGroupNode(entry)),
    }));
  }

  /**
   * One page of the entries whose memberOf names the group: read in LDAP pages, never all held at once, because a
   * group may list far more entries than a request should keep (see PageWindow).
   */
  private async membersOf<T>(
    groupIdentifier: string,
    page: PageRequest,
    order: (a: T, b: T) => number,
    query: (group: WalkTarget, rid: number | undefined) => MemberQuery<T>,
  ): Promise<ListAnswer<T>> {
    const resolvedGroup = await this.resolveGroup(groupIdentifier);
    if (resolvedGroup.kind !== 'found') {
      return resolvedGroup;
    }
    const { baseDn, filter, attributes, toItem } = query(resolvedGroup.group, resolvedGroup.rid);
    const window = new PageWindow(page, order);
    await this.searchEach(baseDn, filter, attributes, (entry) => window.add(toItem(entry)));
    return { kind: 'found', page: window.page() };
  }

  async authenticate(login: string, password: string): Promise<DirectoryUser | undefined> {
    if (login === '' || password === '') {
      return undefined;
    }
    const key = this.loginKeys.of(login, password);
    let outcome = await this.verifyLogin(key, login, password);
    // Two answers in one: the bind's, which lasts by age only, and the lookup's, which marker reads may renew.
    if (outcome !== REFUSED && this.freshness.enabled && !this.freshness.admits(outcome.stamp)) {
      this.verifiedLogins.delete(key);
      outcome = await this.verifyLogin(key, login, password);
    }
    return outcome === REFUSED ? undefined : outcome.user;
  }

  /** Concurrent calls with the same credentials share one bind. */
  private verifyLogin(key: string, login: string, password: string): Promise<ResolvedUser | typeof REFUSED> {
    return this.verifiedLogins.getOrLoad(
      key,
      () => this.bindAs(login, password),
      // By age only: a password can expire, or grace logins run out, without any write that a marker would show.
      (stamp) => this.freshness.byAgeOnly(stamp),
    );
  }

  private async bindAs(login: string, password: string): Promise<ResolvedUser | typeof REFUSED> {
    const resolution = await this.resolveUser(login, ['username', 'email']);
    // A login that names nobody costs what a wrong password costs, a bind on a fresh connection, so that the time an
    // answer takes does not tell which logins exist.
    const accepted = await this.binds(resolution.kind === 'found' ? resolution.dn : this.noSuchUserDn, password);
    return accepted && resolution.kind === 'found' ? resolution : REFUSED;
  }

  private async binds(dn: string, password: string): Promise<boolean> {
    let client;
    try {
      const settings = { ...this.operationSettings, urls: this.connection.urlsByPreference() };
      client = await observed(this.observer, 'bind', () => bindFirstReachable(settings, dn, password));
      return true;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        return false;
      }
      throw asDirectoryFailure(error, 'user bind');
    } finally {
      await unbindQuietly(client);
    }
  }

  /** Bounded as a whole by the ping timeout, however many URLs are tried and however slowly each answers. */
  ping(): Promise<void> {
    return observed(this.observer, 'ping', () => this.pingWithin());
  }

  private async pingWithin(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DirectoryUnavailableError(`ping: timed out after ${this.options.pingTimeoutMs} ms`)),
        this.options.pingTimeoutMs,
      );
    });
    try {
      await Promise.race([this.bindAndReadBase(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async bindAndReadBase(): Promise<void> {
    let client;
    try {
      client = await bindFirstReachable(
        { ...this.pingSettings, urls: this.connection.urlsByPreference() },
        this.options.bindDn,
        this.options.bindPassword,
      );
      await client.search(this.options.baseDn, { scope: 'base', attributes: ['1.1'] });
    } catch (error) {
      throw asDirectoryFailure(error, 'ping');
    } finally {
      await unbindQuietly(client);
    }
  }

  private resolveKnownUser(user: DirectoryUser): Promise<UserResolution> {
    const found = this.whereFound.get(user);
    // Without caches, a user object lives no longer than the request it was found for, so it is always fresh.
    if (found && (!this.freshness.enabled || this.freshness.admits(found.stamp))) {
      return Promise.resolve(found);
    }
    // An id from this directory is exact whatever its syntax, so it is not held to the UUID rule for values.
    return this.resolveUser(user.id, ['id']);
  }

  private resolveUser(identifier: string, keys: readonly UserKey[]): Promise<UserResolution> {
    return this.usersByIdentifier.getOrLoad(`${keys.join(',')}:${identifier}`, () =>
      this.searchUser(identifier, keys),
    );
  }

  private async searchUser(identifier: string, keys: readonly UserKey[]): Promise<UserResolution> {
    const stamp = this.freshness.stamp();
    const entries = await this.searchUsers(keys, identifier);
    if (entries.length <= 1) {
      return entries.length === 1 ? await this.asResolvedUser(entries[0], stamp) : { kind: 'not-found' };
    }
    // Several entries match: the identifier's precedence decides, and a tie at one level is never guessed.
    // The answer holds at most CANDIDATE_LIMIT entries: when full, the id's own entry may be among those left out.
    const complete = entries.length < CANDIDATE_LIMIT;
    for (const key of keys) {
      const matches =
        key === 'id' && complete
          ? entries.filter((entry) => sameId(this.userIds.read(entry), identifier))
          : await this.searchUsers([key], identifier);
      if (matches.length === 1) {
        return this.asResolvedUser(matches[0], stamp);
      }
      if (matches.length > 1) {
        return { kind: 'ambiguous', identifier, candidateIds: matches.map((entry) => this.userId(entry)) };
      }
    }
    return { kind: 'not-found' };
  }

  private searchUsers(keys: readonly UserKey[], identifier: string): Promise<Entry[]> {
    const { schema } = this;
    const filtersOf: Record<UserKey, () => Filter[]> = {
      id: () => [this.userIds.matching(identifier)],
      username: () => [equals(schema.usernameAttribute, identifier)],
      email: () => schema.emailAttributes.map((attribute) => equals(attribute, identifier)),
    };
    return this.search(
      this.options.userBaseDn,
      ofClassWithAny(
        this.userEntries,
        keys.flatMap((key) => filtersOf[key]()),
      ),
      [
        schema.userIdAttribute,
        schema.usernameAttribute,
        ...schema.emailAttributes,
        schema.memberOfAttribute,
        ...(this.dialect.activeDirectory ? ['primaryGroupID', 'objectSid'] : []),
      ],
      { sizeLimit: CANDIDATE_LIMIT },
    );
  }

  private resolveGroup(identifier: string): Promise<GroupResolution> {
    return this.groupsByIdentifier.getOrLoad(identifier, () => this.searchGroup(identifier));
  }

  private async searchGroup(identifier: string): Promise<GroupResolution> {
    const byName = equals(this.schema.groupNameAttribute, identifier);
    if (!hasUuidSyntax(identifier)) {
      return this.oneGroupOf(identifier, await this.searchGroups([byName]));
    }
    const byId = this.groupIds.matching(identifier);
    const entries = await this.searchGroups([byId, byName]);
    const idMatch =
      entries.find((entry) => sameId(this.groupId(entry), identifier)) ??
      // A full answer may have left out the id's own entry, behind groups that hold the id as their name.
      (entries.length >= CANDIDATE_LIMIT ? (await this.searchGroups([byId]))[0] : undefined);
    return idMatch ? this.foundGroup(idMatch) : this.oneGroupOf(identifier, entries);
  }

  private searchGroups(alternatives: Filter[]): Promise<Entry[]> {
    return this.search(
      this.options.groupBaseDn,
      ofClassWithAny(this.groupEntries, alternatives),
      [this.schema.groupIdAttribute, this.schema.groupNameAttribute, ...(this.dialect.activeDirectory ? ['objectSid'] : [])],
      { sizeLimit: CANDIDATE_LIMIT },
    );
  }

  private foundGroup(entry: Entry): GroupResolution {
    const sid = rawValuesOf(entry, 'objectSid')[0];
    return { kind: 'found', group: this.asGroupNode(entry), rid: Buffer.isBuffer(sid) ? ridOf(sid) : undefined };
  }

  private oneGroupOf(identifier: string, entries: Entry[]): GroupResolution {
    if (entries.length === 1) {
      return this.foundGroup(entries[0]);
    }
    if (entries.length === 0) {
      return { kind: 'not-found' };
    }
    return { kind: 'ambiguous', identifier, candidateIds: entries.map((entry) => this.groupId(entry)) };
  }

  /** The groups that list any of the members, from the cache where every parent of a member is known there. */
  private async groupsAbove(members: readonly WalkStart[]): Promise<GroupNode[]> {
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
    const { schema } = this;
    const entries = await this.search(
      this.walkBaseDn,
      ofClassWithAny(
        this.groupEntries,
        memberDns.map((dn) => equals(schema.memberAttribute, dn)),
      ),
      [schema.groupIdAttribute, schema.groupNameAttribute, schema.memberOfAttribute],
      { paged: { pageSize: LEVEL_PAGE_SIZE } },
    );
    return entries.map((entry) => this.asGroupNode(entry));
  }

  private async search(
    baseDn: string,
    filter: Filter,
    attributes: string[],
    limits: Pick<SearchOptions, 'sizeLimit' | 'paged'>,
  ): Promise<Entry[]> {
    try {
      const result = await observed(this.observer, 'search', () =>
        this.connection.use((client) =>
          client.search(baseDn, { scope: 'sub', filter, attributes, explicitBufferAttributes: this.binaryAttributes, ...limits }),
        ),
      );
      return result.searchEntries;
    } catch (error) {
      throw asDirectoryFailure(error, 'search');
    }
  }

  /** Like search, but hands each LDAP page's entries over as it arrives, so that none is kept here. */
  private async searchEach(
    baseDn: string,
    filter: Filter,
    attributes: string[],
    visit: (entry: Entry) => void,
  ): Promise<void> {
    try {
      // One listing is one search to the observer, however many LDAP pages it takes.
      await observed(this.observer, 'search', () =>
        this.connection.use(async (client) => {
          const options = {
            scope: 'sub',
            filter,
            attributes,
            explicitBufferAttributes: this.binaryAttributes,
            paged: { pageSize: LEVEL_PAGE_SIZE },
          } as const;
          const pages = client.searchPaginated(baseDn, options);
          for await (const result of pages) {
            result.searchEntries.forEach(visit);
          }
        }),
      );
    } catch (error) {
      throw asDirectoryFailure(error, 'search');
    }
  }

  private async readEntry(dn: string, attributes: string[]): Promise<Entry | undefined> {
    try {
      const result = await observed(this.observer, 'read', () =>
        this.connection.use((client) => client.search(dn, { scope: 'base', attributes })),
      );
      return result.searchEntries[0];
    } catch (error) {
      if (error instanceof NoSuchObjectError) {
        return undefined;
      }
      throw asDirectoryFailure(error, 'read');
    }
  }

  private async asResolvedUser(entry: Entry, stamp: ReadStamp): Promise<ResolvedUser> {
    const primaryGroup = await this.primaryGroupOf(entry);
    const resolved: ResolvedUser = {
      kind: 'found',
      stamp,
      dn: entry.dn,
      parentDns: [...valuesOf(entry, this.schema.memberOfAttribute), ...(primaryGroup ? [primaryGroup.dn] : [])],
      primaryGroup,
      user: this.asUser(entry),
    };
    this.whereFound.set(resolved.user, resolved);
    return resolved;
  }

  /**
   * Active Directory keeps a user's primary group (usually Domain Users, in CN=Users) out of memberOf and out of the
   * group's member attribute: only the user's primaryGroupID names it, as a RID in the user's own domain. Wherever it
   * is, it leads to the groups above it; it is one of the user's groups only inside the group base.
   */
  private async primaryGroupOf(entry: Entry): Promise<GroupNode | undefined> {
    if (!this.dialect.activeDirectory) {
      return undefined;
    }
    const rid = firstValueOf(entry, 'primaryGroupID');
    const userSid = rawValuesOf(entry, 'objectSid')[0];
    if (rid === undefined || !Buffer.isBuffer(userSid)) {
      return undefined;
    }
    const groupSid = sidInSameDomain(userSid, Number(rid));
    const group = await this.groupsBySid.getOrLoad(groupSid.toString('hex'), async () => {
      const [found] = await this.search(
        domainOf(entry.dn) ?? this.options.baseDn,
        ofClassWithAll(this.groupEntries, [equals('objectSid', groupSid)]),
        [this.schema.groupIdAttribute, this.schema.groupNameAttribute, this.schema.memberOfAttribute],
        { sizeLimit: 1 },
      );
      return found ? this.asGroupNode(found) : NOT_A_GROUP;
    });
    return group === NOT_A_GROUP ? undefined : group;
  }

  private asUser(entry: Entry): DirectoryUser {
    const { schema } = this;
    return {
      id: this.userId(entry),
      username: firstValueOf(entry, schema.usernameAttribute) ?? '',
      email: schema.emailAttributes.map((attribute) => firstValueOf(entry, attribute)).find((email) => email !== undefined),
    };
  }

  private asGroupNode(entry: Entry): GroupNode {
    return {
      dn: entry.dn,
      id: this.groupId(entry),
      name: firstValueOf(entry, this.schema.groupNameAttribute) ?? '',
      parentDns: valuesOf(entry, this.schema.memberOfAttribute),
    };
  }

  private userId(entry: Entry): string {
    return this.userIds.read(entry) ?? '';
  }

  private groupId(entry: Entry): string {
    return this.groupIds.read(entry) ?? '';
  }
}

/** Keys longer than this (lists of many long names) are kept as their SHA-256, so that a key's size is bounded. */
const LONGEST_PLAIN_ANSWER_KEY = 512;

function answerKey(user: string | DirectoryUser, groups: readonly string[]): string {
  const key = JSON.stringify([typeof user === 'string' ? user : { id: user.id }, groups]);
  // A plain key is JSON and starts with "[", a digest never does: the two cannot collide.
  return key.length <= LONGEST_PLAIN_ANSWER_KEY ? key : createHash('sha256').update(key).digest('base64');
}

export function assertUsableOptions(options: DirectoryOptions): void {
  const conflict = transportSecurityConflict(options.urls, options.tls?.startTls ?? false);
  if (conflict !== undefined) {
    throw new Error(`Invalid directory options: ${conflict}`);
  }
}

export function clientSettings(options: DirectoryOptions, timeoutMs: number): ClientSettings {
  return {
    urls: options.urls,
    timeoutMs,
    connectTimeoutMs: Math.min(options.connectTimeoutMs, timeoutMs),
    tls: options.tls ?? { startTls: false },
  };
}

function userKeysFor(identifier: string): UserKey[] {
  return hasUuidSyntax(identifier) ? ['id', 'username', 'email'] : ['username', 'email'];
}

function sameId(stored: string | undefined, identifier: string): boolean {
  return stored !== undefined && stored.toLowerCase() === identifier.toLowerCase();
}

function asGroup({ id, name }: WalkTarget): DirectoryGroup {
  return { id, name };
}

import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Entry, Filter, InvalidCredentialsError, SearchOptions } from 'ldapts';
import { Directory, DirectoryGroup, DirectoryUser, GroupLookup, MembershipAnswer, UserLookup } from '../directory';
import { DirectoryUnavailableError } from '../directory.errors';
import { DirectoryOptions } from '../directory.options';
import { MODULE_OPTIONS_TOKEN } from '../directory.module-definition';
import { hasUuidSyntax } from '../identifier';
import { firstValueOf, valuesOf } from './entry-values';
import { bindFirstReachable, ClientSettings, unbindQuietly } from './ldap-clients';
import { asDirectoryFailure } from './ldap-failure';
import { equals, ofClassWithAny } from './ldap-filters';
import { GroupNode, walkMembership, WalkTarget } from './membership-walk';
import { ServiceConnection } from './service-connection';

type UserKey = 'id' | 'username' | 'email';

interface ResolvedUser {
  readonly kind: 'found';
  readonly user: DirectoryUser;
  readonly dn: string;
  readonly parentDns: readonly string[];
}

type UserResolution =
  | ResolvedUser
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

type GroupResolution =
  | { readonly kind: 'found'; readonly group: WalkTarget }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly identifier: string; readonly candidateIds: readonly string[] };

/** Enough to name the candidates of an ambiguous identifier without reading a runaway result. */
const CANDIDATE_LIMIT = 20;
/** Servers cap the entries of one answer (slapd: 500, Active Directory: 1000); a level may hold more groups. */
const LEVEL_PAGE_SIZE = 500;

@Injectable()
export class LdapDirectory extends Directory implements OnApplicationShutdown {
  private readonly logger = new Logger(LdapDirectory.name);
  private readonly connection: ServiceConnection;
  private readonly operationSettings: ClientSettings;
  private readonly pingSettings: ClientSettings;
  /** Where the users this directory handed out were found, so that checking one of them needs no second lookup. */
  private readonly whereFound = new WeakMap<DirectoryUser, ResolvedUser>();

  constructor(@Inject(MODULE_OPTIONS_TOKEN) private readonly options: DirectoryOptions) {
    super();
    this.operationSettings = clientSettings(options, options.timeoutMs);
    this.pingSettings = clientSettings(options, options.pingTimeoutMs);
    this.connection = new ServiceConnection(this.operationSettings, options.bindDn, options.bindPassword);
  }

  async onApplicationShutdown(): Promise<void> {
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

  async checkMembership(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    const [resolvedUser, resolvedGroups] = await Promise.all([
      typeof user === 'string' ? this.resolveUser(user, userKeysFor(user)) : this.resolveKnownUser(user),
      Promise.all([...new Set(groupIdentifiers)].map((identifier) => this.resolveGroup(identifier))),
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
    const member = resolvedUser.user;
    if (targets.length === 0) {
      return { kind: 'no-group-found', user: member };
    }
    const outcome = await walkMembership(resolvedUser, targets, {
      maxDepth: this.options.maxNestingDepth,
      fetchGroupsListing: (memberDns) => this.groupsListing(memberDns),
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

  async authenticate(login: string, password: string): Promise<DirectoryUser | undefined> {
    if (login === '' || password === '') {
      return undefined;
    }
    const resolution = await this.resolveUser(login, ['username', 'email']);
    if (resolution.kind !== 'found') {
      return undefined;
    }
    let client;
    try {
      client = await bindFirstReachable(this.operationSettings, resolution.dn, password);
      return resolution.user;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        return undefined;
      }
      throw asDirectoryFailure(error, 'user bind');
    } finally {
      await unbindQuietly(client);
    }
  }

  /** Bounded as a whole by the ping timeout, however many URLs are tried and however slowly each answers. */
  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DirectoryUnavailableError(`ping: no answer within ${this.options.pingTimeoutMs} ms`)),
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
      client = await bindFirstReachable(this.pingSettings, this.options.bindDn, this.options.bindPassword);
      await client.search(this.options.baseDn, { scope: 'base', attributes: ['1.1'] });
    } catch (error) {
      throw asDirectoryFailure(error, 'ping');
    } finally {
      await unbindQuietly(client);
    }
  }

  private resolveKnownUser(user: DirectoryUser): Promise<UserResolution> {
    const found = this.whereFound.get(user);
    // An id from this directory is exact whatever its syntax, so it is not held to the UUID rule for values.
    return found ? Promise.resolve(found) : this.resolveUser(user.id, ['id']);
  }

  private async resolveUser(identifier: string, keys: readonly UserKey[]): Promise<UserResolution> {
    const entries = await this.searchUsers(keys, identifier);
    if (entries.length <= 1) {
      return entries.length === 1 ? this.asResolvedUser(entries[0]) : { kind: 'not-found' };
    }
    // Several entries match: the identifier's precedence decides, and a tie at one level is never guessed.
    for (const key of keys) {
      const matches =
        key === 'id'
          ? entries.filter((entry) => sameId(firstValueOf(entry, this.options.schema.userIdAttribute), identifier))
          : await this.searchUsers([key], identifier);
      if (matches.length === 1) {
        return this.asResolvedUser(matches[0]);
      }
      if (matches.length > 1) {
        return { kind: 'ambiguous', identifier, candidateIds: matches.map((entry) => this.userId(entry)) };
      }
    }
    return { kind: 'not-found' };
  }

  private searchUsers(keys: readonly UserKey[], identifier: string): Promise<Entry[]> {
    const { schema } = this.options;
    const attributeOf: Record<UserKey, string> = {
      id: schema.userIdAttribute,
      username: schema.usernameAttribute,
      email: schema.emailAttribute,
    };
    return this.search(
      this.options.userBaseDn,
      ofClassWithAny(
        schema.userObjectClass,
        keys.map((key) => equals(attributeOf[key], identifier)),
      ),
      [schema.userIdAttribute, schema.usernameAttribute, schema.emailAttribute, schema.memberOfAttribute],
      { sizeLimit: CANDIDATE_LIMIT },
    );
  }

  private async resolveGroup(identifier: string): Promise<GroupResolution> {
    const { schema } = this.options;
    const byId = hasUuidSyntax(identifier);
    const alternatives = [equals(schema.groupNameAttribute, identifier)];
    if (byId) {
      alternatives.unshift(equals(schema.groupIdAttribute, identifier));
    }
    const entries = await this.search(
      this.options.groupBaseDn,
      ofClassWithAny(schema.groupObjectClass, alternatives),
      [schema.groupIdAttribute, schema.groupNameAttribute],
      { sizeLimit: CANDIDATE_LIMIT },
    );
    const idMatch = byId ? entries.find((entry) => sameId(this.groupId(entry), identifier)) : undefined;
    if (idMatch || entries.length === 1) {
      return { kind: 'found', group: this.asGroupNode(idMatch ?? entries[0]) };
    }
    if (entries.length === 0) {
      return { kind: 'not-found' };
    }
    return { kind: 'ambiguous', identifier, candidateIds: entries.map((entry) => this.groupId(entry)) };
  }

  private async groupsListing(memberDns: readonly string[]): Promise<GroupNode[]> {
    const { schema } = this.options;
    const entries = await this.search(
      this.options.groupBaseDn,
      ofClassWithAny(
        schema.groupObjectClass,
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
      const result = await this.connection.use((client) =>
        client.search(baseDn, { scope: 'sub', filter, attributes, ...limits }),
      );
      return result.searchEntries;
    } catch (error) {
      throw asDirectoryFailure(error, 'search');
    }
  }

  private asResolvedUser(entry: Entry): ResolvedUser {
    const { schema } = this.options;
    const resolved: ResolvedUser = {
      kind: 'found',
      dn: entry.dn,
      parentDns: valuesOf(entry, schema.memberOfAttribute),
      user: {
        id: this.userId(entry),
        username: firstValueOf(entry, schema.usernameAttribute) ?? '',
        email: firstValueOf(entry, schema.emailAttribute),
      },
    };
    this.whereFound.set(resolved.user, resolved);
    return resolved;
  }

  private asGroupNode(entry: Entry): GroupNode {
    return {
      dn: entry.dn,
      id: this.groupId(entry),
      name: firstValueOf(entry, this.options.schema.groupNameAttribute) ?? '',
      parentDns: valuesOf(entry, this.options.schema.memberOfAttribute),
    };
  }

  private userId(entry: Entry): string {
    return firstValueOf(entry, this.options.schema.userIdAttribute) ?? '';
  }

  private groupId(entry: Entry): string {
    return firstValueOf(entry, this.options.schema.groupIdAttribute) ?? '';
  }
}

function clientSettings(options: DirectoryOptions, timeoutMs: number): ClientSettings {
  return { urls: options.urls, timeoutMs, connectTimeoutMs: Math.min(options.connectTimeoutMs, timeoutMs) };
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

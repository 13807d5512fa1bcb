import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
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
import { DirectoryObserver, unobserved } from '../directory-observer';
import { DirectoryOptions } from '../directory.options';
import { transportSecurityConflict } from '../directory-settings-syntax';
import { PageRequest } from '../paging';
import { DirectoryParts, directoryParts } from './directory-parts';
import { asGroup } from './entry-mapping';
import { clientSettings } from './ldap-clients';
import { Dialect } from './ldap-dialect';
import { ServiceConnection } from './service-connection';

/** The Directory on an LDAP server of a known dialect. */
export class LdapDirectory extends Directory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly connection: ServiceConnection;
  private readonly parts: DirectoryParts;

  constructor(
    options: DirectoryOptions,
    dialect: Dialect,
    observer: DirectoryObserver = unobserved,
  ) {
    super();
    assertUsableOptions(options);
    this.connection = new ServiceConnection(
      clientSettings(options, options.timeoutMs),
      options.bindDn,
      options.bindPassword,
      options.failBackIntervalMs,
    );
    this.parts = directoryParts(options, dialect, this.connection, observer);
  }

  onApplicationBootstrap(): void {
    this.parts.caches.watchChanges();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.parts.caches.stopWatching();
    await this.connection.close();
  }

  async findUser(identifier: string): Promise<UserLookup> {
    const resolution = await this.parts.users.resolve(identifier);
    return resolution.kind === 'found' ? { kind: 'found', user: resolution.user } : resolution;
  }

  async findGroup(identifier: string): Promise<GroupLookup> {
    const resolution = await this.parts.groups.resolve(identifier);
    return resolution.kind === 'found' ? { kind: 'found', group: asGroup(resolution.group) } : resolution;
  }

  checkMembership(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    return this.parts.membership.explained(user, groupIdentifiers);
  }

  isMember(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipVerdict> {
    return this.parts.membership.verdict(user, groupIdentifiers);
  }

  groupsOfUser(user: string | DirectoryUser, scope: GroupScope, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    return this.parts.lists.groupsOfUser(user, scope, page);
  }

  usersInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryUser>> {
    return this.parts.lists.usersInGroup(groupIdentifier, page);
  }

  groupsInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    return this.parts.lists.groupsInGroup(groupIdentifier, page);
  }

  authenticate(login: string, password: string): Promise<DirectoryUser | undefined> {
    return this.parts.logins.authenticate(login, password);
  }

  ping(): Promise<void> {
    return this.parts.readiness.ping();
  }
}

export function assertUsableOptions(options: DirectoryOptions): void {
  const conflict = transportSecurityConflict(options.urls, options.tls?.startTls ?? false);
  if (conflict !== undefined) {
    throw new Error(`Invalid directory options: ${conflict}`);
  }
}

import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  Directory,
  DirectoryGroup,
  DirectoryUser,
  GroupLookup,
  GroupScope,
  IdentityLookup,
  ListAnswer,
  MembershipAnswer,
  MembershipVerdict,
  UserLookup,
} from '../directory';
import { DirectoryObserver, unobserved } from '../directory-observer';
import { DirectoryOptions } from '../directory.options';
import { transportSecurityConflict } from '../directory-settings-syntax';
import { PageRequest } from '../paging';
import { DialectSource } from './dialect-source';
import { DirectoryParts, directoryParts } from './directory-parts';
import { asGroup } from './entry-mapping';
import { clientSettings } from './ldap-clients';
import { ServiceConnection } from './service-connection';

/** The Directory on an LDAP server, made of its dialect's parts once the dialect is known. */
export class LdapDirectory extends Directory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly connection: ServiceConnection;
  private built?: DirectoryParts;
  private bootstrapped = false;

  constructor(
    private readonly options: DirectoryOptions,
    private readonly dialects: DialectSource,
    private readonly observer: DirectoryObserver = unobserved,
  ) {
    super();
    // Fails the start on unusable options, whether or not the dialect is known yet, rather than on the first request.
    assertUsableOptions(options);
    this.connection = new ServiceConnection(
      clientSettings(options, options.timeoutMs),
      options.bindDn,
      options.bindPassword,
      options.failBackIntervalMs,
    );
  }

  /**
   * Builds the parts at once where it can, so that the change watch runs from the start. Where the dialect must be
   * read from a directory that is not answering yet, every call fails as unavailable and asks again; the service's
   * start check (a ping) says why in the log, so nothing is logged twice here.
   */
  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    this.built?.caches.watchChanges();
    this.parts().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.dialects.close();
    await this.built?.caches.stopWatching();
    await this.connection.close();
  }

  async findUser(identifier: string): Promise<UserLookup> {
    const { users } = await this.parts();
    const resolution = await users.resolve(identifier);
    return resolution.kind === 'found' ? { kind: 'found', user: resolution.user } : resolution;
  }

  async findGroup(identifier: string): Promise<GroupLookup> {
    const { groups } = await this.parts();
    const resolution = await groups.resolve(identifier);
    return resolution.kind === 'found' ? { kind: 'found', group: asGroup(resolution.group) } : resolution;
  }

  async checkMembership(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    return (await this.parts()).membership.explained(user, groupIdentifiers);
  }

  async isMember(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipVerdict> {
    return (await this.parts()).membership.verdict(user, groupIdentifiers);
  }

  async groupsOfUser(
    user: string | DirectoryUser,
    scope: GroupScope,
    page: PageRequest,
  ): Promise<ListAnswer<DirectoryGroup>> {
    return (await this.parts()).lists.groupsOfUser(user, scope, page);
  }

  async identityOf(user: string | DirectoryUser): Promise<IdentityLookup> {
    return (await this.parts()).identities.of(user);
  }

  async usersInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryUser>> {
    return (await this.parts()).lists.usersInGroup(groupIdentifier, page);
  }

  async groupsInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    return (await this.parts()).lists.groupsInGroup(groupIdentifier, page);
  }

  async authenticate(login: string, password: string): Promise<DirectoryUser | undefined> {
    return (await this.parts()).logins.authenticate(login, password);
  }

  async ping(): Promise<void> {
    return (await this.parts()).readiness.ping();
  }

  /** Until the dialect is known, every call fails as the directory being unavailable. */
  private async parts(): Promise<DirectoryParts> {
    if (!this.built) {
      const dialect = await this.dialects.dialect();
      // A concurrent call may have made them while this one waited.
      if (!this.built) {
        this.built = directoryParts(this.options, dialect, this.connection, this.observer);
        if (this.bootstrapped) {
          this.built.caches.watchChanges();
        }
      }
    }
    return this.built;
  }
}

function assertUsableOptions(options: DirectoryOptions): void {
  const conflict = transportSecurityConflict(options.urls, options.tls?.startTls ?? false);
  if (conflict !== undefined) {
    throw new Error(`Invalid directory options: ${conflict}`);
  }
}

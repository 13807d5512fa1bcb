import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
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
import { DirectoryUnavailableError } from '../directory.errors';
import { DirectoryOptions } from '../directory.options';
import { PageRequest } from '../paging';
import { dialectOfRootDse, readRootDse } from './dialect-detection';
import { clientSettings } from './ldap-clients';
import { assertUsableOptions, LdapDirectory } from './ldap-directory';
import { asDirectoryFailure } from './ldap-failure';
import { observed } from './observed-operation';

/**
 * DIRECTORY_DIALECT=auto: reads the server's rootDSE at start and from then on serves as an LdapDirectory of the
 * dialect found. The service starts whether or not the directory is up; until a read succeeds, every call fails as
 * the directory being unavailable, and the next call tries again. The dialect is never guessed.
 */
export class AutoDetectedDirectory extends Directory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AutoDetectedDirectory.name);
  private detected?: LdapDirectory;
  private detecting?: Promise<LdapDirectory>;
  private bootstrapped = false;
  private closed = false;

  constructor(
    private readonly options: DirectoryOptions,
    private readonly observer: DirectoryObserver = unobserved,
  ) {
    super();
    // Fails the start on unusable options, as a configured dialect does, rather than on the first request.
    assertUsableOptions(options);
  }

  /** Detects at once, so that the log says which dialect from the start; a failure here is retried on first use. */
  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    this.detected?.onApplicationBootstrap();
    this.directory().catch((error: unknown) => {
      if (!this.closed) {
        this.logger.warn(`DIRECTORY_DIALECT=auto: cannot read the directory's rootDSE yet (${String(error)}); trying again on first use`);
      }
    });
  }

  /**
   * A detection still in progress is not waited for: against a silent server it would hold the stop for up to
   * LDAP_TIMEOUT_MS. Its connection closes by itself when the read ends, and no directory is made from it.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.detected?.onApplicationShutdown();
  }

  findUser(identifier: string): Promise<UserLookup> {
    return this.directory().then((directory) => directory.findUser(identifier));
  }

  findGroup(identifier: string): Promise<GroupLookup> {
    return this.directory().then((directory) => directory.findGroup(identifier));
  }

  checkMembership(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipAnswer> {
    return this.directory().then((directory) => directory.checkMembership(user, groupIdentifiers));
  }

  isMember(user: string | DirectoryUser, groupIdentifiers: readonly string[]): Promise<MembershipVerdict> {
    return this.directory().then((directory) => directory.isMember(user, groupIdentifiers));
  }

  groupsOfUser(user: string | DirectoryUser, scope: GroupScope, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    return this.directory().then((directory) => directory.groupsOfUser(user, scope, page));
  }

  usersInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryUser>> {
    return this.directory().then((directory) => directory.usersInGroup(groupIdentifier, page));
  }

  groupsInGroup(groupIdentifier: string, page: PageRequest): Promise<ListAnswer<DirectoryGroup>> {
    return this.directory().then((directory) => directory.groupsInGroup(groupIdentifier, page));
  }

  authenticate(login: string, password: string): Promise<DirectoryUser | undefined> {
    return this.directory().then((directory) => directory.authenticate(login, password));
  }

  ping(): Promise<void> {
    return this.directory().then((directory) => directory.ping());
  }

  /** Concurrent first calls share one detection. */
  private directory(): Promise<LdapDirectory> {
    if (this.detected) {
      return Promise.resolve(this.detected);
    }
    this.detecting ??= this.detect().finally(() => {
      this.detecting = undefined;
    });
    return this.detecting;
  }

  private async detect(): Promise<LdapDirectory> {
    const { options } = this;
    const rootDse = await observed(this.observer, 'read', async () => {
      try {
        return await readRootDse(clientSettings(options, options.timeoutMs), options.bindDn, options.bindPassword);
      } catch (error) {
        throw asDirectoryFailure(error, 'dialect detection');
      }
    });
    if (this.closed) {
      throw new DirectoryUnavailableError('dialect detection: the directory is closed');
    }
    const dialect = dialectOfRootDse(rootDse);
    this.logger.log(`DIRECTORY_DIALECT=auto: the directory's rootDSE says ${dialect.name}`);
    const directory = new LdapDirectory(options, dialect, this.observer);
    if (this.bootstrapped) {
      directory.onApplicationBootstrap();
    }
    this.detected = directory;
    return directory;
  }
}

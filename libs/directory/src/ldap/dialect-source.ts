import { Logger } from '@nestjs/common';
import { Entry } from 'ldapts';
import { DirectoryDialect } from '../dialect';
import { DirectoryObserver, unobserved } from '../directory-observer';
import { DirectoryUnavailableError } from '../directory.errors';
import { DirectoryOptions } from '../directory.options';
import { ACTIVE_DIRECTORY } from './active-directory/active-directory-dialect';
import { valuesOf } from './entry-values';
import { bindFirstReachable, ClientSettings, clientSettings, unbindQuietly } from './ldap-clients';
import { Dialect } from './ldap-dialect';
import { asDirectoryFailure, asServiceAccount } from './ldap-failure';
import { observed } from './observed-operation';
import { OPENLDAP } from './openldap/openldap-dialect';

const DIALECTS: Record<DirectoryDialect, Dialect> = {
  openldap: OPENLDAP,
  'active-directory': ACTIVE_DIRECTORY,
};

/** Where an LdapDirectory learns its dialect: from the options, or from the server itself. */
export interface DialectSource {
  /** Rejects with DirectoryUnavailableError while the dialect cannot be known yet; the next call asks again. */
  dialect(): Promise<Dialect>;
  /** No dialect is made known after this. */
  close(): void;
}

export function dialectSourceFor(options: DirectoryOptions, observer: DirectoryObserver = unobserved): DialectSource {
  if (options.dialect === 'auto') {
    return new DetectedDialect(options, observer);
  }
  const dialect = DIALECTS[options.dialect];
  return { dialect: () => Promise.resolve(dialect), close: () => undefined };
}

/**
 * DIRECTORY_DIALECT=auto: the dialect is read from the server's rootDSE, once. The service starts whether or not the
 * directory is up; until a read succeeds, every call fails as the directory being unavailable, and the next call
 * tries again. The dialect is never guessed.
 */
class DetectedDialect implements DialectSource {
  private readonly logger = new Logger(DetectedDialect.name);
  private detected?: Dialect;
  private detecting?: Promise<Dialect>;
  private closed = false;

  constructor(
    private readonly options: DirectoryOptions,
    private readonly observer: DirectoryObserver,
  ) {}

  /** Concurrent first calls share one detection. */
  dialect(): Promise<Dialect> {
    if (this.detected) {
      return Promise.resolve(this.detected);
    }
    this.detecting ??= this.detect().finally(() => {
      this.detecting = undefined;
    });
    return this.detecting;
  }

  /**
   * A detection still in progress is not waited for: against a silent server it would hold the stop for up to
   * LDAP_TIMEOUT_MS. Its connection closes by itself when the read ends, and no dialect is taken from it.
   */
  close(): void {
    this.closed = true;
  }

  private async detect(): Promise<Dialect> {
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
    this.detected = dialect;
    return dialect;
  }
}

/** LDAP_CAP_ACTIVE_DIRECTORY_OID: every Active Directory domain controller lists it in its rootDSE, and so does Samba's. */
const ACTIVE_DIRECTORY_CAPABILITY = '1.2.840.113556.1.4.800';

export function dialectOfRootDse(rootDse: Entry | undefined): Dialect {
  const capabilities = rootDse ? valuesOf(rootDse, 'supportedCapabilities') : [];
  return capabilities.includes(ACTIVE_DIRECTORY_CAPABILITY) ? ACTIVE_DIRECTORY : OPENLDAP;
}

/** Reads the rootDSE as the service account, on a connection of its own that is closed afterwards. */
async function readRootDse(settings: ClientSettings, bindDn: string, bindPassword: string): Promise<Entry | undefined> {
  let client;
  try {
    client = await asServiceAccount(bindFirstReachable(settings, bindDn, bindPassword));
    const result = await client.search('', { scope: 'base', attributes: ['supportedCapabilities'] });
    return result.searchEntries[0];
  } finally {
    await unbindQuietly(client);
  }
}

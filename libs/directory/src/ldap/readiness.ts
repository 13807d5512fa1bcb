import { DirectoryObserver } from '../directory-observer';
import { DirectoryUnavailableError } from '../directory.errors';
import { DirectoryOptions } from '../directory.options';
import { bindFirstReachable, ClientSettings, clientSettings, unbindQuietly } from './ldap-clients';
import { asDirectoryFailure, asServiceAccount, searchingBase } from './ldap-failure';
import { observed } from './observed-operation';
import { ServiceConnection } from './service-connection';

/** The readiness probe: a fresh client's bind as the service account and a base search of each search base. */
export class Readiness {
  private readonly settings: ClientSettings;
  private readonly bases: readonly string[];

  constructor(
    private readonly options: DirectoryOptions,
    private readonly connection: ServiceConnection,
    private readonly observer: DirectoryObserver,
  ) {
    this.settings = clientSettings(options, options.pingTimeoutMs);
    this.bases = [...new Set([options.baseDn, options.userBaseDn, options.groupBaseDn])];
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
      client = await asServiceAccount(
        bindFirstReachable(
          { ...this.settings, urls: this.connection.urlsByPreference() },
          this.options.bindDn,
          this.options.bindPassword,
        ),
      );
      for (const dn of this.bases) {
        await searchingBase(dn, client.search(dn, { scope: 'base', attributes: ['1.1'] }));
      }
    } catch (error) {
      throw asDirectoryFailure(error, 'ping');
    } finally {
      await unbindQuietly(client);
    }
  }
}

import { Client } from 'ldapts';
import { bindFirstReachable, ClientSettings, isStillBound, unbindQuietly } from './ldap-clients';

/**
 * The service account's long-lived client. ldapts multiplexes operations on one socket but does not guard a
 * connect already in progress, so connect + bind is single-flight: concurrent first requests share one attempt.
 */
export class ServiceConnection {
  private client?: Client;
  private connecting?: Promise<Client>;

  constructor(
    private readonly settings: ClientSettings,
    private readonly bindDn: string,
    private readonly bindPassword: string,
  ) {}

  async use<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    return operation(await this.boundClient());
  }

  /** Waits for a connect in progress, so that no socket outlives the application. */
  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    await this.discard();
  }

  private async discard(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await unbindQuietly(client);
  }

  private boundClient(): Promise<Client> {
    if (isStillBound(this.client)) {
      return Promise.resolve(this.client);
    }
    this.connecting ??= this.reconnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async reconnect(): Promise<Client> {
    await this.discard();
    // Without a rebind, an operation that reconnects underneath us would run anonymously and see nothing.
    this.client = await bindFirstReachable(this.settings, this.bindDn, this.bindPassword, {
      rebindAfterReconnect: true,
    });
    return this.client;
  }
}

import { Logger } from '@nestjs/common';
import { Client } from 'ldapts';
import { bindFirstReachable, ClientSettings, isStillBound, unbindQuietly } from './ldap-clients';
import { asServiceAccountRefusal, isTransient } from './ldap-failure';

/**
 * The service account's long-lived client. ldapts multiplexes operations on one socket but does not guard a
 * connect already in progress, so connect + bind is single-flight: concurrent first requests share one attempt.
 *
 * A client bound to any URL but the first keeps serving, and at most every failBackIntervalMs a background attempt
 * (one at a time, never awaited by a request) binds to an earlier URL; when one accepts, new operations go there and
 * the replaced client is unbound once the operations it carries have finished, so that returning fails no request.
 */
export class ServiceConnection {
  private readonly logger = new Logger(ServiceConnection.name);
  private client?: Client;
  /** The position in the URL list of the server the client is bound to: 0 is the preferred one. */
  private rank = 0;
  private connecting?: Promise<Client>;
  private failingBack?: Promise<void>;
  private lastFailBackAt = 0;
  private readonly inFlight = new Map<Client, number>();
  private readonly retiring = new Set<Client>();
  private closed = false;

  constructor(
    private readonly settings: ClientSettings,
    private readonly bindDn: string,
    private readonly bindPassword: string,
    private readonly failBackIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async use<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.boundClient();
    this.considerFailingBack();
    this.inFlight.set(client, (this.inFlight.get(client) ?? 0) + 1);
    try {
      return await operation(client);
    } finally {
      this.finished(client);
    }
  }

  /**
   * The URLs with the server this connection last bound to first: a fresh client (a login's bind, the readiness
   * probe) that followed the configured order would wait out a silent first server's timeout every time.
   */
  urlsByPreference(): readonly string[] {
    const { urls } = this.settings;
    return this.rank === 0 ? urls : [urls[this.rank], ...urls.filter((_, rank) => rank !== this.rank)];
  }

  /** Waits for a connect or fail-back in progress, so that no socket outlives the application. */
  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.failingBack;
    await this.discard();
    await Promise.all([...this.retiring].map((client) => unbindQuietly(client)));
    this.retiring.clear();
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
    const bound = await this.bindFirstOf(this.settings.urls.length);
    this.client = bound.client;
    this.rank = bound.rank;
    if (bound.rank > 0) {
      // The earlier servers have just failed: the first attempt to return waits a whole interval.
      this.lastFailBackAt = this.now();
      this.logger.warn(
        `Bound to ${this.settings.urls[bound.rank]}, not the first of LDAP_URL; trying to return to an earlier one ` +
          `at most every ${this.failBackIntervalMs} ms`,
      );
    }
    return bound.client;
  }

  /**
   * Tries each of the first `count` URLs on its own, so that the bind that succeeds says which server it reached.
   * Without a rebind, an operation that reconnects underneath us would run anonymously and see nothing.
   */
  private async bindFirstOf(count: number): Promise<{ client: Client; rank: number }> {
    let lastTransientFailure: unknown;
    for (let rank = 0; rank < count; rank++) {
      try {
        const settings = { ...this.settings, urls: [this.settings.urls[rank]] };
        const client = await bindFirstReachable(settings, this.bindDn, this.bindPassword, {
          rebindAfterReconnect: true,
        });
        return { client, rank };
      } catch (error) {
        if (!isTransient(error)) {
          throw asServiceAccountRefusal(error);
        }
        lastTransientFailure = error;
      }
    }
    throw lastTransientFailure;
  }

  private considerFailingBack(): void {
    if (this.rank === 0 || this.failingBack || this.closed) {
      return;
    }
    if (this.now() - this.lastFailBackAt < this.failBackIntervalMs) {
      return;
    }
    this.lastFailBackAt = this.now();
    this.failingBack = this.failBack().finally(() => {
      this.failingBack = undefined;
    });
  }

  private async failBack(): Promise<void> {
    const replaced = this.client;
    let preferred: { client: Client; rank: number };
    try {
      preferred = await this.bindFirstOf(this.rank);
    } catch (error) {
      if (!isTransient(error)) {
        this.logger.warn(`An earlier server of LDAP_URL refused the service account's bind: ${String(error)}`);
      }
      return;
    }
    // A reconnect or a close while we were binding has already decided where operations go.
    if (this.closed || this.client !== replaced || this.connecting) {
      await unbindQuietly(preferred.client);
      return;
    }
    this.client = preferred.client;
    this.rank = preferred.rank;
    this.logger.log(`Returned to ${this.settings.urls[preferred.rank]} of LDAP_URL`);
    if (replaced) {
      this.retire(replaced);
    }
  }

  private retire(client: Client): void {
    if (this.inFlight.has(client)) {
      this.retiring.add(client);
    } else {
      void unbindQuietly(client);
    }
  }

  private finished(client: Client): void {
    const remaining = (this.inFlight.get(client) ?? 1) - 1;
    if (remaining > 0) {
      this.inFlight.set(client, remaining);
      return;
    }
    this.inFlight.delete(client);
    if (this.retiring.delete(client)) {
      void unbindQuietly(client);
    }
  }
}

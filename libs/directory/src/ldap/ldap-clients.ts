import { Client } from 'ldapts';
import { isTransient } from './ldap-failure';

export interface ClientSettings {
  readonly urls: readonly string[];
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
}

/**
 * Binds a new client to the first server that accepts the bind, trying the URLs in order past servers that cannot
 * answer now (unreachable, busy, unavailable). Any other answer (invalid credentials, say) ends the attempt: another
 * replica would give the same one.
 */
export async function bindFirstReachable(
  settings: ClientSettings,
  dn: string,
  password: string,
  { rebindAfterReconnect = false } = {},
): Promise<Client> {
  if (password === '') {
    // RFC 4513 §5.1.2: a simple bind with a DN and no password is an unauthenticated bind, and it succeeds.
    throw new Error('Refusing to bind with an empty password');
  }
  let lastTransientFailure: unknown;
  for (const url of settings.urls) {
    const client = new Client({
      url,
      timeout: settings.timeoutMs,
      connectTimeout: settings.connectTimeoutMs,
      autoRebind: rebindAfterReconnect,
    });
    try {
      await client.bind(dn, password);
      return client;
    } catch (error) {
      await unbindQuietly(client);
      if (!isTransient(error)) {
        throw error;
      }
      lastTransientFailure = error;
    }
  }
  throw lastTransientFailure;
}

export async function unbindQuietly(client: Client | undefined): Promise<void> {
  try {
    await client?.unbind();
  } catch {
    // The socket is destroyed by unbind whatever the server says; there is nothing left to release.
  }
}

import { connect, isIP, Socket } from 'node:net';
import { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import { isLdapsUrl } from '../directory-settings-syntax';
import { DirectoryOptions, TransportSecurity } from '../directory.options';
import { isTransient, TransportSecurityError } from './ldap-failure';

export interface ClientSettings {
  readonly urls: readonly string[];
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly tls: TransportSecurity;
}

export function clientSettings(options: DirectoryOptions, timeoutMs: number): ClientSettings {
  return {
    urls: options.urls,
    timeoutMs,
    connectTimeoutMs: Math.min(options.connectTimeoutMs, timeoutMs),
    tls: options.tls ?? { startTls: false },
  };
}

/** StartTLS clients whose connection has ended: ldapts goes on reporting them as connected and bound. */
const lostConnections = new WeakSet<Client>();

/** Bound, on the connection that was bound (and upgraded, if StartTLS is on). */
export function isStillBound(client: Client | undefined): client is Client {
  return client !== undefined && client.isBound && !lostConnections.has(client);
}

/**
 * Binds a new client to the first server that accepts the bind, trying the URLs in order past servers that cannot
 * answer now (unreachable, busy, unavailable, or failing TLS). Any other answer (invalid credentials, say) ends the
 * attempt: another replica would give the same one. With StartTLS, no bind is sent before the upgrade succeeded.
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
    const client = settings.tls.startTls
      ? startTlsClient(settings, url)
      : new Client({
          url,
          timeout: settings.timeoutMs,
          connectTimeout: settings.connectTimeoutMs,
          autoRebind: rebindAfterReconnect,
          // Only for ldaps://: ldapts speaks TLS from the first byte to any URL it is given TLS options for.
          tlsOptions: isLdapsUrl(url) ? verifiedTlsOptions(settings.tls) : undefined,
        });
    try {
      if (settings.tls.startTls) {
        await upgradeWithStartTls(client, url, settings.tls);
      }
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

/**
 * ldapts (8.2, Client#_ensureConnected) reconnects by itself when an operation finds its socket gone, without
 * StartTLS and, since it does not replay a bind made after StartTLS, anonymously: the operation would go out in the
 * clear and quietly see nothing. So a StartTLS client gets one connection, and is marked lost when it ends, which
 * ldapts itself misses (its close handler only resets state for the socket that StartTLS replaced).
 */
function startTlsClient(settings: ClientSettings, url: string): Client {
  let connected = false;
  const client: Client = new Client({
    url,
    timeout: settings.timeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    createConnection: ((port: number, host: string): Socket => {
      if (connected) {
        const refused = new Socket();
        refused.destroy(new Error(`Not reconnecting to ${url}: the connection that did StartTLS is gone`));
        return refused;
      }
      connected = true;
      const socket = connect(port, host);
      socket.once('close', () => lostConnections.add(client));
      return socket;
    }) as typeof connect,
  });
  return client;
}

async function upgradeWithStartTls(client: Client, url: string, tls: TransportSecurity): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  try {
    // The certificate is checked against the URL's host; RFC 6066 allows no IP address as the server name.
    await client.startTLS({ ...verifiedTlsOptions(tls), host, ...(isIP(host) ? {} : { servername: host }) });
  } catch (error) {
    throw new TransportSecurityError(`StartTLS with ${url} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Explicit, so that NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off. */
function verifiedTlsOptions(tls: TransportSecurity): ConnectionOptions {
  return { rejectUnauthorized: true, ...(tls.caCertificates ? { ca: [...tls.caCertificates] } : {}) };
}

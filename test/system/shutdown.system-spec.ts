import { NestExpressApplication } from '@nestjs/platform-express';
import { once } from 'node:events';
import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';
import { IDLE_CONNECTION_GRACE_MS } from '../../apps/security-api/src/shutdown/http-drain';
import { demoEnvironment } from '@test/support/demo-directory';
import { basic } from '@test/support/basic';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';

const SHUTDOWN_TIMEOUT_MS = 1000;
/** Longer than the deadline, so a check against the silent directory is still in progress when it passes. */
const LDAP_TIMEOUT_MS = 2500;
const CHECK = '/api/security/users/tdurden/groups/Loners';

/** A directory that accepts connections and never answers: a check against it stays in progress. */
async function silentDirectory(): Promise<{ server: Server; connected: Promise<void>; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    markConnected();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, connected, sockets };
}

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends one request on the socket and resolves with the head of the answer. */
function exchange(socket: Socket, path: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.off('data', onData);
        resolve(received.slice(0, end));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(received)}`)));
    const lines = [
      `GET ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

describe('stopping the service (app.close, as SIGTERM does)', () => {
  let directory: Awaited<ReturnType<typeof silentDirectory>>;
  let app: NestExpressApplication;
  let logs: CapturedLogs;
  let port: number;

  beforeEach(async () => {
    directory = await silentDirectory();
    const { port: directoryPort } = directory.server.address() as AddressInfo;
    ({ app, logs } = await startSecurityApi(
      demoEnvironment(`ldap://127.0.0.1:${directoryPort}`, {
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        LDAP_TIMEOUT_MS: String(LDAP_TIMEOUT_MS),
        // No change watch: its marker read would wait on the silent directory too.
        DIRECTORY_STALENESS_MS: '0',
      }),
    ));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterEach(async () => {
    directory.sockets.forEach((socket) => socket.destroy());
    directory.server.close();
  });

  it('closes an idle kept-alive connection after a short grace, without waiting for the deadline', async () => {
    const socket = await connectTo(port);
    expect(await exchange(socket, '/health/live')).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: keep-alive/i);
    const closed = once(socket, 'close');
    const started = Date.now();
    await app.close();
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_CONNECTION_GRACE_MS - 50);
    expect(Date.now() - started).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  });

  it('answers a request sent on a kept-alive connection during the drain, with Connection: close', async () => {
    const busy = await connectTo(port);
    const idle = await connectTo(port);
    await exchange(idle, '/health/live');
    const inProgress = exchange(busy, CHECK, { Authorization: basic('sysadmin', 'admin-secret') }).catch(String);
    await directory.connected;
    const closing = app.close();
    while (logs.containing('Draining').length === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exchange(idle, '/health/live')).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close/i);
    await closing;
    expect(await inProgress).toMatch(/closed after ""/);
  });

  it('stops waiting for a request still in progress at SHUTDOWN_TIMEOUT_MS, closes it and says so', async () => {
    const socket = await connectTo(port);
    const inProgress = exchange(socket, CHECK, { Authorization: basic('sysadmin', 'admin-secret') }).catch(String);
    await directory.connected;
    const started = Date.now();
    const closing = app.close();
    expect(await inProgress).toMatch(/closed after ""/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 50);
    expect(Date.now() - started).toBeLessThan(LDAP_TIMEOUT_MS);
    expect(logs.containing(`still open after SHUTDOWN_TIMEOUT_MS=${SHUTDOWN_TIMEOUT_MS}`)).toHaveLength(1);
    // The directory's connection is closed after the HTTP server: its bind in progress ends at the LDAP timeout.
    await closing;
  });

  it('refuses new connections once it has stopped', async () => {
    await app.close();
    await expect(connectTo(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});

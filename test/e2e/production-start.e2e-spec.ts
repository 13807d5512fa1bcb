import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { createConnection, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { demoEnvironment, IDS } from '../support/demo-directory';
import { freePort } from '../support/free-port';
import { basic } from '../support/security-api';
import { Slapd } from '../support/slapd';

const BUILT_MAIN = resolve(__dirname, '../../dist/apps/security-api/apps/security-api/src/main.js');

/** The built service as production runs it (`npm run build`, then `npm run start:prod`), as a child process. */
function startBuilt(variables: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...variables },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitForReady(url: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(url)).status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
  }
  throw new Error(`${url} did not become ready (exit code ${child.exitCode})`);
}

/** Ready, and answering a check that needs the directory and the service account's bind. */
async function expectServing(port: number, child: ChildProcess): Promise<void> {
  await waitForReady(`http://127.0.0.1:${port}/health/ready`, child);
  const answer = await fetch(`http://127.0.0.1:${port}/api/security/users/tdurden/groups/${IDS.paperStreetSoapCompany}`, {
    method: 'HEAD',
    headers: { Authorization: basic('sysadmin', 'admin-secret') },
  });
  expect(answer.status).toBe(204);
}

const BURST = 30;

function checkRequest(group: string): string {
  return [
    `HEAD /api/security/users/tdurden/groups/${group} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Authorization: ${basic('sysadmin', 'admin-secret')}`,
    '',
    '',
  ].join('\r\n');
}

function connected(port: number): Promise<Socket> {
  return new Promise((resolveSocket, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => resolveSocket(socket));
    socket.once('error', reject);
  });
}

/** Writes a raw request and resolves with the answer's status line, or with how the connection failed. */
function statusLineOf(socket: Socket, request: string): Promise<string> {
  return new Promise((resolveLine) => {
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n')) {
        resolveLine(received.slice(0, received.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolveLine(error.code ?? String(error)));
    socket.on('close', () => resolveLine(`closed after ${JSON.stringify(received)}`));
    socket.write(request);
  });
}

describe('the built service (npm run build, npm run start:prod)', () => {
  let slapd: Slapd;

  beforeAll(async () => {
    if (!existsSync(BUILT_MAIN)) {
      throw new Error(`${BUILT_MAIN} is missing: run "npm run build" first (npm test does)`);
    }
    slapd = await Slapd.start();
  });

  afterAll(async () => {
    await slapd?.destroy();
  });

  it('starts from the environment, answers checks and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = startBuilt(demoEnvironment(slapd.url, { PORT: String(port) }));
    try {
      await expectServing(port, child);
    } finally {
      child.kill('SIGTERM');
    }
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal, output: output() }).toMatchObject({ code: 0, signal: null });
    expect(output()).not.toMatch(/ERROR/);
  });

  it('answers every check already sent when SIGTERM arrives, then stops listening and exits 0', async () => {
    const port = await freePort();
    // Caches off: each check needs several directory round trips, so the burst is still being served at the signal.
    const { child, output } = startBuilt(demoEnvironment(slapd.url, { PORT: String(port), DIRECTORY_STALENESS_MS: '0' }));
    let outcomes: string[];
    try {
      await expectServing(port, child);
      const sockets = await Promise.all(Array.from({ length: BURST }, () => connected(port)));
      const answers = sockets.map((socket, index) =>
        statusLineOf(socket, checkRequest(index % 2 ? 'Loners' : IDS.paperStreetSoapCompany)),
      );
      // The requests are in the server's socket buffers, most of them not yet read, when the signal arrives.
      child.kill('SIGTERM');
      outcomes = await Promise.all(answers);
    } finally {
      child.kill('SIGTERM');
    }
    const [code, signal] = await once(child, 'exit');
    expect(outcomes).toEqual(
      Array.from({ length: BURST }, (_, index) => (index % 2 ? 'HTTP/1.1 404 Not Found' : 'HTTP/1.1 204 No Content')),
    );
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output()).not.toMatch(/ERROR/);
    await expect(connected(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("reads the service account's password from LDAP_BIND_PASSWORD_FILE, as container secrets give it", async () => {
    const secrets = await mkdtemp(join(tmpdir(), 'secrets-'));
    const port = await freePort();
    const { LDAP_BIND_PASSWORD: password, ...environment } = demoEnvironment(slapd.url, { PORT: String(port) });
    await writeFile(join(secrets, 'ldap-bind-password'), `${password}\n`);
    const { child, output } = startBuilt({ ...environment, LDAP_BIND_PASSWORD_FILE: join(secrets, 'ldap-bind-password') });
    try {
      await expectServing(port, child);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(secrets, { recursive: true, force: true });
    }
    expect(output()).not.toContain(password);
  });

  it('refuses to start when LDAP_TLS_CA_FILE holds no certificate, naming the variable and the path', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ca-'));
    const caFile = join(folder, 'ca.pem');
    await writeFile(caFile, 'not a certificate\n');
    try {
      const { child, output } = startBuilt({ ...demoEnvironment(slapd.url), LDAP_STARTTLS: 'true', LDAP_TLS_CA_FILE: caFile });
      const [code] = await once(child, 'exit');
      expect(code).not.toBe(0);
      expect(output()).toContain(`LDAP_TLS_CA_FILE=${JSON.stringify(caFile)} (holds no PEM certificate`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses to start on invalid configuration, naming every bad variable and hiding the password', async () => {
    const { child, output } = startBuilt({
      ...demoEnvironment(slapd.url),
      LDAP_URL: 'http://not-ldap.example',
      MAX_NESTING_DEPTH: 'deep',
      LDAP_BIND_PASSWORD: 'service-secret',
      LDAP_BIND_DN: '',
    });
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(output()).toContain('Invalid environment variables');
    expect(output()).toMatch(/LDAP_URL="http:\/\/not-ldap\.example"/);
    expect(output()).toMatch(/MAX_NESTING_DEPTH="deep"/);
    expect(output()).toMatch(/LDAP_BIND_DN/);
    expect(output()).not.toContain('service-secret');
  });
});

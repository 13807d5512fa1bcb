import { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { createConnection, Socket } from 'node:net';
import { join } from 'node:path';
import { assertBuilt, startBuilt } from '@test/support/built-service';
import { demoEnvironment, IDS } from '@test/support/demo-directory';
import { freePort } from '@test/support/free-port';
import { basic } from '@test/support/basic';
import { DEMO, Slapd } from '@test/support/slapd';

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
  const answer = await fetch(
    `http://127.0.0.1:${port}/api/security/users/tdurden/groups/${IDS.paperStreetSoapCompany}`,
    {
      method: 'HEAD',
      headers: { Authorization: basic('sysadmin', 'admin-secret') },
    },
  );
  expect(answer.status).toBe(204);
}

/** The log's lines at error or fatal, and any line that is not JSON (a crash's stack, say). */
function errorsIn(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        return ['error', 'fatal'].includes((JSON.parse(line) as { level: string }).level);
      } catch {
        return true;
      }
    });
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
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
    assertBuilt();
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
    expect(errorsIn(output())).toEqual([]);
  });

  it('answers every check already sent when SIGTERM arrives, then stops listening and exits 0', async () => {
    const port = await freePort();
    // Caches off: each check needs several directory round trips, so the burst is still being served at the signal.
    const { child, output } = startBuilt(
      demoEnvironment(slapd.url, { PORT: String(port), DIRECTORY_STALENESS_MS: '0' }),
    );
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
    expect(errorsIn(output())).toEqual([]);
    await expect(connected(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("reads the service account's password from LDAP_BIND_PASSWORD_FILE, as container secrets give it", async () => {
    const secrets = await mkdtemp(join(tmpdir(), 'secrets-'));
    const port = await freePort();
    const { LDAP_BIND_PASSWORD: password, ...environment } = demoEnvironment(slapd.url, { PORT: String(port) });
    await writeFile(join(secrets, 'ldap-bind-password'), `${password}\n`);
    const { child, output } = startBuilt({
      ...environment,
      LDAP_BIND_PASSWORD_FILE: join(secrets, 'ldap-bind-password'),
    });
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
      const { child, output } = startBuilt({
        ...demoEnvironment(slapd.url),
        LDAP_STARTTLS: 'true',
        LDAP_TLS_CA_FILE: caFile,
      });
      const [code] = await once(child, 'exit');
      expect(code).not.toBe(0);
      expect(output()).toContain('LDAP_TLS_CA_FILE: holds no PEM certificate');
      expect(output()).toContain(`given ${JSON.stringify(caFile)}`);
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
    expect(output()).toContain('Invalid configuration:');
    expect(output()).toMatch(/LDAP_URL: .*; given "http:\/\/not-ldap\.example"/);
    expect(output()).toMatch(/MAX_NESTING_DEPTH: .*; given "deep"/);
    expect(output()).toMatch(/LDAP_BIND_DN: must be set/);
    expect(output()).not.toContain('service-secret');
  });

  describe('its log', () => {
    // Asked by tdurden too, who is no administrator: about rpaulson, since about himself he may ask.
    const CHECK = `/api/security/users/rpaulson/groups/${IDS.paperStreetSoapCompany}`;
    const COOKIE_VALUE = 'session-cookie-8c1f2e';
    const PASSWORDS = {
      sysadmin: 'admin-secret',
      tdurden: 'soap-maker',
      narrator: 'wrong-password-5d31',
      'no-such-login': 'a-guess-9e04',
    } as const;

    async function checkAs(port: number, login: keyof typeof PASSWORDS): Promise<Response> {
      return fetch(`http://127.0.0.1:${port}${CHECK}`, {
        method: 'HEAD',
        headers: { Authorization: basic(login, PASSWORDS[login]), Cookie: `session=${COOKIE_VALUE}` },
      });
    }

    it('is one JSON line per request with its logId, and holds no password, Authorization header or cookie', async () => {
      const port = await freePort();
      // The most verbose level: nothing logged at any level may hold a secret.
      const { child, output } = startBuilt(demoEnvironment(slapd.url, { PORT: String(port), LOG_LEVEL: 'trace' }));
      const answers: Response[] = [];
      try {
        await expectServing(port, child);
        for (const login of Object.keys(PASSWORDS) as (keyof typeof PASSWORDS)[]) {
          answers.push(await checkAs(port, login));
        }
        answers.push(
          await fetch(`http://127.0.0.1:${port}/metrics`, {
            headers: { Authorization: basic('sysadmin', PASSWORDS.sysadmin) },
          }),
        );
      } finally {
        await stopped(child);
      }
      expect(answers.map((answer) => answer.status)).toEqual([204, 403, 401, 401, 200]);

      const log = output();
      const secrets = [
        ...Object.values(PASSWORDS),
        ...Object.entries(PASSWORDS).map(([login, password]) => basic(login, password).slice('Basic '.length)),
        COOKIE_VALUE,
        DEMO.servicePassword,
      ];
      for (const secret of secrets) {
        expect({ secret, logged: log.includes(secret) }).toEqual({ secret, logged: false });
      }
      const records = log
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      // A scrape that succeeds is routine: its line is at debug.
      const levels = ['info', 'info', 'info', 'info', 'debug'];
      answers.forEach((answer, index) => {
        const logId = answer.headers.get('x-log-id');
        expect(records.filter((record) => record.logId === logId)).toEqual([
          expect.objectContaining({
            level: levels[index],
            status: answer.status,
            method: expect.any(String),
            route: expect.any(String),
          }),
        ]);
      });
    });

    it('leaves out the request lines at LOG_LEVEL=warn', async () => {
      const port = await freePort();
      const { child, output } = startBuilt(demoEnvironment(slapd.url, { PORT: String(port), LOG_LEVEL: 'warn' }));
      try {
        await expectServing(port, child);
        expect((await checkAs(port, 'narrator')).status).toBe(401);
      } finally {
        await stopped(child);
      }
      expect(output()).not.toContain('request completed');
      expect(output()).not.toContain('"level":"info"');
    });

    it('is formatted for a person with LOG_FORMAT=pretty', async () => {
      const port = await freePort();
      const { child, output } = startBuilt(demoEnvironment(slapd.url, { PORT: String(port), LOG_FORMAT: 'pretty' }));
      try {
        await expectServing(port, child);
      } finally {
        await stopped(child);
      }
      expect(output()).toMatch(/INFO.*request completed/);
      expect(output()).not.toMatch(/^\{"level"/m);
    });
  });
});

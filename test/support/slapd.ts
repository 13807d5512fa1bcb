import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ServerCertificate } from './certificates';
import { freePort } from './free-port';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../ldap/slapd.sh');
export const DEMO_LDIF = resolve(__dirname, '../ldap/demo.ldif');

export const DEMO = {
  baseDn: 'dc=fightclub,dc=com',
  serviceDn: 'cn=security-api,ou=services,dc=fightclub,dc=com',
  servicePassword: 'service-secret',
  rootDn: 'cn=admin,dc=fightclub,dc=com',
  rootPassword: 'root-secret',
} as const;

/** StartTLS with this certificate, and ldaps:// on a second port too. */
export interface SlapdTls {
  readonly certificate: ServerCertificate;
}

/** StartTLS: the extended operation's oid, as slapd logs it. */
const START_TLS_OID = '1.3.6.1.4.1.1466.20037';

/** A real slapd of the repo's own script, in a temporary folder on a free loopback port. */
export class Slapd {
  private constructor(
    readonly directory: string,
    readonly port: number,
    private readonly tls?: SlapdTls & { readonly ldapsPort: number },
    private readonly scriptEnvironment: Record<string, string> = {},
  ) {}

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  get ldapsUrl(): string {
    if (!this.tls) {
      throw new Error('this slapd was started without TLS');
    }
    return `ldaps://127.0.0.1:${this.tls.ldapsPort}`;
  }

  static async start(ldifs: readonly string[] = [DEMO_LDIF], tls?: SlapdTls): Promise<Slapd> {
    const directory = await mkdtemp(join(tmpdir(), 'slapd-'));
    const slapd = new Slapd(directory, await freePort(), tls && { ...tls, ldapsPort: await freePort() });
    await slapd.script('start', slapd.directory, String(slapd.port), ...ldifs);
    return slapd;
  }

  /** A read-only replica (syncrepl refreshAndPersist) of the provider; see caughtUpWith before relying on its data. */
  static async startReplicaOf(provider: Slapd): Promise<Slapd> {
    const replica = new Slapd(await mkdtemp(join(tmpdir(), 'slapd-replica-')), await freePort(), undefined, {
      SLAPD_REPLICA_OF: provider.url,
    });
    await replica.script('start', replica.directory, String(replica.port));
    return replica;
  }

  /** The suffix's contextCSN: equal on a replica and its provider once the replica holds every write. */
  async contextCsn(): Promise<string> {
    const output = await this.asRoot('ldapsearch', ['-LLL', '-b', DEMO.baseDn, '-s', 'base', 'contextCSN']);
    return [...output.matchAll(/^contextCSN: (.+)$/gm)]
      .map((match) => match[1])
      .sort()
      .join(' ');
  }

  /** Resolves once this replica's contextCSN equals the provider's; rejects after a bound. */
  async caughtUpWith(provider: Slapd, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [mine, theirs] = await Promise.all([this.contextCsn().catch(() => ''), provider.contextCsn()]);
      if (mine !== '' && mine === theirs) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `replica on ${this.port} did not catch up within ${timeoutMs} ms (${mine || 'none'} vs ${theirs})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops the server and keeps its data, as an outage would. */
  async stop(): Promise<void> {
    await this.script('stop', this.directory);
  }

  /** Starts the same data again on the same port. */
  async restart(): Promise<void> {
    await this.script('start', this.directory, String(this.port));
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.directory, { recursive: true, force: true });
  }

  /** Runs an LDAP client tool (ldapmodify, ldapsearch, …) as the root DN against this server. */
  async asRoot(
    tool: 'ldapmodify' | 'ldapsearch' | 'ldapdelete',
    args: readonly string[],
    input?: string,
  ): Promise<string> {
    const child = execFile(tool, ['-x', '-H', this.url, '-D', DEMO.rootDn, '-w', DEMO.rootPassword, ...args], {
      env: { ...process.env, LDAPNOINIT: '1' },
    });
    const output = new Promise<string>((resolveOutput, reject) => {
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk) => (stdout += chunk));
      child.stderr?.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) =>
        code === 0 ? resolveOutput(stdout) : reject(new Error(`${tool} exited ${code}: ${stderr}`)),
      );
    });
    // A tool that reads no input (ldapsearch) may have exited before this write: its exit code is the answer, and the
    // write's EPIPE is not an error of the test's.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
    return output;
  }

  /** How many simple binds slapd has logged for this DN: evidence of what actually reached the directory. */
  async bindsLoggedFor(dn: string): Promise<number> {
    return (await this.logLines()).filter((line) => line.includes(` BIND dn="${dn}" method=128`)).length;
  }

  /** slapd's own log, one line per operation: what actually reached the directory. */
  async logLines(): Promise<string[]> {
    const lines = (await readFile(join(this.directory, 'slapd.log'), 'utf8')).split('\n');
    // The log ends with a line break: what follows it is no line yet, and counting it would make
    // `logLines().slice(before.length)` skip the first line written after `before`.
    if (lines.at(-1) === '') {
      lines.pop();
    }
    return lines;
  }

  /** The connections (conn=N) on which this DN has bound so far. */
  async connectionsThatBound(dn: string): Promise<string[]> {
    return (await this.logLines())
      .filter((line) => line.includes(` BIND dn="${dn}" method=128`))
      .map((line) => / (conn=\d+) /.exec(line)?.[1] ?? '');
  }

  /**
   * The operations slapd received on a connection without TLS (StartTLS's own request aside), from the log line
   * numbered `since` on. Connection numbers start again at every start of slapd, so the log is read one run at a time.
   */
  async operationsWithoutTls(since = 0): Promise<string[]> {
    const withTls = new Set<string>();
    const clear: string[] = [];
    (await this.logLines()).forEach((line, index) => {
      const connection = / (conn=\d+) /.exec(line)?.[1];
      if (line.endsWith(' slapd starting')) {
        withTls.clear();
      } else if (connection && / fd=\d+ TLS established /.test(line)) {
        withTls.add(connection);
      } else if (
        connection &&
        !withTls.has(connection) &&
        / op=\d+ (BIND|SRCH|CMP|ADD|MOD|MODRDN|DEL|EXT) /.test(line) &&
        !line.includes(`EXT oid=${START_TLS_OID}`) &&
        index >= since
      ) {
        clear.push(line);
      }
    });
    return clear;
  }

  /** Lines about StartTLS and TLS sessions, to show what happened on which connection. */
  async tlsLines(): Promise<string[]> {
    return (await this.logLines()).filter((line) => line.includes(START_TLS_OID) || / TLS /.test(line));
  }

  /** Resolves once slapd has logged that the client closed this connection; rejects after a bound. */
  async connectionClosed(connection: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.logLines()).some((line) => line.includes(` ${connection} fd=`) && line.endsWith(' closed'))) {
      if (Date.now() > deadline) {
        throw new Error(`slapd did not log ${connection} as closed within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async script(...args: string[]): Promise<void> {
    const tls = this.tls && {
      SLAPD_TLS_CERT: this.tls.certificate.certificateFile,
      SLAPD_TLS_KEY: this.tls.certificate.keyFile,
      SLAPD_LDAPS_PORT: String(this.tls.ldapsPort),
    };
    await run('bash', [SCRIPT, ...args], {
      timeout: 60_000,
      env: { ...process.env, ...this.scriptEnvironment, ...tls },
    });
  }
}

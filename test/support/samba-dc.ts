import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client, escapeFilter } from 'ldapts';
import { AD_DEMO, AdDemoEntries, AdDemoKey, populateAdDemo } from './ad-demo-data';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../ad/samba-dc.sh');
// The first start on a machine provisions the template (about 10 s, longer while other workers load the machine).
const SCRIPT_TIMEOUT_MS = 180_000;

/**
 * A real Samba Active Directory domain controller of the repo's own script (LDAP only), on a loopback address of its
 * own (127.0.0.N: samba's ports are fixed), holding the demo of ad-demo-data.ts. Needs root.
 */
export class SambaDc {
  private demo: AdDemoEntries;

  private constructor(
    readonly directory: string,
    /** 127.0.0.N, the same for the DC's whole life. */
    readonly address: string,
  ) {}

  /** A fresh DC with the demo data; every call gets its own address and data, with ids of its own. */
  static async start(): Promise<SambaDc> {
    const directory = await mkdtemp(join(tmpdir(), 'samba-dc-'));
    try {
      const address = SambaDc.addressOf(await SambaDc.script('start', directory));
      const dc = new SambaDc(directory, address);
      const administrator = await dc.administrator();
      try {
        dc.demo = await populateAdDemo(administrator);
      } finally {
        await administrator.unbind();
      }
      return dc;
    } catch (error) {
      await SambaDc.script('destroy', directory).catch(() => undefined);
      throw error;
    }
  }

  get ldapsUrl(): string {
    return `ldaps://${this.address}`;
  }

  /** ldap:// on port 389, which takes a simple bind only after StartTLS. */
  get startTlsUrl(): string {
    return `ldap://${this.address}`;
  }

  /** The PEM file of the CA that signed the DC's certificate (which names its address, 127.0.0.1 and localhost). */
  get caFile(): string {
    return join(this.directory, 'tls', 'ca.pem');
  }

  get baseDn(): string {
    return AD_DEMO.baseDn;
  }

  /** Each demo entry's objectGUID, written as samba-tool writes it. */
  get ids(): Readonly<Record<AdDemoKey, string>> {
    return this.demo.ids;
  }

  /** Each demo entry's DN as the DC spells it (`CN=Tyler Durden,OU=people,DC=fightclub,DC=com`). */
  get dns(): Readonly<Record<AdDemoKey, string>> {
    return this.demo.dns;
  }

  get samAccountNames(): Readonly<Record<AdDemoKey, string>> {
    return this.demo.samAccountNames;
  }

  /** Stops the DC and keeps its data and address, as an outage would. */
  async stop(): Promise<void> {
    await SambaDc.script('stop', this.directory);
  }

  /** Starts the same data again on the same address. */
  async restart(): Promise<void> {
    await SambaDc.script('start', this.directory);
  }

  /** Stops the DC, removes its folder and gives its address back. */
  async destroy(): Promise<void> {
    await SambaDc.script('destroy', this.directory);
    await rm(this.directory, { recursive: true, force: true });
  }

  /**
   * The objectGUID of the entry with this sAMAccountName as Samba's own tools print it, read by ldbsearch straight from
   * the DC's database (samba-tool user/group show print the same): a check on any conversion of objectGUID's bytes.
   */
  async sambaToolGuid(samAccountName: string): Promise<string> {
    const { stdout } = await run(
      'ldbsearch',
      [
        '-H',
        join(this.directory, 'private', 'sam.ldb'),
        '-b',
        AD_DEMO.baseDn,
        escapeFilter`(sAMAccountName=${samAccountName})`,
        'objectGUID',
      ],
      { timeout: 30_000 },
    );
    const guids = [...stdout.matchAll(/^objectGUID: (.+)$/gm)].map((match) => match[1]);
    if (guids.length !== 1) {
      throw new Error(`ldbsearch found ${guids.length} entries named ${samAccountName}:\n${stdout}`);
    }
    return guids[0];
  }

  /** An ldapts client bound as the domain's Administrator over LDAPS, for a test's own writes; unbind it when done. */
  async administrator(): Promise<Client> {
    const client = new Client({
      url: this.ldapsUrl,
      tlsOptions: { ca: [await readFile(this.caFile, 'utf8')] },
      timeout: 10_000,
      connectTimeout: 5_000,
    });
    try {
      await client.bind(AD_DEMO.administrator, AD_DEMO.administratorPassword);
    } catch (error) {
      await client.unbind();
      throw error;
    }
    return client;
  }

  private static addressOf(output: string): string {
    const address = /^ldaps:\/\/(127\.\d+\.\d+\.\d+)$/m.exec(output)?.[1];
    if (!address) {
      throw new Error(`samba-dc.sh start printed no ldaps:// URL: ${output}`);
    }
    return address;
  }

  private static async script(...args: string[]): Promise<string> {
    const { stdout } = await run('bash', [SCRIPT, ...args], { timeout: SCRIPT_TIMEOUT_MS });
    return stdout;
  }
}

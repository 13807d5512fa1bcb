import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port';
import { SLAPD_SCRIPT } from './paths';

/** A slapd of the repository's own script (test/ldap/slapd.sh), loaded offline and then started on a free port. */
export class SlapdInstance {
  private constructor(
    readonly directory: string,
    readonly url: string,
  ) {}

  static async bulkLoad(directory: string, ldif: string): Promise<void> {
    await slapdScript('bulk-load', directory, ldif);
  }

  static async start(directory: string): Promise<SlapdInstance> {
    const url = await slapdScript('start', directory, String(await freePort()));
    return new SlapdInstance(directory, url.trim());
  }

  /** Idempotent, and safe for a folder whose slapd never started. */
  static async stop(directory: string): Promise<void> {
    await slapdScript('stop', directory);
  }

  async stop(): Promise<void> {
    await SlapdInstance.stop(this.directory);
  }

  async pid(): Promise<number> {
    return Number(await readFile(join(this.directory, 'slapd.pid'), 'utf8'));
  }
}

/** The script's stdout; its stderr (slapadd's warnings, say) goes to ours as it comes. */
function slapdScript(...args: string[]): Promise<string> {
  return new Promise((resolveOutput, reject) => {
    const child = spawn('bash', [SLAPD_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolveOutput(stdout) : reject(new Error(`slapd.sh ${args.join(' ')} exited with ${code}`)),
    );
  });
}

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { promisify } from 'node:util';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly system: string;
  readonly node: string;
  readonly slapd: string;
}

export async function describeMachine(): Promise<Machine> {
  const processors = cpus();
  return {
    cpu: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    memoryBytes: totalmem(),
    system: `${await distribution()}, Linux ${release()}`,
    node: process.version,
    slapd: await slapdVersion(),
  };
}

async function distribution(): Promise<string> {
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'unknown distribution';
}

/** slapd -VV prints "@(#) $OpenLDAP: slapd 2.5.13+dfsg-5 (…) $" on stderr. */
async function slapdVersion(): Promise<string> {
  const { stderr } = await promisify(execFile)('slapd', ['-VV'], {
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
  });
  return /slapd (\S+)/.exec(stderr)?.[1] ?? 'unknown';
}

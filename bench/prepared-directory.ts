import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCheckMix, Check } from './check-mix';
import { GeneratedDirectory, generateDirectory } from './directory-generator';
import { writeLdif } from './ldif-writer';
import { SEED } from './settings';
import { SlapdInstance } from './slapd-instance';
import { Teardown } from './teardown';

export interface PreparedDirectory {
  readonly generated: GeneratedDirectory;
  readonly checks: readonly Check[];
  readonly slapd: SlapdInstance;
  readonly ldifBytes: number;
  readonly generateSeconds: number;
  readonly loadSeconds: number;
}

/** A generated directory, bulk-loaded into its own slapd (in `folder`, which teardown stops), and its checks. */
export async function prepareDirectory(
  users: number,
  distinctChecks: number,
  folder: string,
  teardown: Teardown,
): Promise<PreparedDirectory> {
  await mkdir(folder, { recursive: true });
  const seed = `${SEED}/${users}`;
  const generating = performance.now();
  const generated = generateDirectory(users, seed);
  const ldif = join(folder, 'directory.ldif');
  await writeLdif(generated, ldif);
  const checks = buildCheckMix(generated, distinctChecks, seed);
  const loading = performance.now();
  teardown.add(() => SlapdInstance.stop(join(folder, 'slapd')));
  await SlapdInstance.bulkLoad(join(folder, 'slapd'), ldif);
  const loaded = performance.now();
  const slapd = await SlapdInstance.start(join(folder, 'slapd'));
  return {
    generated,
    checks,
    slapd,
    ldifBytes: (await stat(ldif)).size,
    generateSeconds: (loading - generating) / 1000,
    loadSeconds: (loaded - loading) / 1000,
  };
}

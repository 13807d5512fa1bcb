import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GROUPS_DN, PEOPLE_DN, SERVICE_ACCOUNT, SUFFIX } from './directory-generator';
import { measureCostByDepth } from './cold-cost-by-depth';
import { describeMachine } from './machine';
import { RESULTS_FILE } from './paths';
import { PreparedDirectory, prepareDirectory } from './prepared-directory';
import { formatReport } from './report';
import { measure, ScenarioResult } from './scenario';
import { ServiceProcess } from './service-process';
import { DISTINCT_CHECKS, LARGE_DISTINCT_CHECKS, LARGE_USERS, readDurations, USERS } from './settings';
import { Teardown } from './teardown';

const BASELINE_REQUEST = { method: 'GET', path: '/health/live', expectedStatus: 200 } as const;

const teardown = new Teardown();

async function main(): Promise<void> {
  const startedAt = new Date();
  const started = performance.now();
  const durations = readDurations();
  teardown.runOnSignals();
  try {
    const machine = await describeMachine();
    const work = await mkdtemp(join(tmpdir(), 'security-api-bench-'));
    teardown.add(() => rm(work, { recursive: true, force: true }));
    const checks = (directory: PreparedDirectory, service: ServiceProcess, name: string, seconds: number) =>
      measure({
        name,
        service,
        slapd: directory.slapd,
        requests: directory.checks,
        headers: adminHeaders(directory),
        seconds,
        warmUpSeconds: durations.warmUpSeconds,
      });

    progress(`loading ${USERS} users`);
    const standard = await prepareDirectory(USERS, DISTINCT_CHECKS, join(work, 'standard'), teardown);
    progress('baseline and warm checks');
    const warmService = await startService(standard, join(work, 'warm.log'));
    const baseline = await measure({
      name: `baseline: ${BASELINE_REQUEST.method} ${BASELINE_REQUEST.path}`,
      service: warmService,
      slapd: standard.slapd,
      requests: [BASELINE_REQUEST],
      seconds: durations.seconds,
      warmUpSeconds: durations.warmUpSeconds,
    });
    const warm = await checks(standard, warmService, 'warm checks', durations.seconds);
    await warmService.stop();

    progress('cold checks');
    const coldService = await startService(standard, join(work, 'cold.log'), { DIRECTORY_STALENESS_MS: '0' });
    const cold = await checks(standard, coldService, 'cold checks (DIRECTORY_STALENESS_MS=0)', durations.seconds);
    progress('cold cost by depth');
    const coldCostByDepth = await measureCostByDepth(coldService, standard.slapd, standard.checks, adminHeaders(standard));
    await coldService.stop();
    await standard.slapd.stop();

    progress(`loading ${LARGE_USERS} users`);
    const large = await prepareDirectory(LARGE_USERS, LARGE_DISTINCT_CHECKS, join(work, 'large'), teardown);
    progress('warm checks on the large directory');
    const largeService = await startService(large, join(work, 'large.log'));
    const largeName = `warm checks, ${LARGE_USERS.toLocaleString('en-US')} users`;
    const largeWarm = await checks(large, largeService, largeName, durations.largeSeconds);
    await largeService.stop();
    await large.slapd.stop();

    const scenarios: ScenarioResult[] = [baseline, warm, cold, largeWarm];
    const report = formatReport({
      startedAt,
      totalSeconds: (performance.now() - started) / 1000,
      machine,
      durations,
      directories: [standard, large],
      scenarios,
      coldCostByDepth,
      warmOverBaseline: warm.load.requestsPerSecond / baseline.load.requestsPerSecond,
    });
    console.log(report);
    await mkdir(dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, report);
    progress(`report written to ${RESULTS_FILE}`);
    if (scenarios.some((result) => result.load.unexpected > 0 || result.warmUp.unexpected > 0)) {
      throw new Error('Some answers had an unexpected status (see the report)');
    }
  } finally {
    await teardown.run();
  }
}

async function startService(
  directory: PreparedDirectory,
  logFile: string,
  variables: Readonly<Record<string, string>> = {},
): Promise<ServiceProcess> {
  const service = await ServiceProcess.launch(
    {
      LDAP_URL: directory.slapd.url,
      LDAP_BIND_DN: SERVICE_ACCOUNT.dn,
      LDAP_BIND_PASSWORD: SERVICE_ACCOUNT.password,
      LDAP_BASE_DN: SUFFIX,
      LDAP_USER_BASE_DN: PEOPLE_DN,
      LDAP_GROUP_BASE_DN: GROUPS_DN,
      ...variables,
    },
    logFile,
  );
  teardown.add(() => service.stop());
  await service.waitUntilReady();
  return service;
}

function adminHeaders(directory: PreparedDirectory): Record<string, string> {
  const { uid, password } = directory.generated.administrator;
  return { authorization: `Basic ${Buffer.from(`${uid}:${password}`).toString('base64')}` };
}

function progress(message: string): void {
  console.error(`bench: ${message}`);
}

main().catch((error: unknown) => {
  if (!teardown.interrupted) {
    console.error('bench: failed:', error);
  }
  process.exitCode = 1;
});

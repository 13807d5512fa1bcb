import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GROUPS_DN, PEOPLE_DN, SERVICE_ACCOUNT, SUFFIX } from './directory-generator';
import { measureAlternatingRatio } from './alternating-ratio';
import { measureCostByDepth } from './cold-cost-by-depth';
import { ProfileSummary, profileWhile, summarizeProfile } from './cpu-profile';
import { basic } from '../test/support/basic';
import { freePort } from '../test/support/free-port';
import { asForwardAuth } from './forward-auth-requests';
import { OpenLoadOptions, runClosedLoop, runOpenLoop } from './load-driver';
import { describeMachine } from './machine';
import { RESULTS_FILE } from './paths';
import { PreparedDirectory, prepareDirectory } from './prepared-directory';
import { formatReport } from './report';
import { measure, ScenarioResult } from './scenario';
import { ServiceProcess } from './service-process';
import {
  CONNECTIONS,
  DISTINCT_CHECKS,
  Durations,
  LARGE_DISTINCT_CHECKS,
  LARGE_USERS,
  readDurations,
  USERS,
} from './settings';
import { Teardown } from './teardown';

const CAPPED_OLD_SPACE_MIB = 128;
const ALTERNATING_ROUNDS = 5;
/** About a third of what this stack serves at saturation on the 2-core machine of BENCHMARKS.md. */
const OPEN_LOOP_RATE = 1000;
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
    progress('warm checks against the baseline, alternating');
    const alternating = await measureAlternatingRatio(
      warmService.origin,
      [BASELINE_REQUEST],
      standard.checks,
      adminHeaders(standard),
      ALTERNATING_ROUNDS,
      durations.alternatingSeconds,
    );
    progress('forward-auth against the same checks, alternating');
    const forwardAuth = await measureAlternatingRatio(
      warmService.origin,
      standard.checks,
      standard.checks.map(asForwardAuth),
      adminHeaders(standard),
      ALTERNATING_ROUNDS,
      durations.alternatingSeconds,
    );
    progress('latency below saturation');
    const openLoad: OpenLoadOptions = {
      connections: CONNECTIONS,
      durationMs: durations.seconds * 1000,
      requestsPerSecond: OPEN_LOOP_RATE,
    };
    const openLoop = {
      requestsPerSecond: OPEN_LOOP_RATE,
      baseline: await runOpenLoop(warmService.origin, [BASELINE_REQUEST], openLoad),
      warm: await runOpenLoop(warmService.origin, standard.checks, { ...openLoad, headers: adminHeaders(standard) }),
    };
    await warmService.stop();

    progress('profiling warm checks');
    const inspectorPort = await freePort();
    const profiledService = await startService(standard, join(work, 'profiled.log'), {}, [
      `--inspect=127.0.0.1:${inspectorPort}`,
    ]);
    const profile = await profileWarmChecks(profiledService, inspectorPort, standard, durations);
    await profiledService.stop();

    progress('cold checks');
    const coldService = await startService(standard, join(work, 'cold.log'), { DIRECTORY_STALENESS_MS: '0' });
    const cold = await checks(standard, coldService, 'cold checks (DIRECTORY_STALENESS_MS=0)', durations.seconds);
    progress('cold cost by depth');
    const coldCostByDepth = await measureCostByDepth(
      coldService,
      standard.slapd,
      standard.checks,
      adminHeaders(standard),
    );
    await coldService.stop();
    await standard.slapd.stop();

    progress(`loading ${LARGE_USERS} users`);
    const large = await prepareDirectory(LARGE_USERS, LARGE_DISTINCT_CHECKS, join(work, 'large'), teardown);
    progress('warm checks on the large directory');
    const largeService = await startService(large, join(work, 'large.log'));
    const largeName = `warm checks, ${LARGE_USERS.toLocaleString('en-US')} users`;
    const largeWarm = await checks(large, largeService, largeName, durations.largeSeconds);
    await largeService.stop();
    // V8 lets the old generation grow to a multiple of what is live before it collects; a container sets the limit.
    progress('warm checks on the large directory, with a heap limit');
    const cappedService = await startService(large, join(work, 'capped.log'), {
      NODE_OPTIONS: `--max-old-space-size=${CAPPED_OLD_SPACE_MIB}`,
    });
    const cappedName = `${largeName}, --max-old-space-size=${CAPPED_OLD_SPACE_MIB}`;
    const cappedWarm = await checks(large, cappedService, cappedName, durations.largeSeconds);
    await cappedService.stop();
    await large.slapd.stop();

    const scenarios: ScenarioResult[] = [baseline, warm, cold, largeWarm, cappedWarm];
    const report = formatReport({
      startedAt,
      totalSeconds: (performance.now() - started) / 1000,
      machine,
      durations,
      directories: [standard, large],
      scenarios,
      coldCostByDepth,
      alternating,
      forwardAuth,
      openLoop,
      profile,
      warmOverBaseline: warm.load.requestsPerSecond / baseline.load.requestsPerSecond,
    });
    console.log(report);
    await mkdir(dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, report);
    progress(`report written to ${RESULTS_FILE}`);
    const runs = [...scenarios.flatMap((result) => [result.load, result.warmUp]), openLoop.baseline, openLoop.warm];
    if (runs.some((run) => run.unexpected > 0)) {
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
  nodeArguments: readonly string[] = [],
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
    nodeArguments,
  );
  teardown.add(() => service.stop());
  await service.waitUntilReady();
  return service;
}

/** Warmed up as a measured scenario is, then sampled for the scenario's duration. */
async function profileWarmChecks(
  service: ServiceProcess,
  inspectorPort: number,
  directory: PreparedDirectory,
  durations: Durations,
): Promise<ProfileSummary> {
  const load = (seconds: number, minimumRequests = 0) =>
    runClosedLoop(service.origin, directory.checks, {
      connections: CONNECTIONS,
      durationMs: seconds * 1000,
      minimumRequests,
      headers: adminHeaders(directory),
    });
  await load(durations.warmUpSeconds, directory.checks.length);
  let unexpected = 0;
  const profile = await profileWhile(inspectorPort, async () => {
    unexpected = (await load(durations.seconds)).unexpected;
  });
  if (unexpected > 0) {
    throw new Error(`${unexpected} unexpected statuses while profiling`);
  }
  return summarizeProfile(profile);
}

function adminHeaders(directory: PreparedDirectory): Record<string, string> {
  const { uid, password } = directory.generated.administrator;
  return { authorization: basic(uid, password) };
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

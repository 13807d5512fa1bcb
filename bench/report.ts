import { Check, CheckKind, MIX } from './check-mix';
import { Machine } from './machine';
import { PreparedDirectory } from './prepared-directory';
import { AlternatingRatio } from './alternating-ratio';
import { DepthCost } from './cold-cost-by-depth';
import { ProfileSummary } from './cpu-profile';
import { LoadResult } from './load-driver';
import { ScenarioResult } from './scenario';
import { CONNECTIONS, Durations, SEED } from './settings';

export interface ReportInput {
  readonly startedAt: Date;
  readonly totalSeconds: number;
  readonly machine: Machine;
  readonly durations: Durations;
  readonly directories: readonly PreparedDirectory[];
  readonly scenarios: readonly ScenarioResult[];
  readonly coldCostByDepth: readonly DepthCost[];
  readonly alternating: AlternatingRatio;
  /** Forward-auth (as a gateway asks, user=…) over the same questions as HEAD checks. */
  readonly forwardAuth: AlternatingRatio;
  readonly openLoop: OpenLoopResults;
  readonly profile: ProfileSummary;
  readonly warmOverBaseline: number;
}

export interface OpenLoopResults {
  readonly requestsPerSecond: number;
  readonly baseline: LoadResult;
  readonly warm: LoadResult;
}

/** The whole run as Markdown, ready to paste into BENCHMARKS.md. */
export function formatReport(input: ReportInput): string {
  const { machine, durations, directories, scenarios } = input;
  return [
    '# security-api benchmark',
    '',
    `\`npm run bench\` on ${input.startedAt.toISOString()}, ${seconds(input.totalSeconds)} in all. The load driver, ` +
      'the service and slapd all ran on this one machine and shared its cores.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- memory: ${gibibytes(machine.memoryBytes)}`,
    `- system: ${machine.system}`,
    `- Node: ${machine.node}`,
    `- slapd: ${machine.slapd}`,
    '',
    '## Set-up',
    '',
    ...directorySetup(directories),
    '',
    checkMix(directories[0].checks),
    '',
    `Load: a closed loop of ${CONNECTIONS} connections (an undici Pool, one request at a time on each), for ` +
      `${seconds(durations.seconds)} per scenario and ${seconds(durations.largeSeconds)} for the large directory. ` +
      `Each scenario first warms up (discarded): the same requests for at least ${seconds(durations.warmUpSeconds)} ` +
      'and until each distinct one has been sent once; the measured run then starts again from the first. Warm ' +
      'scenarios leave `DIRECTORY_STALENESS_MS` unset (the default); "cold" means no cache ' +
      '(`DIRECTORY_STALENESS_MS=0`), not a cold JIT. Checks authenticate as `benchadmin` with Basic auth, and every ' +
      "answer's status is compared with the one the generator's oracle expects.",
    '',
    'The service is the built one, started as `npm run start:prod` does (`NODE_ENV=production`), logging to a file. ' +
      "LDAP operations are slapd's own counters (`monitorOpCompleted` under `cn=Operations,cn=Monitor`), read before " +
      "and after the measured run, less what reading them costs. Peak RSS is the service's VmHWM over the measured " +
      'run (reset through `/proc/PID/clear_refs`). CPU is CPU-seconds per second of the measured run (1 = one core ' +
      'busy).',
    '',
    '## Results',
    '',
    ...table(
      [
        'scenario',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'requests',
        '404s',
        'unexpected',
        'LDAP ops',
        'per request',
        'binds/request',
        'unbinds/request',
        'searches/request',
        'peak RSS',
        'CPU: service / slapd / driver',
      ],
      scenarios.map(resultCells),
    ),
    '',
    `Warm checks ÷ baseline: **${input.warmOverBaseline.toFixed(3)}** of the requests per second in the table; ` +
      `**${input.alternating.median.toFixed(3)}** (median) in ${input.alternating.rounds} alternating rounds of ` +
      `${seconds(input.alternating.secondsPerRun)} each on the same warm service ` +
      `(${input.alternating.ratios.map((ratio) => ratio.toFixed(3)).join(', ')}).`,
    '',
    'Forward-auth ÷ warm checks, the same questions (`HEAD /api/security/forward-auth?user=…&group=…`, 200 or 403, ' +
      `with the member's Remote-* headers): **${input.forwardAuth.median.toFixed(3)}** (median) in ` +
      `${input.forwardAuth.rounds} alternating rounds of ${seconds(input.forwardAuth.secondsPerRun)} each ` +
      `(${input.forwardAuth.ratios.map((ratio) => ratio.toFixed(3)).join(', ')}).`,
    '',
    `Warm-ups: ${scenarios.map(warmUpSummary).join('; ')}.`,
    '',
    ...latencyBelowSaturation(input.openLoop),
    '',
    ...whereTheTimeGoes(input.profile, durations),
    '',
    ...costByDepth(input.coldCostByDepth),
    '',
    ...unexpectedStatuses(scenarios),
  ].join('\n');
}

function directorySetup(directories: readonly PreparedDirectory[]): string[] {
  const { generated } = directories[0];
  const cycles = generated.cycles.map((cycle) => cycle.length).join(', ');
  return [
    `Directories generated with the seed \`${SEED}/<users>\` and loaded offline with slapadd ` +
      '(`test/ldap/slapd.sh bulk-load`):',
    '',
    ...table(
      ['users', 'groups', 'distinct checks', 'LDIF', 'generated in', 'loaded in'],
      directories.map((directory) => [
        count(directory.generated.users.length),
        count(directory.generated.groups.length + directory.generated.adminGroups.length),
        count(directory.checks.length),
        mebibytes(directory.ldifBytes),
        seconds(directory.generateSeconds),
        seconds(directory.loadSeconds),
      ]),
    ),
    '',
    `Groups: ${generated.chains.length} chains of ${generated.chains[0].length} nested groups (each a member of the ` +
      `next), with the tops of some chains in cycles (of ${cycles} groups); every user is directly in 1 to 3 groups. ` +
      'The caller `benchadmin` is in `Bench Admins`, a member of `System Administrators`, so authorising each ' +
      'request walks two levels.',
  ];
}

function checkMix(checks: readonly Check[]): string {
  const ofKind = (kind: CheckKind) => checks.filter((check) => check.kind === kind);
  const depths = new Map<number, number>();
  for (const { depth } of ofKind('member')) {
    if (depth !== undefined) {
      depths.set(depth, (depths.get(depth) ?? 0) + 1);
    }
  }
  const byDepth = [...depths.entries()]
    .sort(([a], [b]) => a - b)
    .map(([depth, times]) => `${depth}: ${times}`)
    .join(', ');
  const kinds = (Object.keys(MIX) as CheckKind[]).map((kind) => `${ofKind(kind).length} ${kind}`).join(', ');
  return (
    `Checks (${count(checks.length)} distinct HEAD checks on the first directory, in the same shares on the large ` +
    `one), walked in a fixed order: ${kinds} (lists of 5 groups; ` +
    `single members at depth ${byDepth}). Users are named by username, email or entryUUID, and groups by name or ` +
    'entryUUID, at random.'
  );
}

function resultCells(result: ScenarioResult): string[] {
  const { load, operations, coresBusy } = result;
  const perRequest = (operationCount: number) => (operationCount / load.requests).toFixed(2);
  return [
    result.name,
    count(Math.round(load.requestsPerSecond)),
    load.latencyMs.p50.toFixed(2),
    load.latencyMs.p99.toFixed(2),
    load.latencyMs.max.toFixed(1),
    count(load.requests),
    count(load.statuses.get(404) ?? 0),
    count(load.unexpected),
    count(operations.all),
    perRequest(operations.all),
    perRequest(operations.bind),
    perRequest(operations.unbind),
    perRequest(operations.search),
    mebibytes(result.peakRssBytes),
    [coresBusy.service, coresBusy.slapd, coresBusy.driver].map((cores) => cores.toFixed(2)).join(' / '),
  ];
}

function latencyBelowSaturation({ requestsPerSecond, baseline, warm }: OpenLoopResults): string[] {
  const row = (name: string, run: LoadResult) => [
    name,
    run.latencyMs.p50.toFixed(2),
    run.latencyMs.p99.toFixed(2),
    run.latencyMs.max.toFixed(1),
    count(run.requests),
    count(run.unexpected),
  ];
  return [
    '### Latency below saturation',
    '',
    `The warm service again, sent ${count(requestsPerSecond)} requests/s whatever its answers do (an open loop over ` +
      `up to ${CONNECTIONS} connections). Each latency counts from when its request was due, so that waiting behind a ` +
      'slow answer counts too.',
    '',
    ...table(
      ['scenario', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'unexpected'],
      [row('baseline: GET /health/live', baseline), row('warm checks', warm)],
    ),
  ];
}

function whereTheTimeGoes(profile: ProfileSummary, durations: Durations): string[] {
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  return [
    '### Where the time goes (warm checks)',
    '',
    `A separate warm service, started with \`--inspect\` and sampled by V8's profiler for ${seconds(durations.seconds)} ` +
      `of warm checks after the same warm-up. It was busy ${percent(profile.busyShare)} of that time. Shares are of ` +
      'the busy time, by whose code was running:',
    '',
    ...table(
      ['layer', 'share'],
      profile.layers.map(({ name, share }) => [name, percent(share)]),
    ),
    '',
    "Time spent in (and below) some of the service's own functions:",
    '',
    ...table(
      ['inside', 'share'],
      profile.within.map(({ name, share }) => [name, percent(share)]),
    ),
  ];
}

function costByDepth(costs: readonly DepthCost[]): string[] {
  return [
    '### Cold cost by depth',
    '',
    "The cold service again, one single-group member check at a time, so that slapd's counters hold exactly what " +
      'each request cost. Every request also authenticates `benchadmin` and checks that it is an administrator.',
    '',
    ...table(
      ['depth', 'requests', 'LDAP ops/request', 'searches', 'binds', 'unbinds'],
      costs.map(({ depth, requests, operations }) => [
        String(depth),
        count(requests),
        (operations.all / requests).toFixed(2),
        (operations.search / requests).toFixed(2),
        (operations.bind / requests).toFixed(2),
        (operations.unbind / requests).toFixed(2),
      ]),
    ),
  ];
}

function warmUpSummary({ name, warmUp }: ScenarioResult): string {
  return `${name}: ${count(warmUp.requests)} requests in ${seconds(warmUp.elapsedMs / 1000)}`;
}

function unexpectedStatuses(scenarios: readonly ScenarioResult[]): string[] {
  const runs = scenarios.flatMap((result) => [
    { name: result.name, load: result.load },
    { name: `${result.name} (warm-up)`, load: result.warmUp },
  ]);
  const failing = runs.filter((run) => run.load.unexpected > 0);
  if (failing.length === 0) {
    return ['Unexpected statuses: none, in the measured runs or in the warm-ups.'];
  }
  return [
    '## Unexpected statuses',
    '',
    ...failing.flatMap((run) => [
      `${run.name}: ${count(run.load.unexpected)} of ${count(run.load.requests)}, for example:`,
      '',
      ...run.load.unexpectedExamples.map((example) => `- \`${example}\``),
      '',
    ]),
  ];
}

/** The first column is text, the others are numbers, aligned right. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '--:'))), ...rows.map(line)];
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function seconds(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function gibibytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

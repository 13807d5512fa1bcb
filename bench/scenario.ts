import { performance } from 'node:perf_hooks';
import { SERVICE_ACCOUNT } from './directory-generator';
import { countOperations, OperationCounts } from './ldap-operation-counters';
import { cpuSeconds, peakRssBytes, resetPeakRss } from './linux-process-stats';
import { LoadRequest, LoadResult, runClosedLoop } from './load-driver';
import { ServiceProcess } from './service-process';
import { CONNECTIONS } from './settings';
import { SlapdInstance } from './slapd-instance';

export interface Scenario {
  readonly name: string;
  readonly service: ServiceProcess;
  readonly slapd: SlapdInstance;
  readonly requests: readonly LoadRequest[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly seconds: number;
  /** Before measuring, send the same requests for this long and until each has been sent once; keep only counts. */
  readonly warmUpSeconds: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly load: LoadResult;
  readonly warmUp: LoadResult;
  /** Completed by slapd during the measured run. */
  readonly operations: OperationCounts;
  readonly peakRssBytes: number;
  /** CPU seconds per second of the measured run: 1 is one core kept busy. */
  readonly coresBusy: { readonly service: number; readonly slapd: number; readonly driver: number };
}

export async function measure(scenario: Scenario): Promise<ScenarioResult> {
  const { service, slapd } = scenario;
  const load = (seconds: number, minimumRequests = 0) =>
    runClosedLoop(service.origin, scenario.requests, {
      connections: CONNECTIONS,
      durationMs: seconds * 1000,
      minimumRequests,
      headers: scenario.headers,
    });

  // Whatever a cache keeps, and whatever the JIT compiles, is then there for every request of the measured run.
  const warmUp = await load(scenario.warmUpSeconds, scenario.requests.length);
  const slapdPid = await slapd.pid();
  const { result, operations } = await countOperations(slapd.url, SERVICE_ACCOUNT, async () => {
    await resetPeakRss(service.pid);
    const cpuBefore = {
      service: await cpuSeconds(service.pid),
      slapd: await cpuSeconds(slapdPid),
      driver: process.cpuUsage(),
    };
    const started = performance.now();
    const measured = await load(scenario.seconds);
    const seconds = (performance.now() - started) / 1000;
    const driver = process.cpuUsage(cpuBefore.driver);
    return {
      load: measured,
      peakRssBytes: await peakRssBytes(service.pid),
      coresBusy: {
        service: ((await cpuSeconds(service.pid)) - cpuBefore.service) / seconds,
        slapd: ((await cpuSeconds(slapdPid)) - cpuBefore.slapd) / seconds,
        driver: (driver.user + driver.system) / 1e6 / seconds,
      },
    };
  });
  return { name: scenario.name, warmUp, ...result, operations };
}

import { Pool } from 'undici';
import { Check } from './check-mix';
import { SERVICE_ACCOUNT } from './directory-generator';
import { countOperations, OperationCounts } from './ldap-operation-counters';
import { send } from './load-driver';
import { ServiceProcess } from './service-process';
import { SlapdInstance } from './slapd-instance';

export interface DepthCost {
  readonly depth: number;
  readonly requests: number;
  readonly operations: OperationCounts;
}

const REQUESTS_PER_DEPTH = 20;

/**
 * What one check of a single group costs the directory at each depth of membership, one request at a time so that
 * slapd's counters hold that request's operations only. Meant for a service with its caches off.
 */
export async function measureCostByDepth(
  service: ServiceProcess,
  slapd: SlapdInstance,
  checks: readonly Check[],
  headers: Readonly<Record<string, string>>,
): Promise<DepthCost[]> {
  const members = checks.filter((check) => check.kind === 'member');
  const depths = [...new Set(members.map((check) => check.depth ?? 0))].sort((a, b) => a - b);
  const pool = new Pool(service.origin, { connections: 1 });
  try {
    const costs: DepthCost[] = [];
    for (const depth of depths) {
      const sample = members.filter((check) => check.depth === depth).slice(0, REQUESTS_PER_DEPTH);
      const { operations } = await countOperations(slapd.url, SERVICE_ACCOUNT, async () => {
        for (const check of sample) {
          const { status, failure } = await send(pool, check, headers);
          if (status !== check.expectedStatus) {
            throw new Error(`${check.method} ${check.path} answered ${failure ?? status}, not ${check.expectedStatus}`);
          }
        }
      });
      costs.push({ depth, requests: sample.length, operations });
    }
    return costs;
  } finally {
    await pool.close();
  }
}

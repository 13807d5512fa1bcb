import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { basic } from './basic';

export const ADMIN = basic('sysadmin', 'admin-secret');

/** Checks whose right answers are fixed by test/ldap/demo.ldif: a member (204) and a non-member (404). */
export const DEMO_CHECKS = [
  { path: '/api/security/users/tdurden/groups/Liposuction%20Technicians', expected: 204 },
  { path: '/api/security/users/tdurden/groups/Loners', expected: 404 },
] as const;

export interface CheckOutcome {
  readonly index: number;
  readonly expected: number;
  readonly status: number;
  readonly retryAfter?: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The service on a real loopback port, so that a load loop does not open a listener per request as supertest would. */
export async function listening(app: NestExpressApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

export async function headCheck(baseUrl: string, index: number): Promise<CheckOutcome> {
  const { path, expected } = DEMO_CHECKS[index % DEMO_CHECKS.length];
  const startedAt = performance.now();
  const response = await request(baseUrl).head(path).set('Authorization', ADMIN).set('Connection', 'close');
  return {
    index,
    expected,
    status: response.status,
    retryAfter: response.headers['retry-after'],
    startedAt,
    endedAt: performance.now(),
  };
}

/**
 * A closed loop: `concurrency` workers, each sending its next check as soon as the last one is answered, until
 * `total` have been sent or `enough` says so. `during` runs alongside (a fault injected mid-loop, say) and is
 * awaited too; it sees how many checks have been answered so far.
 */
export async function checkLoop(
  baseUrl: string,
  { concurrency, total, enough = () => false }: { concurrency: number; total: number; enough?: () => boolean },
  during: (answered: () => number) => Promise<void> = async () => undefined,
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total && !enough()) {
      outcomes.push(await headCheck(baseUrl, next++));
    }
  };
  await Promise.all([...Array.from({ length: concurrency }, worker), during(() => outcomes.length)]);
  return outcomes.sort((a, b) => a.index - b.index);
}

export const isRightAnswer = (outcome: CheckOutcome): boolean => outcome.status === outcome.expected;

/** A 503 that tells the caller when to retry: the only acceptable way to fail. */
export const isUnavailable = (outcome: CheckOutcome, retryAfter: string): boolean =>
  outcome.status === 503 && outcome.retryAfter === retryAfter;

/** Resolves once `condition` holds, polling; rejects with `what` after the deadline. */
export async function eventually(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`not within ${timeoutMs} ms: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

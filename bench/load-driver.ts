import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadRequest {
  readonly method: 'GET' | 'HEAD';
  readonly path: string;
  readonly expectedStatus: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationMs: number;
  /** Keep going past durationMs until this many requests have been sent. */
  readonly minimumRequests?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly requests: number;
  readonly elapsedMs: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Responses by status; a request that got no response counts under 0. */
  readonly statuses: ReadonlyMap<number, number>;
  readonly unexpected: number;
  readonly unexpectedExamples: readonly string[];
}

const UNEXPECTED_EXAMPLES = 5;

/**
 * A closed loop: one worker per connection sends the next request as soon as its previous answer is read, for a
 * fixed time, walking the requests in order from the first. Every answer's status is compared with the expected one.
 * undici rather than autocannon, whose parser waits for a body after any HEAD answer but 204.
 */
export async function runClosedLoop(
  origin: string,
  requests: readonly LoadRequest[],
  options: LoadOptions,
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const unexpectedExamples = new Set<string>();
  let unexpected = 0;
  let next = 0;

  const started = performance.now();
  const deadline = started + options.durationMs;
  const minimumRequests = options.minimumRequests ?? 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline || next < minimumRequests) {
      const request = requests[next++ % requests.length];
      const sent = performance.now();
      let status = 0;
      let failure = '';
      try {
        // undici closes the connection after every HEAD answer unless told not to (it guards against servers that
        // send a body anyway); left alone, each HEAD check would also pay for a new TCP connection.
        const response = await pool.request({
          method: request.method,
          path: request.path,
          headers: options.headers,
          reset: false,
        });
        // The latency includes reading the body: a response is not usable before that.
        await response.body.dump();
        status = response.statusCode;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      latencies.push(performance.now() - sent);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== request.expectedStatus) {
        unexpected++;
        if (unexpectedExamples.size < UNEXPECTED_EXAMPLES) {
          unexpectedExamples.add(
            `${request.method} ${request.path} → ${failure || status} (expected ${request.expectedStatus})`,
          );
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    await pool.close();
  }
  const elapsedMs = performance.now() - started;

  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    elapsedMs,
    requestsPerSecond: (sorted.length / elapsedMs) * 1000,
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN },
    statuses,
    unexpected,
    unexpectedExamples: [...unexpectedExamples],
  };
}

/** Nearest rank: a latency that some request actually had. */
function percentile(sorted: Float64Array, quantile: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)];
}

import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
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

export interface OpenLoadOptions {
  readonly connections: number;
  readonly durationMs: number;
  readonly requestsPerSecond: number;
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
  const record = new Recorder();
  let next = 0;
  const deadline = record.started + options.durationMs;
  const minimumRequests = options.minimumRequests ?? 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline || next < minimumRequests) {
      const request = requests[next++ % requests.length];
      const sent = performance.now();
      record.answer(request, sent, await send(pool, request, options.headers));
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    await pool.close();
  }
  return record.result();
}

/**
 * An open loop: requests leave at a fixed rate whatever the answers do, over at most `connections` connections, and
 * each latency counts from when its request was due, so that a slow answer also charges the requests queued behind it.
 * This is the latency a client sees below saturation, which a closed loop cannot show.
 */
export async function runOpenLoop(
  origin: string,
  requests: readonly LoadRequest[],
  options: OpenLoadOptions,
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1 });
  const record = new Recorder();
  const total = Math.round((options.requestsPerSecond * options.durationMs) / 1000);
  const answers: Promise<void>[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const due = record.started + (i * 1000) / options.requestsPerSecond;
      const early = due - performance.now();
      if (early >= 1) {
        await delay(early);
      }
      const request = requests[i % requests.length];
      answers.push(send(pool, request, options.headers).then((outcome) => record.answer(request, due, outcome)));
    }
    await Promise.all(answers);
  } finally {
    await pool.close();
  }
  return record.result();
}

export interface Outcome {
  /** 0 when no answer came. */
  readonly status: number;
  readonly failure?: string;
}

export async function send(
  pool: Pool,
  request: LoadRequest,
  headers?: Readonly<Record<string, string>>,
): Promise<Outcome> {
  try {
    // undici closes the connection after every HEAD answer unless told not to (it guards against servers that send a
    // body anyway); left alone, each HEAD check would also pay for a new TCP connection.
    const response = await pool.request({ method: request.method, path: request.path, headers, reset: false });
    // A response is not usable before its body is read, so the latency includes reading it.
    await response.body.dump();
    return { status: response.statusCode };
  } catch (error) {
    return { status: 0, failure: error instanceof Error ? error.message : String(error) };
  }
}

class Recorder {
  readonly started = performance.now();
  private readonly latencies: number[] = [];
  private readonly statuses = new Map<number, number>();
  private readonly unexpectedExamples = new Set<string>();
  private unexpected = 0;

  answer(request: LoadRequest, since: number, { status, failure }: Outcome): void {
    this.latencies.push(performance.now() - since);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status !== request.expectedStatus) {
      this.unexpected++;
      if (this.unexpectedExamples.size < UNEXPECTED_EXAMPLES) {
        this.unexpectedExamples.add(
          `${request.method} ${request.path} → ${failure ?? status} (expected ${request.expectedStatus})`,
        );
      }
    }
  }

  result(): LoadResult {
    const elapsedMs = performance.now() - this.started;
    const sorted = Float64Array.from(this.latencies).sort();
    return {
      requests: sorted.length,
      elapsedMs,
      requestsPerSecond: (sorted.length / elapsedMs) * 1000,
      latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN },
      statuses: this.statuses,
      unexpected: this.unexpected,
      unexpectedExamples: [...this.unexpectedExamples],
    };
  }
}

/** Nearest rank: a latency that some request actually had. */
function percentile(sorted: Float64Array, quantile: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)];
}

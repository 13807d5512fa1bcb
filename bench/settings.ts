/** Constant, so that the numbers of two runs compare. */
export const CONNECTIONS = 50;
export const USERS = 10_000;
export const LARGE_USERS = 100_000;
/** The checks a run cycles through, as many users as a busy gateway might ask about within minutes. */
export const DISTINCT_CHECKS = 2_000;
/** On the large directory, ten times as many, so that the caches hold a working set of that size. */
export const LARGE_DISTINCT_CHECKS = 20_000;
export const SEED = 'security-api-bench';

export interface Durations {
  readonly seconds: number;
  readonly largeSeconds: number;
  readonly warmUpSeconds: number;
  readonly alternatingSeconds: number;
}

export function readDurations(): Durations {
  return {
    seconds: positiveSeconds('BENCH_SECONDS', 10),
    largeSeconds: positiveSeconds('BENCH_LARGE_SECONDS', 5),
    warmUpSeconds: positiveSeconds('BENCH_WARMUP_SECONDS', 3),
    alternatingSeconds: positiveSeconds('BENCH_ALTERNATING_SECONDS', 2),
  };
}

function positiveSeconds(name: string, fallback: number): number {
  const given = process.env[name];
  if (given === undefined || given === '') {
    return fallback;
  }
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`${name} must be a positive number of seconds, not "${given}"`);
  }
  return seconds;
}

import { LoadRequest, runClosedLoop } from './load-driver';
import { CONNECTIONS } from './settings';

export interface AlternatingRatio {
  readonly rounds: number;
  readonly secondsPerRun: number;
  /** The measured side's requests per second over the reference side's, round by round. */
  readonly ratios: readonly number[];
  readonly median: number;
}

/**
 * One set of requests (`checks`) against a reference (`baseline`) in alternating short runs on one warm service, so
 * that the machine's drift (other tenants, CPU frequency) falls on both sides of each ratio rather than on one whole
 * scenario.
 */
export async function measureAlternatingRatio(
  origin: string,
  baseline: readonly LoadRequest[],
  checks: readonly LoadRequest[],
  headers: Readonly<Record<string, string>>,
  rounds: number,
  secondsPerRun: number,
): Promise<AlternatingRatio> {
  const run = async (requests: readonly LoadRequest[]) => {
    const result = await runClosedLoop(origin, requests, {
      connections: CONNECTIONS,
      durationMs: secondsPerRun * 1000,
      headers,
    });
    if (result.unexpected > 0) {
      throw new Error(`Unexpected statuses while comparing with the baseline: ${result.unexpectedExamples.join('; ')}`);
    }
    return result.requestsPerSecond;
  };
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Every other round runs the checks first, so that neither side always follows the other.
    const [first, second] = round % 2 === 0 ? [baseline, checks] : [checks, baseline];
    const firstRate = await run(first);
    const secondRate = await run(second);
    ratios.push(first === checks ? firstRate / secondRate : secondRate / firstRate);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  return { rounds, secondsPerRun, ratios, median: sorted[Math.floor(sorted.length / 2)] };
}

import { existsSync } from 'node:fs';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const BUILT_MAIN = resolve(__dirname, '../../dist/apps/security-api/apps/security-api/src/main.js');

/** Fails a suite at once, saying why, when there is no build to start. */
export function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) {
    throw new Error(`${BUILT_MAIN} is missing: run "npm run build" first (npm test does)`);
  }
}

/** The built service as production runs it (`npm run build`, then `npm run start:prod`), as a child process. */
export function startBuilt(variables: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...variables },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Polls a URL (the service answers while it starts) until it gives the status, or the time is up. */
export async function waitForStatus(
  url: string,
  status: number,
  child: ChildProcess,
  timeoutMs = 20_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(url);
      if (response.status === status) {
        return response;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
  }
  throw new Error(`${url} did not answer ${status} (exit code ${child.exitCode})`);
}

/** Waits until the output holds a text, or the time is up. */
export async function waitForOutput(output: () => string, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!output().includes(text)) {
    if (Date.now() > deadline) {
      throw new Error(`the output never said ${JSON.stringify(text)}:\n${output()}`);
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
  }
}

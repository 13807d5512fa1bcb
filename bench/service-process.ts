import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../test/support/free-port';
import { BUILT_SERVICE } from './paths';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** The built service as production runs it (npm run start:prod), in its own process, logging to a file. */
export class ServiceProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
    private readonly logFile: string,
  ) {}

  get pid(): number {
    if (this.child.pid === undefined) {
      throw new Error('The service has no pid: it did not start');
    }
    return this.child.pid;
  }

  /** Spawns the service; it serves once waitUntilReady resolves. */
  static async launch(
    variables: Readonly<Record<string, string>>,
    logFile: string,
    nodeArguments: readonly string[] = [],
  ): Promise<ServiceProcess> {
    const port = await freePort();
    const log = openSync(logFile, 'a');
    try {
      const child = spawn(process.execPath, [...nodeArguments, BUILT_SERVICE], {
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), ...variables },
        stdio: ['ignore', log, log],
      });
      return new ServiceProcess(child, `http://127.0.0.1:${port}`, logFile);
    } finally {
      closeSync(log);
    }
  }

  /** Resolves once /health/ready answers 200, that is once the service binds to the directory and reads it. */
  async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline && !this.exited()) {
      try {
        const response = await fetch(`${this.origin}/health/ready`);
        await response.arrayBuffer();
        if (response.status === 200) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await delay(100);
    }
    const log = await readFile(this.logFile, 'utf8');
    throw new Error(`The service did not become ready at ${this.origin}; its log:\n${log.slice(-4000)}`);
  }

  /** SIGTERM, as an orchestrator stops it; a service that has not exited within STOP_TIMEOUT_MS is killed. */
  async stop(): Promise<void> {
    if (this.exited()) {
      return;
    }
    const exit = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([exit.then(() => true), delay(STOP_TIMEOUT_MS, false)]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await exit;
      throw new Error(`The service did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM and was killed`);
    }
  }

  private exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }
}

import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5000;

/**
 * A server binary (nginx, caddy) run as a child in a process group of its own, its output in a log file. The group
 * is what stop() ends, so that no worker a master forked outlives it, even when the master dies first.
 */
export class ServerProcess {
  /** Why the command could not run at all (ENOENT when it is not installed). */
  private spawnError?: Error;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    readonly logFile: string,
  ) {
    child.once('error', (error) => (this.spawnError = error));
  }

  /**
   * Starts `command` and resolves once something accepts connections on 127.0.0.1:`port`; rejects, with the log's
   * end, when the process exits first or the port stays closed, and leaves no process behind.
   */
  static async start(
    name: string,
    command: readonly [string, ...string[]],
    port: number,
    options: { readonly logFile: string; readonly env?: Readonly<Record<string, string>> },
  ): Promise<ServerProcess> {
    const log = openSync(options.logFile, 'a');
    let server: ServerProcess;
    try {
      const child = spawn(command[0], command.slice(1), {
        detached: true,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', log, log],
      });
      server = new ServerProcess(child, name, options.logFile);
    } finally {
      closeSync(log);
    }
    try {
      await server.accepting(port);
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** SIGTERM to the group, SIGKILL after STOP_TIMEOUT_MS; idempotent. */
  async stop(): Promise<void> {
    const group = this.child.pid;
    if (group === undefined) {
      return;
    }
    if (!this.exited()) {
      const exit = once(this.child, 'exit');
      signalGroup(group, 'SIGTERM');
      const stopped = await Promise.race([exit.then(() => true), delay(STOP_TIMEOUT_MS, false, { ref: false })]);
      if (!stopped) {
        signalGroup(group, 'SIGKILL');
        await exit;
      }
    }
    // A worker whose master was killed would be left in the group: nothing of it may outlive the test.
    signalGroup(group, 'SIGKILL');
  }

  private async accepting(port: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!this.exited()) {
      if (await connects(port)) {
        return;
      }
      if (Date.now() > deadline) {
        break;
      }
      await delay(20);
    }
    if (this.spawnError) {
      throw new Error(`${this.name} could not be started: ${this.spawnError.message}`, { cause: this.spawnError });
    }
    const log = await readFile(this.logFile, 'utf8').catch(() => '');
    const why = this.exited() ? `exited (${this.child.exitCode ?? this.child.signalCode})` : 'did not listen';
    throw new Error(`${this.name} ${why} on 127.0.0.1:${port}; its log:\n${log.slice(-4000)}`);
  }

  private exited(): boolean {
    return this.spawnError !== undefined || this.child.exitCode !== null || this.child.signalCode !== null;
  }
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: the group has no process left.
  }
}

async function connects(port: number): Promise<boolean> {
  return new Promise((resolveConnects) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveConnects(true);
    });
    socket.once('error', () => resolveConnects(false));
  });
}

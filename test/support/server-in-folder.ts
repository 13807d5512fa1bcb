import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from './server-process';

/** A server process that runs from a temporary folder of its own (its configuration, logs, pid), removed at stop. */
export class ServerInFolder {
  private constructor(
    private readonly server: ServerProcess,
    private readonly directory: string,
    readonly port: number,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Makes the folder and lets `launch` write its configuration there and start the server; no folder is left if that fails. */
  static async start(
    prefix: string,
    port: number,
    launch: (directory: string) => Promise<ServerProcess>,
  ): Promise<ServerInFolder> {
    const directory = await mkdtemp(join(tmpdir(), prefix));
    try {
      return new ServerInFolder(await launch(directory), directory, port);
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await rm(this.directory, { recursive: true, force: true });
  }
}

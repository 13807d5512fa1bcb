import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from './server-process';

/**
 * A real Caddy (Debian's 2.6, which has forward_auth) serving the site blocks of a Caddyfile from a temporary folder,
 * as whoever runs the tests: no admin endpoint, no certificates, and its data and autosaved config in the folder.
 */
export class Caddy {
  private constructor(
    private readonly server: ServerProcess,
    private readonly directory: string,
    readonly port: number,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `sites` must serve plain HTTP on port `port`; resolves once Caddy listens on it. */
  static async start(sites: string, port: number): Promise<Caddy> {
    const directory = await mkdtemp(join(tmpdir(), 'caddy-'));
    try {
      const configFile = join(directory, 'Caddyfile');
      await writeFile(configFile, `${GLOBAL_OPTIONS}\n${sites}`);
      const server = await ServerProcess.start(
        'caddy',
        ['caddy', 'run', '--config', configFile, '--adapter', 'caddyfile'],
        port,
        {
          logFile: join(directory, 'caddy.log'),
          // Caddy keeps its data (certificates, the autosaved config) under these.
          env: { HOME: directory, XDG_DATA_HOME: directory, XDG_CONFIG_HOME: directory },
        },
      );
      return new Caddy(server, directory, port);
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

/** Loopback only; a stop waits at most a second for requests in flight. */
const GLOBAL_OPTIONS = `{
	admin off
	auto_https off
	default_bind 127.0.0.1
	grace_period 1s
}
`;

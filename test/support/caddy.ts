import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ServerInFolder } from './server-in-folder';
import { ServerProcess } from './server-process';

/**
 * A real Caddy (Debian's 2.6, which has forward_auth) serving the site blocks of a Caddyfile from a temporary folder,
 * as whoever runs the tests: no admin endpoint, no certificates, and its data and autosaved config in the folder.
 * `sites` must serve plain HTTP on port `port`; resolves once Caddy listens on it.
 */
export function startCaddy(sites: string, port: number): Promise<ServerInFolder> {
  return ServerInFolder.start('caddy-', port, async (directory) => {
    const configFile = join(directory, 'Caddyfile');
    await writeFile(configFile, `${GLOBAL_OPTIONS}\n${sites}`);
    return ServerProcess.start('caddy', ['caddy', 'run', '--config', configFile, '--adapter', 'caddyfile'], port, {
      logFile: join(directory, 'caddy.log'),
      // Caddy keeps its data (certificates, the autosaved config) under these.
      env: { HOME: directory, XDG_DATA_HOME: directory, XDG_CONFIG_HOME: directory },
    });
  });
}

/** Loopback only; a stop waits at most a second for requests in flight. */
const GLOBAL_OPTIONS = `{
	admin off
	auto_https off
	default_bind 127.0.0.1
	grace_period 1s
}
`;

import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from './server-process';

/**
 * A real nginx (Debian's, which has auth_request) serving `httpContext` (upstream and server blocks, as they would
 * stand in /etc/nginx/conf.d/) from a temporary folder, as whoever runs the tests: every path it writes is in the
 * folder.
 */
export class Nginx {
  private constructor(
    private readonly server: ServerProcess,
    private readonly directory: string,
    readonly port: number,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `httpContext` must listen on 127.0.0.1:`port`; resolves once it does. */
  static async start(httpContext: string, port: number): Promise<Nginx> {
    const directory = await mkdtemp(join(tmpdir(), 'nginx-'));
    try {
      // Run as root, nginx's workers switch to nobody, which must reach the temporary paths below.
      await chmod(directory, 0o755);
      const configFile = join(directory, 'nginx.conf');
      await writeFile(configFile, mainConfig(directory, httpContext));
      const errorLog = join(directory, 'error.log');
      const server = await ServerProcess.start(
        'nginx',
        ['nginx', '-p', directory, '-e', errorLog, '-c', configFile],
        port,
        { logFile: errorLog },
      );
      return new Nginx(server, directory, port);
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

/** What nginx needs around the recipe to run in the foreground from `directory`, and nothing more. */
function mainConfig(directory: string, httpContext: string): string {
  const temporary = (name: string) => join(directory, `${name}-temp`);
  return `
daemon off;
worker_processes 1;
pid ${join(directory, 'nginx.pid')};
error_log ${join(directory, 'error.log')} warn;

events {
    worker_connections 1024;
}

http {
    access_log ${join(directory, 'access.log')};
    client_body_temp_path ${temporary('client-body')};
    proxy_temp_path ${temporary('proxy')};
    fastcgi_temp_path ${temporary('fastcgi')};
    uwsgi_temp_path ${temporary('uwsgi')};
    scgi_temp_path ${temporary('scgi')};

${httpContext}
}
`;
}

import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ServerInFolder } from './server-in-folder';
import { ServerProcess } from './server-process';

/**
 * A real nginx (Debian's, which has auth_request) serving `httpContext` (upstream and server blocks, as they would
 * stand in /etc/nginx/conf.d/) from a temporary folder, as whoever runs the tests: every path it writes is in the
 * folder. `httpContext` must listen on 127.0.0.1:`port`; resolves once it does.
 */
export function startNginx(httpContext: string, port: number): Promise<ServerInFolder> {
  return ServerInFolder.start('nginx-', port, async (directory) => {
    // Run as root, nginx's workers switch to nobody, which must reach the temporary paths below.
    await chmod(directory, 0o755);
    const configFile = join(directory, 'nginx.conf');
    await writeFile(configFile, mainConfig(directory, httpContext));
    const errorLog = join(directory, 'error.log');
    return ServerProcess.start('nginx', ['nginx', '-p', directory, '-e', errorLog, '-c', configFile], port, {
      logFile: errorLog,
    });
  });
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

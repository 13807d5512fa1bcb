import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { Environment } from '../config/environment';
import { ServiceMetrics } from './service-metrics';

/**
 * With METRICS_PORT set, /metrics is served on that port without authentication, for a scraper inside the cluster:
 * a plain Node server, apart from the API's routes, guard and request log, that answers nothing else.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly environment: Environment,
    private readonly metrics: ServiceMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.environment.METRICS_PORT;
    if (port === undefined) {
      return;
    }
    this.server = createServer((request, response) => void this.answer(request, response));
    this.server.listen(port);
    await once(this.server, 'listening');
    this.logger.log(`Serving /metrics on port ${port}, without authentication`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server?.listening) {
      return;
    }
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const body = await this.metrics.exposition();
    response.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}

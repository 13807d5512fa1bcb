import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
// nestjs-pino's request context: the logger its Logger writes through while a request is handled. Set here rather
// than by its pino-http middleware, which costs about a third of the service's throughput (BENCHMARKS.md).
import { storage, Store } from 'nestjs-pino/storage';
import { ServiceMetrics } from '../metrics/service-metrics';
import { routePatternOf } from '../route-pattern';
import { levelOf, requestLine } from './request-log';

/**
 * Every request, in one Express-level step ahead of the routes: a fresh logId (X-Log-Id, and every line logged while
 * the request is handled), and once the answer is done, the HTTP metric and the request line.
 */
export function accountForRequests(metrics: ServiceMetrics): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    const logId = randomUUID();
    (request as Request & { id: string }).id = logId;
    response.setHeader('X-Log-Id', logId);
    const logger = PinoLogger.root.child({ logId });
    response.once('close', () => {
      const durationMs = performance.now() - started;
      const route = routePatternOf(request);
      metrics.requestAnswered(request.method, route, response.statusCode, durationMs / 1000);
      const level = levelOf(route, response.statusCode);
      if (logger.isLevelEnabled(level)) {
        logger[level](requestLine(request, response, route, durationMs), 'request completed');
      }
    });
    storage.run(new Store(logger), next);
  };
}

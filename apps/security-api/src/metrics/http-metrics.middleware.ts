import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { routePatternOf } from '../route-pattern';
import { ServiceMetrics } from './service-metrics';

/** Times every request from the moment it reaches the application to the last byte of its answer. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: ServiceMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = performance.now();
    response.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      this.metrics.requestAnswered(request.method, routePatternOf(request), response.statusCode, seconds);
    });
    next();
  }
}

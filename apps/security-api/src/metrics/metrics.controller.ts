import { Controller, Get, Injectable, NestMiddleware, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Environment } from '../config/environment';
import { ServiceMetrics } from './service-metrics';

/**
 * /metrics on the service's own port, for administrators only (the global guard's Basic authentication), when
 * METRICS_PORT is unset. When it is set, the scraper reads the metrics there and this route answers as unknown.
 */
// Prometheus' text format for the scraper, not part of the API that clients program against.
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get()
  async exposition(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.setHeader('Content-Type', this.metrics.contentType);
    return this.metrics.exposition();
  }
}

/** Before the guard, so that with METRICS_PORT set the main port says nothing about metrics to anyone. */
@Injectable()
export class MainPortMetricsSwitch implements NestMiddleware {
  private readonly servedElsewhere: boolean;

  constructor(environment: Environment) {
    this.servedElsewhere = environment.METRICS_PORT !== undefined;
  }

  use(_request: unknown, _response: unknown, next: () => void): void {
    if (this.servedElsewhere) {
      throw new NotFoundException();
    }
    next();
  }
}

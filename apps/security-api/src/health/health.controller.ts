import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../security/public.decorator';
import { DirectoryHealthIndicator } from './directory.health';
import { HealthCheckFailureFilter } from './health-check-failure.filter';

// noCache is off because http-setup already sends "Cache-Control: no-store" on every response; terminus would replace it.
@Public()
@Controller('health')
@UseFilters(HealthCheckFailureFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly directory: DirectoryHealthIndicator,
  ) {}

  /** The process serves: no dependency is consulted, so a directory outage never restarts the service. */
  @Get('live')
  @HealthCheck({ noCache: false })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: false })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.directory.isReachable('directory')]);
  }
}

import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../security/public.decorator';
import { DirectoryHealthIndicator } from './directory.health';
import { HealthCheckFailureFilter } from './health-check-failure.filter';

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
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.directory.isReachable('directory')]);
  }
}

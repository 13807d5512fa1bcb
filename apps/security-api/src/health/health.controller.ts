import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { ApiProbeResponses } from '../openapi/health-responses';
import { DirectoryHealthIndicator } from './directory.health';
import { HealthCheckFailureFilter } from './health-check-failure.filter';

// noCache is off because http-setup already sends "Cache-Control: no-store" on every response; terminus would replace it.
// Its swaggerDocumentation is off too (the default once options are given): live never answers 503.
@ApiTags('health')
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
  @ApiOperation({
    operationId: 'live',
    summary: 'Liveness: consults nothing, so a directory outage never restarts the service.',
  })
  @ApiProbeResponses({ ok: 'The process serves.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: false })
  @ApiOperation({
    operationId: 'ready',
    summary: 'Readiness: the directory answers a bind and a base search within HEALTH_TIMEOUT_MS.',
  })
  @ApiProbeResponses({
    ok: 'The directory answers.',
    dependsOn: 'The directory did not answer the bind and base search in time; the log says why.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.directory.isReachable('directory')]);
  }
}

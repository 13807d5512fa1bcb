import { Directory, faultOf } from '@app/directory';
import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { describeWithCauses } from '../errors/describe-with-causes';

@Injectable()
export class DirectoryHealthIndicator {
  private readonly logger = new Logger(DirectoryHealthIndicator.name);

  constructor(
    private readonly directory: Directory,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isReachable(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await this.directory.ping();
      return indicator.up();
    } catch (error) {
      this.logger.warn(`Directory readiness check failed: ${describeWithCauses(error)}`);
      // The probe's body is public: it says which kind of fault the log explains (a reason class), never its detail.
      return indicator.down({
        message: 'The directory did not answer a bind and a base search',
        reason: faultOf(error).reason,
      });
    }
  }
}

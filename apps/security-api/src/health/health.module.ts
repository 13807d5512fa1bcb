import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DirectoryHealthIndicator } from './directory.health';
import { DirectoryStartCheck } from './directory-start-check';
import { HealthController } from './health.controller';

@Module({
  // Terminus would log every failed probe as an error, without the cause; DirectoryHealthIndicator logs it with one.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DirectoryHealthIndicator, DirectoryStartCheck],
})
export class HealthModule {}

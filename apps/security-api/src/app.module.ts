import { DirectoryModule } from '@app/directory';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from './config/config.module';
import { directoryOptionsFrom } from './config/directory-options';
import { Environment } from './config/environment';
import { ErrorModelFilter } from './errors/error-model.filter';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { SecurityModule } from './security/security.module';
import { HttpDrain } from './shutdown/http-drain';

@Module({
  imports: [
    ConfigModule,
    // Ahead of the other modules, so that its middleware times and counts requests that theirs refuse.
    MetricsModule,
    DirectoryModule.forRootAsync({
      isGlobal: true,
      imports: [MetricsModule],
      inject: [Environment],
      useFactory: directoryOptionsFrom,
    }),
    SecurityModule,
    HealthModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ErrorModelFilter }, HttpDrain],
})
export class AppModule {}

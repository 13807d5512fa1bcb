import { DirectoryModule } from '@app/directory';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { directoryOptionsFrom } from './config/directory-options';
import { Environment } from './config/environment';
import { ErrorModelFilter } from './errors/error-model.filter';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { SecurityModule } from './security/security.module';
import { HttpDrain } from './shutdown/http-drain';

@Module({
  imports: [
    ConfigModule,
    // Ahead of the other modules, so that their middleware logs, times and counts requests that others refuse.
    LoggingModule,
    MetricsModule,
    DirectoryModule.forRootAsync({
      isGlobal: true,
      imports: [MetricsModule],
      inject: [Environment],
      useFactory: directoryOptionsFrom,
    }),
    AuthModule,
    SecurityModule,
    HealthModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ErrorModelFilter }, HttpDrain],
})
export class AppModule {}

import { DirectoryObserver } from '@app/directory';
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { MainPortMetricsSwitch, MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';
import { ServiceMetrics } from './service-metrics';

/** Prometheus metrics: HTTP requests here, LDAP operations and caches as the directory reports them (DirectoryObserver). */
@Module({
  controllers: [MetricsController],
  providers: [ServiceMetrics, { provide: DirectoryObserver, useExisting: ServiceMetrics }, MetricsServer],
  exports: [DirectoryObserver],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MainPortMetricsSwitch).forRoutes(MetricsController);
  }
}

import { DirectoryObserver } from '@app/directory';
import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
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
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    consumer.apply(MainPortMetricsSwitch).forRoutes(MetricsController);
  }
}

import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoginThrottle } from './login-throttle';
import { MembershipController } from './membership.controller';
import { OversizedPathMiddleware } from './oversized-path.middleware';
import { SystemAdministratorsGuard } from './system-administrators.guard';

@Module({
  controllers: [MembershipController],
  providers: [LoginThrottle, { provide: APP_GUARD, useClass: SystemAdministratorsGuard }],
})
export class SecurityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(OversizedPathMiddleware).forRoutes(MembershipController);
  }
}

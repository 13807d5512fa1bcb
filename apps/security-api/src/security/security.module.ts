import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoginThrottle } from './login-throttle';
import { MembershipController } from './membership.controller';
import { SystemAdministratorsGuard } from './system-administrators.guard';

@Module({
  controllers: [MembershipController],
  providers: [LoginThrottle, { provide: APP_GUARD, useClass: SystemAdministratorsGuard }],
})
export class SecurityModule {}

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoginThrottle } from './login-throttle';
import { SystemAdministratorsGuard } from './system-administrators.guard';

/** Who may call: the guard every route passes, global and deny-by-default, and the login throttle it asks first. */
@Module({
  providers: [LoginThrottle, { provide: APP_GUARD, useClass: SystemAdministratorsGuard }],
})
export class AuthModule {}

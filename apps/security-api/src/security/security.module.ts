import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MembershipController } from './membership.controller';
import { SystemAdministratorsGuard } from './system-administrators.guard';

@Module({
  controllers: [MembershipController],
  providers: [{ provide: APP_GUARD, useClass: SystemAdministratorsGuard }],
})
export class SecurityModule {}

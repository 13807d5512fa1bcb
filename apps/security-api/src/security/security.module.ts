import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { OversizedPathMiddleware } from '../http/oversized-path.middleware';
import { ForwardAuthController } from './forward-auth.controller';
import { GroupsController } from './groups.controller';
import { MembershipController } from './membership.controller';
import { UsersController } from './users.controller';

// Express tries routes in the order they are registered. GET users/{user}/groups (no group list) is the list of the
// user's groups, and must come before the check's route, which would otherwise take it as an empty list. HEAD
// groups/{group}/users/ (an empty user) is the check seen from the group, and must come before the list of the group's
// users, whose GET route answers HEAD too.
const CONTROLLERS = [UsersController, MembershipController, GroupsController];

@Module({ controllers: [...CONTROLLERS, ForwardAuthController] })
export class SecurityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(OversizedPathMiddleware).forRoutes(...CONTROLLERS);
  }
}

import { Directory, DirectoryUser } from '@app/directory';
import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Environment } from '../config/environment';
import { authenticationRequired, notAnAdministrator, tooManyFailedLogins } from '../errors/api-error';
import { parseBasicCredentials } from './basic-credentials';
import { rememberCaller } from './caller';
import { LoginThrottle } from './login-throttle';
import { IS_PUBLIC } from './public.decorator';
import { SelfAccess } from './self-access';

/**
 * Deny by default: every route not marked @Public() needs HTTP Basic credentials that bind as a directory user who
 * is a member, directly or through child groups, of ADMIN_GROUP. Runs before any pipe, so an unauthorised caller
 * learns nothing about the users and groups it asks about. A login or address with too many recent failures is
 * refused before the directory is asked. A route marked @AllowSelf() also lets a caller ask about themself; one marked
 * @AllowSelfUnlessQuery() lets every caller ask about themself, and needs ADMIN_GROUP only to ask about someone else.
 */
@Injectable()
export class SystemAdministratorsGuard implements CanActivate {
  private readonly logger = new Logger(SystemAdministratorsGuard.name);
  private readonly adminGroup: string;
  private readonly selfAccess: SelfAccess;

  constructor(
    private readonly directory: Directory,
    private readonly reflector: Reflector,
    private readonly throttle: LoginThrottle,
    environment: Environment,
  ) {
    this.adminGroup = environment.ADMIN_GROUP;
    this.selfAccess = new SelfAccess(directory, reflector);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();
    const credentials = parseBasicCredentials(request.headers.authorization);
    if (!credentials) {
      throw authenticationRequired();
    }
    const address = request.socket.remoteAddress ?? '';
    const attempt = this.throttle.begin(credentials.login, credentials.password, address);
    if ('retryAfterSeconds' in attempt) {
      throw tooManyFailedLogins(attempt.retryAfterSeconds);
    }
    let caller: DirectoryUser | undefined;
    try {
      caller = await this.directory.authenticate(credentials.login, credentials.password);
    } catch (error) {
      attempt.ended();
      throw error;
    }
    if (!caller) {
      attempt.failed();
      throw authenticationRequired();
    }
    attempt.ended();
    rememberCaller(request, caller);
    if (this.selfAccess.asksAboutCallerOnly(context)) {
      return true;
    }
    const answer = await this.directory.isMember(caller, [this.adminGroup]);
    switch (answer.kind) {
      case 'member':
        return true;
      case 'ambiguous':
        throw new Error(`ADMIN_GROUP "${this.adminGroup}" names several groups: ${answer.candidateIds.join(', ')}`);
      case 'no-group-found':
        this.logger.warn(`ADMIN_GROUP "${this.adminGroup}" is not in the directory: nobody is an administrator`);
        break;
      case 'not-a-member':
      case 'user-not-found':
        break;
    }
    if (await this.selfAccess.allows(context, caller)) {
      return true;
    }
    throw notAnAdministrator();
  }
}

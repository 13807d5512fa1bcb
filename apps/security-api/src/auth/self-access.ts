import { Directory, DirectoryUser } from '@app/directory';
import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { segmentAsSent } from '../http/raw-path-parameters';
import { hasQueryParameter, rawQuestionOf } from '../requests/forward-auth-query';
import { decodeIdentifier } from '../requests/identifier';
import { CURRENT_USER } from './caller';

const SELF_PARAMETER = 'security:self-parameter';
const SELF_UNLESS_QUERY = 'security:self-unless-query';

/** Opens a route to a caller who is not an administrator when the named route parameter resolves to themself. */
export const AllowSelf = (userParameter: string): MethodDecorator => SetMetadata(SELF_PARAMETER, userParameter);

/**
 * Opens a route to every authenticated caller, who asks about themself: only a request whose query names a user (the
 * named query parameter) needs ADMIN_GROUP.
 */
export const AllowSelfUnlessQuery = (userQueryParameter: string): MethodDecorator =>
  SetMetadata(SELF_UNLESS_QUERY, userQueryParameter);

/**
 * Whether the route allows self-access and its user parameter names the caller. Runs in the guard, after
 * authentication, so a caller asking about anyone else gets the same 403 whether that user exists, is ambiguous or
 * is not even a valid identifier.
 */
export class SelfAccess {
  constructor(
    private readonly directory: Directory,
    private readonly reflector: Reflector,
  ) {}

  /** On a route marked @AllowSelfUnlessQuery(), whether the request asks about the caller alone: no admin check then. */
  asksAboutCallerOnly(context: ExecutionContext): boolean {
    const parameter = this.reflector.get<string | undefined>(SELF_UNLESS_QUERY, context.getHandler());
    if (parameter === undefined) {
      return false;
    }
    const { originalUrl } = context.switchToHttp().getRequest<Request>();
    return !hasQueryParameter(rawQuestionOf(originalUrl), parameter);
  }

  async allows(context: ExecutionContext, caller: DirectoryUser): Promise<boolean> {
    const parameter = this.reflector.get<string | undefined>(SELF_PARAMETER, context.getHandler());
    if (parameter === undefined) {
      return false;
    }
    const raw = context.switchToHttp().getRequest<Request>().params?.[parameter];
    let identifier: string;
    try {
      identifier = decodeIdentifier(segmentAsSent(typeof raw === 'string' ? raw : ''), 'The user identifier');
    } catch {
      return false;
    }
    if (identifier === CURRENT_USER) {
      return true;
    }
    const lookup = await this.directory.findUser(identifier);
    return lookup.kind === 'found' && lookup.user.id === caller.id;
  }
}

import { DirectoryUser } from '@app/directory';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** "@current" as a user identifier names the authenticated caller, as in the Contensis Management API. */
export const CURRENT_USER = '@current';

const callers = new WeakMap<Request, DirectoryUser>();

/** Called by the guard once the credentials are verified. */
export function rememberCaller(request: Request, caller: DirectoryUser): void {
  callers.set(request, caller);
}

/** The authenticated caller of a protected route. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): DirectoryUser => {
  const caller = callers.get(context.switchToHttp().getRequest<Request>());
  if (!caller) {
    throw new Error('No authenticated caller: @Caller() used on a public route');
  }
  return caller;
});

/** The user an identifier names: the caller, as the directory returned them, for "@current". */
export function userNamedBy(identifier: string, caller: DirectoryUser): string | DirectoryUser {
  return identifier === CURRENT_USER ? caller : identifier;
}

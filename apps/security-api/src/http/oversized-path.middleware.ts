import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Environment } from '../config/environment';
import { uriTooLong } from '../errors/api-error';
import { longestValidCheckPath } from '../requests/membership-query';

/**
 * A path longer than any valid check cannot become one: it is refused before authentication, so no credentials, and no
 * work for the directory, are spent on it. Shorter invalid lists are refused after authentication, as the contract
 * orders it, and still before any of their identifiers is looked up.
 */
@Injectable()
export class OversizedPathMiddleware implements NestMiddleware {
  private readonly longestPath: number;

  constructor(environment: Environment) {
    this.longestPath = longestValidCheckPath(environment.MAX_GROUPS_PER_CHECK);
  }

  use(request: Request, _response: Response, next: NextFunction): void {
    const queryStart = request.originalUrl.indexOf('?');
    const pathLength = queryStart < 0 ? request.originalUrl.length : queryStart;
    if (pathLength > this.longestPath) {
      throw uriTooLong(this.longestPath);
    }
    next();
  }
}

import type { NextFunction, Request, Response } from 'express';

/** Node's HTTP parser refuses DEL anywhere in a request line, so in a path it can only stand for "%". */
const PERCENT_STAND_IN = '\x7f';

/**
 * Express percent-decodes route parameters before any guard runs. The membership check needs the raw segment (the group
 * list is split on "," before decoding) and must answer 401 before it answers 400 for bad percent-encoding, so "%" has
 * a stand-in while Express routes the path: Express then finds nothing to decode, and whatever reads a parameter takes
 * it back as sent (segmentAsSent) and decodes it itself.
 */
export function keepRouteParametersRaw(request: Request, _response: Response, next: NextFunction): void {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  if (path.includes('%')) {
    request.url = path.replaceAll('%', PERCENT_STAND_IN) + (queryStart < 0 ? '' : request.url.slice(queryStart));
  }
  next();
}

/** A route parameter as the client sent it, still percent-encoded. */
export function segmentAsSent(parameter: string): string {
  return parameter.replaceAll(PERCENT_STAND_IN, '%');
}

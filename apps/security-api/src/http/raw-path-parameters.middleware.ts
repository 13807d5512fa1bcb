import type { NextFunction, Request, Response } from 'express';

/**
 * Express decodes route parameters before any guard runs. The membership check needs the raw segment (the group list
 * is split on "," before decoding) and must answer 401 before it answers 400 for bad percent-encoding, so "%" is
 * escaped here and Express's decoding hands the route the segment exactly as the client sent it.
 */
export function keepRouteParametersRaw(request: Request, _response: Response, next: NextFunction): void {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  if (path.includes('%')) {
    request.url = path.replaceAll('%', '%25') + (queryStart < 0 ? '' : request.url.slice(queryStart));
  }
  next();
}

import type { Request } from 'express';

/**
 * Requests that matched no route of the application. A request refused by a route's middleware (a 414 from the check's
 * path limit) keeps that route, since Nest mounts the middleware on it.
 */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The route a request matched, as declared (`/api/security/users/{:userIdentifier}/groups{/:groupIdentifiers}`),
 * never its path: identifiers would make every user and group a metric series of its own, and put them in the
 * metrics. Read once the response is finished, when Express has set it.
 */
export function routePatternOf(request: Request): string {
  const route = request.route as { readonly path?: unknown } | undefined;
  const path = route?.path;
  // Nest mounts middleware for every path as a wildcard route, which the request keeps when no route of the
  // application matches it; the application itself declares no wildcard route.
  return typeof path === 'string' && !path.includes('*') ? `${request.baseUrl}${path}` : UNMATCHED_ROUTE;
}

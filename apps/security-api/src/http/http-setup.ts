import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { Environment } from '../config/environment';
import { trustedProxies } from '../config/trusted-proxies';
import { accountForRequests } from '../logging/request-accounting';
import { ServiceMetrics } from '../metrics/service-metrics';
import { configureOpenApi } from '../openapi/openapi';
import { longestValidCheckPath } from '../requests/membership-query';
import { keepRouteParametersRaw } from './raw-path-parameters';

/** Room for the request line's method and version and for ordinary headers, besides the path itself. */
const ORDINARY_HEADER_BYTES = 16 * 1024;

/** What the Express layer needs before any route, and the API docs: shared by main.ts and the e2e tests so both serve alike. */
export function configureHttp(app: NestExpressApplication): NestExpressApplication {
  // Node refuses requests whose head exceeds 16 KiB with a bare 431, before any route; a list of
  // MAX_GROUPS_PER_CHECK long, percent-encoded names is a valid request and can be far longer. Node reads the
  // server's maxHeaderSize (its createServer option) for every new connection; Nest creates the server itself.
  const { MAX_GROUPS_PER_CHECK, TRUSTED_PROXIES } = app.get(Environment);
  const server: Server & { maxHeaderSize?: number } = app.getHttpServer();
  server.maxHeaderSize = longestValidCheckPath(MAX_GROUPS_PER_CHECK) + ORDINARY_HEADER_BYTES;
  app.disable('x-powered-by');
  // request.ip: the client a listed gateway names in X-Forwarded-For, else the peer. Never `true`, which would let
  // any client name itself whatever address it likes, and so escape the login throttle's count for its own.
  const proxies = trustedProxies(TRUSTED_PROXIES);
  app.set('trust proxy', proxies.length > 0 ? proxies : false);
  // First, so that every answer, even one refused before any route, has its logId, its line and its metric.
  app.use(accountForRequests(app.get(ServiceMetrics)));
  // Answers depend on the caller and on the directory's state at that moment: never reuse or revalidate them.
  app.set('etag', false);
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(keepRouteParametersRaw);
  configureOpenApi(app);
  return app;
}

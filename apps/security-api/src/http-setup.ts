import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { keepRouteParametersRaw } from './security/raw-path-parameters.middleware';

/** What the Express layer needs before any route: shared by main.ts and the e2e tests so both serve alike. */
export function configureHttp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // Answers depend on the caller and on the directory's state at that moment: never reuse or revalidate them.
  app.set('etag', false);
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(keepRouteParametersRaw);
  return app;
}

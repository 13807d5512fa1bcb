import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, ResponseObject, SwaggerModule } from '@nestjs/swagger';
import { license, version } from '../../../../package.json';
import { Environment } from '../config/environment';

export const API_DOCS_PATH = 'api/docs';
export const API_DOCS_JSON_PATH = 'api/docs-json';
export const BASIC_AUTH_SCHEME = 'basic';

const DESCRIPTION = `The Contensis Management API membership check, served from an LDAP directory.

Every route needs HTTP Basic credentials of a member, directly or through child groups, of ADMIN_GROUP, unless it says
otherwise. Errors use the Error model; its logId is repeated in the X-Log-Id header and in the service's log line.
Every response carries \`Cache-Control: no-store\`. An unknown route answers 404 (\`ROUTE_NOT_FOUND\`); request headers
larger than the longest valid check plus 16 KiB are refused by the HTTP server with a bare 431.`;

/**
 * The OpenAPI document, built from the controllers' decorators, at /api/docs (UI) and /api/docs-json. Registered on the
 * HTTP server directly, outside Nest's router, so the global guard never sees these routes: they are public.
 */
export function configureOpenApi(app: INestApplication): OpenAPIObject {
  const { MAX_GROUPS_PER_CHECK } = app.get(Environment);
  const config = new DocumentBuilder()
    .setTitle('security-api')
    .setDescription(`${DESCRIPTION}\n\nThis instance checks at most ${MAX_GROUPS_PER_CHECK} groups at once.`)
    .setVersion(version)
    .addServer('/', 'This service')
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'A username or email address and its password.' },
      BASIC_AUTH_SCHEME,
    )
    // Deny by default, as the guard: an operation is public only where @Public() says so.
    .addSecurityRequirements(BASIC_AUTH_SCHEME)
    .build();
  const document = withHttpRules(SwaggerModule.createDocument(app, config));
  // DocumentBuilder.setLicense always writes a url, and an unlicensed package has none to give.
  document.info.license = { name: license };
  SwaggerModule.setup(API_DOCS_PATH, app, document, {
    jsonDocumentUrl: API_DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'security-api',
  });
  return document;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * What holds for every operation: HEAD answers have no body, and every answer carries Cache-Control (http-setup) and
 * the request's X-Log-Id (logging).
 * Responses declared on a controller are one object shared by its operations, so each is copied before it changes.
 */
function withHttpRules(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const responses = pathItem[method]?.responses ?? {};
      for (const [status, declared] of Object.entries(responses) as [string, ResponseObject][]) {
        const response: ResponseObject = {
          ...declared,
          headers: {
            'Cache-Control': {
              description: 'Answers are never stored or reused.',
              schema: { type: 'string', enum: ['no-store'] },
            },
            'X-Log-Id': {
              description:
                "The request's logId, also in the service's log line for it (and in the Error model on errors).",
              schema: { type: 'string', format: 'uuid' },
            },
            ...declared.headers,
          },
        };
        if (method === 'head') {
          delete response.content;
        }
        responses[status] = response;
      }
    }
  }
  return document;
}

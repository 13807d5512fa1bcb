import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { longestValidCheckPath } from '../../apps/security-api/src/security/membership-query';
import { demoEnvironment, IDS } from '../support/demo-directory';
import { freePort } from '../support/free-port';
import { schemaViolations } from '../support/openapi-schema';
import { basic, startSecurityApi } from '../support/security-api';
import { Slapd } from '../support/slapd';

type Json = Record<string, any>;
type Method = 'get' | 'head';
type Instance = 'demo' | 'directoryDown' | 'adminGroupAmbiguous';

const ADMIN = basic('sysadmin', 'admin-secret');
const NOT_ADMIN = basic('tdurden', 'soap-maker');
/** Throttled in beforeAll: LOGIN_FAILURES_PER_LOGIN is 1 on the demo instance. */
const THROTTLED = basic('narrator', 'a-wrong-password');
const MAX_GROUPS = 5;
const CHECK = '/api/security/users/{userIdentifier}/groups/{groupIdentifiers}';
/** Headers whose presence the document must predict exactly, besides Cache-Control on every answer. */
const ANNOUNCED_HEADERS = ['x-log-id', 'retry-after', 'www-authenticate'];

/** One documented (method, path, status) and a real request that produces it. */
interface Exchange {
  readonly method: Method;
  readonly path: string;
  readonly status: number;
  readonly params?: Readonly<Record<string, string>>;
  /** Credentials sent; null for none. */
  readonly as: string | null;
  readonly on?: Instance;
  /** data.reason the answer's body must give (HEAD has no body). */
  readonly reason?: string;
}

const checkExchanges = (method: Method, member: number): Exchange[] => {
  const check = (status: number, user: string, groups: string, as: string | null, more: Partial<Exchange> = {}): Exchange => ({
    method,
    path: CHECK,
    status,
    params: { userIdentifier: user, groupIdentifiers: groups },
    as,
    ...more,
  });
  return [
    check(member, 'tdurden', 'Liposuction%20Technicians', ADMIN),
    check(400, 'tdurden', 'Loners,,Liposuction%20Technicians', ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    check(401, 'tdurden', 'Loners', null, { reason: 'AUTHENTICATION_REQUIRED' }),
    check(403, 'tdurden', 'Loners', NOT_ADMIN, { reason: 'NOT_AN_ADMINISTRATOR' }),
    check(404, 'nobody', 'Loners', ADMIN, { reason: 'USER_NOT_FOUND' }),
    check(404, 'tdurden', 'No%20Such%20Group', ADMIN, { reason: 'GROUP_NOT_FOUND' }),
    check(404, 'tdurden', IDS.lousTavernRegulars, ADMIN, { reason: 'NOT_A_MEMBER' }),
    check(409, 'bob', 'Loners', ADMIN, { reason: 'AMBIGUOUS_IDENTIFIER' }),
    check(414, 'tdurden', 'a'.repeat(longestValidCheckPath(MAX_GROUPS)), null, { reason: 'URI_TOO_LONG' }),
    check(429, 'tdurden', 'Loners', THROTTLED, { reason: 'TOO_MANY_FAILED_LOGINS' }),
    check(503, 'tdurden', 'Loners', ADMIN, { on: 'directoryDown', reason: 'DIRECTORY_UNAVAILABLE' }),
    check(500, 'tdurden', 'Loners', ADMIN, { on: 'adminGroupAmbiguous', reason: 'UNEXPECTED_ERROR' }),
  ];
};

/** Every operation the document lists, every status it lists for it, and nothing else. */
const EXCHANGES: readonly Exchange[] = [
  ...checkExchanges('head', 204),
  ...checkExchanges('get', 200),
  { method: 'get', path: '/health/live', status: 200, as: null },
  { method: 'get', path: '/health/ready', status: 200, as: null },
  { method: 'get', path: '/health/ready', status: 503, as: null, on: 'directoryDown' },
];

const operationKey = ({ method, path }: { method: string; path: string }): string => `${method.toUpperCase()} ${path}`;
const describeExchange = (exchange: Exchange): string =>
  `${operationKey(exchange)} ${exchange.status}${exchange.reason ? ` ${exchange.reason}` : ''}`;

describe('the OpenAPI document, checked against the answers the service gives', () => {
  let slapd: Slapd;
  const instances = {} as Record<Instance, NestExpressApplication>;
  let document: Json;
  /** Each exchange's answer, all sent before any test looks at them. */
  const answers = new Map<Exchange, request.Response>();

  function send(exchange: Exchange): request.Test {
    const path = exchange.path.replace(/\{(\w+)\}/g, (_, name: string) => exchange.params?.[name] ?? `{${name}}`);
    const sent = request(instances[exchange.on ?? 'demo'].getHttpServer())[exchange.method](path);
    return exchange.as === null ? sent : sent.set('Authorization', exchange.as);
  }

  function operation(exchange: { method: string; path: string }): Json {
    const documented = document.paths[exchange.path]?.[exchange.method];
    if (!documented) {
      throw new Error(`${operationKey(exchange)} is not in the document`);
    }
    return documented;
  }

  const documentedOperations = (): { method: string; path: string; operation: Json }[] =>
    Object.entries(document.paths as Json).flatMap(([path, item]) =>
      ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
        .filter((method) => item[method])
        .map((method) => ({ method, path, operation: item[method] })),
    );

  const requiresBasic = (documented: Json): boolean =>
    ((documented.security ?? document.security) as Json[]).every((requirement) => 'basic' in requirement);

  beforeAll(async () => {
    slapd = await Slapd.start();
    const nobodyListens = `ldap://127.0.0.1:${await freePort()}`;
    const started = await Promise.all([
      startSecurityApi(
        demoEnvironment(slapd.url, {
          MAX_GROUPS_PER_CHECK: String(MAX_GROUPS),
          LOGIN_FAILURES_PER_LOGIN: '1',
          LOGIN_FAILURES_PER_ADDRESS: '1000',
        }),
      ),
      startSecurityApi(demoEnvironment(nobodyListens, { RETRY_AFTER_SECONDS: '3' })),
      startSecurityApi(demoEnvironment(slapd.url, { ADMIN_GROUP: 'Support Group' })),
    ]);
    [instances.demo, instances.directoryDown, instances.adminGroupAmbiguous] = started.map(({ app }) => app);
    const served = await request(instances.demo.getHttpServer()).get('/api/docs-json');
    expect(served.status).toBe(200);
    document = served.body;
    expect((await request(instances.demo.getHttpServer()).head(CHECK).set('Authorization', THROTTLED)).status).toBe(401);
    for (const exchange of EXCHANGES) {
      answers.set(exchange, await send(exchange));
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(instances).map((app) => app.close()));
    await slapd?.destroy();
  });

  it.each(EXCHANGES.map((exchange) => [describeExchange(exchange), exchange] as const))(
    '%s: the answer is what the document says',
    (_name, exchange) => {
      const documented = operation(exchange).responses[String(exchange.status)];
      expect(documented).toBeDefined();

      const response = answers.get(exchange)!;
      expect(response.status).toBe(exchange.status);
      const documentedHeaders = Object.keys(documented.headers ?? {}).map((name) => name.toLowerCase());
      expect(documentedHeaders).toContain('cache-control');
      for (const [name, header] of Object.entries(documented.headers as Json)) {
        expect({ [name]: schemaViolations(headerValue(response, name), header.schema, document) }).toEqual({ [name]: [] });
      }
      expect(ANNOUNCED_HEADERS.filter((name) => response.headers[name] !== undefined).sort()).toEqual(
        ANNOUNCED_HEADERS.filter((name) => documentedHeaders.includes(name)).sort(),
      );

      const schema = documented.content?.['application/json']?.schema;
      if (exchange.method === 'head' || !schema) {
        expect(documented.content).toBeUndefined();
        expect(response.text ?? '').toBe('');
        return;
      }
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(schemaViolations(response.body, schema, document)).toEqual([]);
      expect(response.body.data?.reason).toBe(exchange.reason);
    },
  );

  it('lists exactly the operations and statuses above: none the service does not give, none it gives undocumented', () => {
    const answered = (key: string) => [...new Set(EXCHANGES.filter((exchange) => operationKey(exchange) === key).map(({ status }) => String(status)))].sort();
    const documented = Object.fromEntries(documentedOperations().map((entry) => [operationKey(entry), Object.keys(entry.operation.responses).sort()]));
    const exchanged = Object.fromEntries([...new Set(EXCHANGES.map(operationKey))].map((key) => [key, answered(key)]));
    expect(documented).toEqual(exchanged);
  });

  it('lists, for each error status of a GET, exactly the data.reason values the service gave', () => {
    const given = (key: string) =>
      [...new Set([...answers].filter(([exchange]) => `${operationKey(exchange)} ${exchange.status}` === key).map(([, response]) => response.body?.data?.reason))]
        .filter((reason) => reason !== undefined)
        .sort();
    for (const { method, path, operation: documented } of documentedOperations().filter((entry) => entry.method === 'get')) {
      for (const [status, response] of Object.entries(documented.responses as Json)) {
        const key = `${operationKey({ method, path })} ${status}`;
        expect({ [key]: documentedReasons(response.content?.['application/json']?.schema ?? {}) }).toEqual({ [key]: given(key) });
      }
    }
  });

  it('documents Basic credentials exactly where a request without them answers 401', () => {
    expect(document.components.securitySchemes.basic).toEqual(expect.objectContaining({ type: 'http', scheme: 'basic' }));
    for (const { method, path, operation: documented } of documentedOperations()) {
      const exchanges = EXCHANGES.filter((exchange) => operationKey(exchange) === operationKey({ method, path }));
      const refusedWithout = exchanges.some((exchange) => exchange.status === 401 && exchange.as === null);
      const answeredWithout = exchanges.some((exchange) => exchange.status < 400 && exchange.as === null);
      expect({ [operationKey({ method, path })]: requiresBasic(documented) }).toEqual({ [operationKey({ method, path })]: refusedWithout });
      expect(answeredWithout).toBe(!refusedWithout);
    }
  });

  it('documents every path parameter of every operation, required, with a description', () => {
    for (const { method, path, operation: documented } of documentedOperations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const parameters = ((documented.parameters ?? []) as Json[]).filter((parameter) => parameter.in === 'path');
      expect({ [operationKey({ method, path })]: parameters.map(({ name }) => name).sort() }).toEqual({ [operationKey({ method, path })]: inPath });
      for (const parameter of parameters) {
        expect(parameter).toMatchObject({ required: true, description: expect.stringMatching(/\w/) });
      }
    }
  });

  it("answers a member's 204 for every combination of the documented identifier examples", async () => {
    const parameters = Object.fromEntries((operation({ method: 'head', path: CHECK }).parameters as Json[]).map((parameter) => [parameter.name, parameter]));
    const users = Object.entries(parameters.userIdentifier.examples as Json);
    const groups = Object.entries(parameters.groupIdentifiers.examples as Json);
    expect(users.map(([kind]) => kind).sort()).toEqual(['email', 'id', 'username']);
    expect(groups.map(([kind]) => kind).sort()).toEqual(['id', 'list', 'name']);
    for (const [userKind, user] of users) {
      for (const [groupKind, group] of groups) {
        const response = await send({ method: 'head', path: CHECK, status: 204, as: ADMIN, params: { userIdentifier: user.value, groupIdentifiers: group.value } });
        expect({ userKind, groupKind, status: response.status }).toEqual({ userKind, groupKind, status: 204 });
      }
    }
  });

  it('serves the UI without credentials: the page and every file it loads', async () => {
    const server = instances.demo.getHttpServer();
    const page = await request(server).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.text.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => new URL(match[1], 'http://service/api/docs').pathname);
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui-init.js']));
    for (const asset of assets) {
      expect({ asset, status: (await request(server).get(asset)).status }).toEqual({ asset, status: 200 });
    }
    const init = await request(server).get('/api/docs/swagger-ui-init.js');
    expect(init.text).toContain(JSON.stringify(operation({ method: 'head', path: CHECK }).operationId));
  });
});

function headerValue(response: request.Response, name: string): unknown {
  const value = response.headers[name.toLowerCase()];
  return name === 'Retry-After' && value !== undefined && /^\d+$/.test(value) ? Number(value) : value;
}

/** The data.reason values an error response's schema allows. */
function documentedReasons(schema: Json): string[] {
  const parts: Json[] = [schema, ...((schema.allOf as Json[] | undefined) ?? [])];
  const reasons = parts.flatMap((part) => (part.properties?.data?.properties?.reason?.enum as string[] | undefined) ?? []);
  return [...new Set(reasons)].sort();
}

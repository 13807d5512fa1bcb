import SwaggerParser from '@apidevtools/swagger-parser';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { version } from '../../package.json';
import { longestValidCheckPath } from '../../apps/security-api/src/requests/membership-query';
import { demoEnvironment, IDS } from '@test/support/demo-directory';
import { freePort } from '@test/support/free-port';
import { schemaViolations } from '@test/support/openapi-schema';
import { basic } from '@test/support/basic';
import { startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

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
  /** The query string, without "?". */
  readonly query?: string;
  /** Credentials sent; null for none. */
  readonly as: string | null;
  readonly on?: Instance;
  /** data.reason the answer's body must give (HEAD has no body). */
  readonly reason?: string;
}

type Row = (status: number, params: Record<string, string>, as: string | null, more?: Partial<Exchange>) => Exchange;

const rowsOf =
  (method: Method, path: string): Row =>
  (status, params, as, more = {}) => ({ method, path, status, params, as, ...more });

/**
 * What every protected operation answers before it runs: the guard's 401, 403, 429, 503 and 500, and the oversized
 * path middleware's 414, here with `longParameter` stretched past the longest valid check.
 */
const guarded = (row: Row, params: Record<string, string>, longParameter: string): Exchange[] => [
  row(401, params, null, { reason: 'AUTHENTICATION_REQUIRED' }),
  row(403, params, NOT_ADMIN, { reason: 'NOT_AN_ADMINISTRATOR' }),
  row(414, { ...params, [longParameter]: 'a'.repeat(longestValidCheckPath(MAX_GROUPS)) }, null, {
    reason: 'URI_TOO_LONG',
  }),
  row(429, params, THROTTLED, { reason: 'TOO_MANY_FAILED_LOGINS' }),
  row(503, params, ADMIN, { on: 'directoryDown', reason: 'DIRECTORY_UNAVAILABLE' }),
  row(500, params, ADMIN, { on: 'adminGroupAmbiguous', reason: 'UNEXPECTED_ERROR' }),
];

const checkExchanges = (method: Method, member: number): Exchange[] => {
  const row = rowsOf(method, CHECK);
  const check = (
    status: number,
    user: string,
    groups: string,
    as: string | null,
    more: Partial<Exchange> = {},
  ): Exchange => row(status, { userIdentifier: user, groupIdentifiers: groups }, as, more);
  return [
    check(member, 'tdurden', 'Liposuction%20Technicians', ADMIN),
    check(member, '@current', 'Loners,Liposuction%20Technicians', NOT_ADMIN),
    check(400, 'tdurden', 'Loners,,Liposuction%20Technicians', ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    check(404, 'nobody', 'Loners', ADMIN, { reason: 'USER_NOT_FOUND' }),
    check(404, 'tdurden', 'No%20Such%20Group', ADMIN, { reason: 'GROUP_NOT_FOUND' }),
    check(404, 'tdurden', IDS.lousTavernRegulars, ADMIN, { reason: 'NOT_A_MEMBER' }),
    check(409, 'bob', 'Loners', ADMIN, { reason: 'AMBIGUOUS_IDENTIFIER' }),
    ...guarded(row, { userIdentifier: 'narrator', groupIdentifiers: 'Loners' }, 'groupIdentifiers'),
  ];
};

/** GET users/{user} and users/{user}/groups: a user's entry and a page of their groups. */
const userExchanges = (): Exchange[] => {
  const user = rowsOf('get', '/api/security/users/{userIdentifier}');
  const groups = rowsOf('get', '/api/security/users/{userIdentifier}/groups');
  const named = (userIdentifier: string) => ({ userIdentifier });
  return [
    user(200, named('t.durden%40fightclub.com'), ADMIN),
    user(400, named('tdurden%0A'), ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    user(404, named('nobody'), ADMIN, { reason: 'USER_NOT_FOUND' }),
    user(409, named('bob'), ADMIN, { reason: 'AMBIGUOUS_IDENTIFIER' }),
    ...guarded(user, named('tdurden'), 'userIdentifier'),
    groups(200, named('rpaulson'), ADMIN, { query: 'includeInherited=true&pageSize=5' }),
    groups(200, named('@current'), ADMIN),
    groups(400, named('%E0%A4%A'), ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    groups(400, named('tdurden'), ADMIN, { query: 'includeInherited=yes', reason: 'INVALID_QUERY_PARAMETER' }),
    groups(400, named('tdurden'), ADMIN, { query: 'pageSize=101', reason: 'INVALID_QUERY_PARAMETER' }),
    groups(404, named('nobody'), ADMIN, { reason: 'USER_NOT_FOUND' }),
    groups(409, named('bob'), ADMIN, { query: 'includeInherited=true', reason: 'AMBIGUOUS_IDENTIFIER' }),
    ...guarded(groups, named('tdurden'), 'userIdentifier'),
  ];
};

/** GET groups/{group}, its users and its child groups, and HEAD groups/{group}/users/{user}, self-access included. */
const groupExchanges = (): Exchange[] => {
  const group = rowsOf('get', '/api/security/groups/{groupIdentifier}');
  const users = rowsOf('get', '/api/security/groups/{groupIdentifier}/users');
  const children = rowsOf('get', '/api/security/groups/{groupIdentifier}/groups');
  const hasUser = rowsOf('head', '/api/security/groups/{groupIdentifier}/users/{userIdentifier}');
  const named = (groupIdentifier: string) => ({ groupIdentifier });
  const pair = (groupIdentifier: string, userIdentifier: string) => ({ groupIdentifier, userIdentifier });
  const lists = [users, children].flatMap((list) => [
    list(400, named('%E0%A4%A'), ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    list(400, named('Loners'), ADMIN, { query: 'pageIndex=-1', reason: 'INVALID_QUERY_PARAMETER' }),
    list(404, named('No%20Such%20Group'), ADMIN, { reason: 'GROUP_NOT_FOUND' }),
    list(409, named('Support%20Group'), ADMIN, { reason: 'AMBIGUOUS_IDENTIFIER' }),
    ...guarded(list, named('Loners'), 'groupIdentifier'),
  ]);
  return [
    group(200, named('Paper%20Street%20Soap%20Company'), ADMIN),
    group(400, named('%E0%A4%A'), ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    group(404, named('No%20Such%20Group'), ADMIN, { reason: 'GROUP_NOT_FOUND' }),
    group(409, named('Support%20Group'), ADMIN, { reason: 'AMBIGUOUS_IDENTIFIER' }),
    ...guarded(group, named('Loners'), 'groupIdentifier'),
    users(200, named("Lou's%20Tavern%20Regulars"), ADMIN),
    children(200, named(IDS.paperStreetSoapCompany), ADMIN, { query: 'pageIndex=0&pageSize=1' }),
    ...lists,
    hasUser(204, pair('Paper%20Street%20Soap%20Company', 'rpaulson'), ADMIN),
    hasUser(204, pair('Paper%20Street%20Soap%20Company', '@current'), NOT_ADMIN),
    hasUser(400, pair('Loners', 'tdurden%00'), ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    hasUser(404, pair('Paper%20Street%20Soap%20Company', 'nobody'), ADMIN, { reason: 'USER_NOT_FOUND' }),
    hasUser(404, pair('No%20Such%20Group', 'tdurden'), ADMIN, { reason: 'GROUP_NOT_FOUND' }),
    hasUser(404, pair(IDS.lousTavernRegulars, 'tdurden'), NOT_ADMIN, { reason: 'NOT_A_MEMBER' }),
    hasUser(409, pair('Loners', 'bob'), ADMIN, { reason: 'AMBIGUOUS_IDENTIFIER' }),
    ...guarded(hasUser, pair('Loners', 'narrator'), 'groupIdentifier'),
  ];
};

/** GET and HEAD forward-auth: a gateway's question, answered in the statuses gateways understand. */
const forwardAuthExchanges = (method: Method): Exchange[] => {
  const row = rowsOf(method, '/api/security/forward-auth');
  const asking = (query: string, status: number, as: string | null, more: Partial<Exchange> = {}) =>
    row(status, {}, as, { query, ...more });
  const paperStreet = 'group=Paper%20Street%20Soap%20Company';
  return [
    asking(paperStreet, 200, NOT_ADMIN),
    asking(`${paperStreet}&user=rpaulson`, 200, ADMIN),
    asking('', 400, NOT_ADMIN, { reason: 'INVALID_QUERY_PARAMETER' }),
    asking('group=', 400, NOT_ADMIN, { reason: 'INVALID_IDENTIFIER' }),
    asking(paperStreet, 401, null, { reason: 'AUTHENTICATION_REQUIRED' }),
    asking('group=Loners', 403, NOT_ADMIN, { reason: 'NOT_A_MEMBER' }),
    asking('group=No%20Such%20Group', 403, NOT_ADMIN, { reason: 'GROUP_NOT_FOUND' }),
    asking(`${paperStreet}&user=nobody`, 403, ADMIN, { reason: 'USER_NOT_FOUND' }),
    asking('group=Support%20Group', 403, NOT_ADMIN, { reason: 'AMBIGUOUS_IDENTIFIER' }),
    asking(`${paperStreet}&user=rpaulson`, 403, NOT_ADMIN, { reason: 'NOT_AN_ADMINISTRATOR' }),
    asking(paperStreet, 403, THROTTLED, { reason: 'TOO_MANY_FAILED_LOGINS' }),
    asking(paperStreet, 503, NOT_ADMIN, { on: 'directoryDown', reason: 'DIRECTORY_UNAVAILABLE' }),
    asking(`${paperStreet}&user=rpaulson`, 500, ADMIN, { on: 'adminGroupAmbiguous', reason: 'UNEXPECTED_ERROR' }),
  ];
};

/** Every operation the document lists, every status it lists for it, and nothing else. */
const EXCHANGES: readonly Exchange[] = [
  ...checkExchanges('head', 204),
  ...checkExchanges('get', 200),
  ...userExchanges(),
  ...groupExchanges(),
  ...forwardAuthExchanges('get'),
  ...forwardAuthExchanges('head'),
  { method: 'get', path: '/health/live', status: 200, as: null },
  { method: 'get', path: '/health/ready', status: 200, as: null },
  { method: 'get', path: '/health/ready', status: 503, as: null, on: 'directoryDown' },
];

const operationKey = ({ method, path }: { method: string; path: string }): string => `${method.toUpperCase()} ${path}`;
const describeExchange = (exchange: Exchange): string =>
  `${operationKey(exchange)} ${exchange.status}${exchange.reason ? ` ${exchange.reason}` : ''} ` +
  JSON.stringify({ ...exchange.params, ...(exchange.query === undefined ? {} : { query: exchange.query }) }).slice(
    0,
    120,
  );

describe('the OpenAPI document, checked against the answers the service gives', () => {
  let slapd: Slapd;
  const instances = {} as Record<Instance, NestExpressApplication>;
  let document: Json;
  /** Each exchange's answer, all sent before any test looks at them. */
  const answers = new Map<Exchange, request.Response>();

  function send(exchange: Exchange): request.Test {
    const path = exchange.path.replace(/\{(\w+)\}/g, (_, name: string) => exchange.params?.[name] ?? `{${name}}`);
    const sent = request(instances[exchange.on ?? 'demo'].getHttpServer())[exchange.method](
      exchange.query === undefined ? path : `${path}?${exchange.query}`,
    );
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
    expect((await request(instances.demo.getHttpServer()).head(CHECK).set('Authorization', THROTTLED)).status).toBe(
      401,
    );
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
      // A header documented with required: false is sent with some of the status's reasons only.
      const sometimes = (name: string) => (documented.headers as Json)[name]?.required === false;
      for (const [name, header] of Object.entries(documented.headers as Json)) {
        if (sometimes(name) && headerValue(response, name) === undefined) {
          continue;
        }
        expect({ [name]: schemaViolations(headerValue(response, name), header.schema, document) }).toEqual({
          [name]: [],
        });
      }
      const documentedNames = Object.keys(documented.headers ?? {});
      const announced = (name: string) =>
        documentedNames.find((documentedName) => documentedName.toLowerCase() === name);
      expect(ANNOUNCED_HEADERS.filter((name) => response.headers[name] !== undefined).sort()).toEqual(
        ANNOUNCED_HEADERS.filter(
          (name) =>
            announced(name) !== undefined && (!sometimes(announced(name)!) || response.headers[name] !== undefined),
        ).sort(),
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
    const answered = (key: string) =>
      [
        ...new Set(EXCHANGES.filter((exchange) => operationKey(exchange) === key).map(({ status }) => String(status))),
      ].sort();
    const documented = Object.fromEntries(
      documentedOperations().map((entry) => [operationKey(entry), Object.keys(entry.operation.responses).sort()]),
    );
    const exchanged = Object.fromEntries([...new Set(EXCHANGES.map(operationKey))].map((key) => [key, answered(key)]));
    expect(documented).toEqual(exchanged);
  });

  it('lists, for each error status of a GET, exactly the data.reason values the service gave', () => {
    const given = (key: string) =>
      [
        ...new Set(
          [...answers]
            .filter(([exchange]) => `${operationKey(exchange)} ${exchange.status}` === key)
            .map(([, response]) => response.body?.data?.reason),
        ),
      ]
        .filter((reason) => reason !== undefined)
        .sort();
    for (const { method, path, operation: documented } of documentedOperations().filter(
      (entry) => entry.method === 'get',
    )) {
      for (const [status, response] of Object.entries(documented.responses as Json)) {
        const key = `${operationKey({ method, path })} ${status}`;
        expect({ [key]: documentedReasons(response.content?.['application/json']?.schema ?? {}) }).toEqual({
          [key]: given(key),
        });
      }
    }
  });

  it('documents Basic credentials exactly where a request without them answers 401', () => {
    expect(document.components.securitySchemes.basic).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'basic' }),
    );
    for (const { method, path, operation: documented } of documentedOperations()) {
      const exchanges = EXCHANGES.filter((exchange) => operationKey(exchange) === operationKey({ method, path }));
      const refusedWithout = exchanges.some((exchange) => exchange.status === 401 && exchange.as === null);
      const answeredWithout = exchanges.some((exchange) => exchange.status < 400 && exchange.as === null);
      expect({ [operationKey({ method, path })]: requiresBasic(documented) }).toEqual({
        [operationKey({ method, path })]: refusedWithout,
      });
      expect(answeredWithout).toBe(!refusedWithout);
    }
  });

  it('documents every path parameter of every operation, required, with a description', () => {
    for (const { method, path, operation: documented } of documentedOperations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const parameters = ((documented.parameters ?? []) as Json[]).filter((parameter) => parameter.in === 'path');
      expect({ [operationKey({ method, path })]: parameters.map(({ name }) => name).sort() }).toEqual({
        [operationKey({ method, path })]: inPath,
      });
      for (const parameter of parameters) {
        expect(parameter).toMatchObject({ required: true, description: expect.stringMatching(/\w/) });
      }
    }
  });

  it("documents every optional query parameter's default and bounds as the service applies them", async () => {
    const withQuery = documentedOperations().filter(({ operation: documented }) =>
      ((documented.parameters ?? []) as Json[]).some((parameter) => parameter.in === 'query' && !parameter.required),
    );
    const identifierParameters = (documented: Json) =>
      ((documented.parameters ?? []) as Json[]).filter((parameter) => ['group', 'user'].includes(parameter.name));
    expect(
      withQuery.filter(({ operation: documented }) => identifierParameters(documented).length > 0).map(operationKey),
    ).toEqual(['GET /api/security/forward-auth', 'HEAD /api/security/forward-auth']);
    const paged = withQuery.filter(({ operation: documented }) => identifierParameters(documented).length === 0);
    expect(paged.map(operationKey).sort()).toEqual([
      'GET /api/security/groups/{groupIdentifier}/groups',
      'GET /api/security/groups/{groupIdentifier}/users',
      'GET /api/security/users/{userIdentifier}/groups',
    ]);
    for (const { method, path, operation: documented } of paged) {
      const answered = EXCHANGES.find(
        (exchange) => operationKey(exchange) === operationKey({ method, path }) && exchange.status === 200,
      )!;
      const ask = async (query?: string) => {
        const response = await send({ ...answered, query });
        return { status: response.status, body: response.body as Json };
      };
      const omitted = await ask();
      expect(omitted.status).toBe(200);
      for (const parameter of (documented.parameters as Json[]).filter((candidate) => candidate.in === 'query')) {
        const key = `${operationKey({ method, path })} ?${parameter.name}`;
        const { schema } = parameter;
        expect({ [key]: parameter }).toMatchObject({
          [key]: { required: false, description: expect.stringMatching(/\w/) },
        });
        expect({ [key]: await ask(`${parameter.name}=${schema.default}`) }).toEqual({ [key]: omitted });
        const refused = (value: unknown) => ({ value, status: 400, parameter: parameter.name });
        const answer = async (value: unknown) => {
          const { status, body } = await ask(`${parameter.name}=${String(value)}`);
          return status === 400 ? { value, status, parameter: body.data?.parameter } : { value, status };
        };
        const bounds =
          schema.type === 'boolean'
            ? [
                [true, { value: true, status: 200 }],
                [false, { value: false, status: 200 }],
                ['yes', refused('yes')],
              ]
            : [
                [schema.minimum, { value: schema.minimum, status: 200 }],
                [schema.minimum - 1, refused(schema.minimum - 1)],
                ...(schema.maximum === undefined
                  ? []
                  : [
                      [schema.maximum, { value: schema.maximum, status: 200 }],
                      [schema.maximum + 1, refused(schema.maximum + 1)],
                    ]),
              ];
        for (const [value, expected] of bounds) {
          expect({ [key]: await answer(value) }).toEqual({ [key]: expected });
        }
      }
    }
  });

  it("answers a member's 204 for every combination of the documented identifier examples", async () => {
    const parameters = Object.fromEntries(
      (operation({ method: 'head', path: CHECK }).parameters as Json[]).map((parameter) => [parameter.name, parameter]),
    );
    const users = Object.entries(parameters.userIdentifier.examples as Json);
    const groups = Object.entries(parameters.groupIdentifiers.examples as Json);
    expect(users.map(([kind]) => kind).sort()).toEqual(['email', 'id', 'username']);
    expect(groups.map(([kind]) => kind).sort()).toEqual(['comma', 'id', 'list', 'name']);
    expect(parameters.groupIdentifiers).toMatchObject({ style: 'simple', explode: false, schema: { type: 'array' } });
    for (const [userKind, user] of users) {
      for (const [groupKind, group] of groups) {
        const response = await send({
          method: 'head',
          path: CHECK,
          status: 204,
          as: ADMIN,
          params: { userIdentifier: asSent(user.value), groupIdentifiers: asSent(group.value) },
        });
        expect({ userKind, groupKind, status: response.status }).toEqual({ userKind, groupKind, status: 204 });
      }
    }
  });

  it("answers every operation's success to every combination of its path parameters' examples, with its query's", async () => {
    for (const { method, path, operation: documented } of documentedOperations()) {
      const inPath = ((documented.parameters ?? []) as Json[]).filter((parameter) => parameter.in === 'path');
      // Form style, exploded, as Swagger UI sends a query parameter's first example: name=value, once per item.
      const query = ((documented.parameters ?? []) as Json[])
        .filter((parameter) => parameter.in === 'query' && parameter.examples !== undefined)
        .flatMap((parameter) =>
          [Object.values(parameter.examples as Json)[0].value]
            .flat()
            .map((value: string) => `${parameter.name}=${encodeURIComponent(value)}`),
        )
        .join('&');
      const success = Object.keys(documented.responses as Json).find((status) => status.startsWith('2'));
      let combinations: Record<string, string>[] = [{}];
      for (const parameter of inPath) {
        const values = Object.values((parameter.examples ?? {}) as Json).map((example) => asSent(example.value));
        expect({ [`${operationKey({ method, path })} ${parameter.name}`]: values.length > 0 }).toEqual({
          [`${operationKey({ method, path })} ${parameter.name}`]: true,
        });
        combinations = combinations.flatMap((params) =>
          values.map((value) => ({ ...params, [parameter.name]: value })),
        );
      }
      for (const params of inPath.length === 0 && query === '' ? [] : combinations) {
        const response = await send({
          method: method as Method,
          path,
          status: Number(success),
          as: ADMIN,
          params,
          query: query === '' ? undefined : query,
        });
        const key = `${operationKey({ method, path })} ${JSON.stringify(params)}`;
        expect({ [key]: response.status }).toEqual({ [key]: Number(success) });
      }
    }
  });

  it('passes an OpenAPI validator', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it("names every operation for what it does, and gives the package's version and license and this service as server", () => {
    expect(
      Object.fromEntries(documentedOperations().map((entry) => [operationKey(entry), entry.operation.operationId])),
    ).toEqual({
      'HEAD /api/security/users/{userIdentifier}/groups/{groupIdentifiers}': 'checkMembership',
      'GET /api/security/users/{userIdentifier}/groups/{groupIdentifiers}': 'explainMembership',
      'HEAD /api/security/groups/{groupIdentifier}/users/{userIdentifier}': 'hasUser',
      'GET /api/security/users/{userIdentifier}': 'getUser',
      'GET /api/security/users/{userIdentifier}/groups': 'listUserGroups',
      'GET /api/security/groups/{groupIdentifier}': 'getGroup',
      'GET /api/security/groups/{groupIdentifier}/users': 'listGroupUsers',
      'GET /api/security/groups/{groupIdentifier}/groups': 'listGroupGroups',
      'GET /api/security/forward-auth': 'forwardAuth',
      'HEAD /api/security/forward-auth': 'forwardAuthHead',
      'GET /health/live': 'live',
      'GET /health/ready': 'ready',
    });
    expect(document.info).toMatchObject({ version, license: { name: 'UNLICENSED' } });
    expect(document.servers).toEqual([{ url: '/', description: 'This service' }]);
  });

  it('serves the UI without credentials: the page and every file it loads', async () => {
    const server = instances.demo.getHttpServer();
    const page = await request(server).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.text.matchAll(/(?:href|src)="([^"]+)"/g)].map(
      (match) => new URL(match[1], 'http://service/api/docs').pathname,
    );
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui-init.js']));
    for (const asset of assets) {
      expect({ asset, status: (await request(server).get(asset)).status }).toEqual({ asset, status: 200 });
    }
    const init = await request(server).get('/api/docs/swagger-ui-init.js');
    expect(init.text).toContain(JSON.stringify(operation({ method: 'head', path: CHECK }).operationId));
  });
});

/** A documented example as Swagger UI sends it in a path: each item percent-encoded once, an array's joined by ",". */
function asSent(example: string | string[]): string {
  return (Array.isArray(example) ? example : [example]).map(encodeURIComponent).join(',');
}

function headerValue(response: request.Response, name: string): unknown {
  const value = response.headers[name.toLowerCase()];
  return name === 'Retry-After' && value !== undefined && /^\d+$/.test(value) ? Number(value) : value;
}

/** The data.reason values an error response's schema allows. */
function documentedReasons(schema: Json): string[] {
  const parts: Json[] = [schema, ...((schema.allOf as Json[] | undefined) ?? [])];
  const reasons = parts.flatMap(
    (part) => (part.properties?.data?.properties?.reason?.enum as string[] | undefined) ?? [],
  );
  return [...new Set(reasons)].sort();
}

import { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Pool } from 'undici';
import { demoEnvironment } from '@test/support/demo-directory';
import { CallerCase, callerCases, CheckCase, checkCases } from '@test/support/membership-arbitraries';
import { Expectation, MembershipOracle, OracleGroup } from '@test/support/membership-oracle';
import { basic } from '@test/support/basic';
import { startSecurityApi } from '@test/support/security-api';
import { DEMO, DEMO_LDIF, Slapd } from '@test/support/slapd';

const HOSTILE_LDIF = resolve(__dirname, '../ldap/hostile-names.ldif');
const ADMIN = basic('sysadmin', 'admin-secret');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Each run is a batch of checks sent at once to both services, so the concurrency is bounded by the batch size.
const RUNS = Number(process.env.FUZZ_RUNS ?? 350);
const BATCH = { minLength: 1, maxLength: 10 } as const;
/** Longer lists are the ones of about MAX_GROUPS_PER_CHECK items, mostly repeats: not counted towards the 10,000. */
const SHORT_LIST = 12;
// A random seed covers more inputs over many CI runs; the seed is printed, and FUZZ_SEED replays a run exactly.
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (Math.random() * 2 ** 31) | 0;
// Far beyond LDAP_TIMEOUT_MS (2 s here), after which the service answers 503 itself: only a hang reaches it.
const REQUEST_TIMEOUT_MS = 10_000;

// A 409 names at most this many candidates (the service reads no more; docs/api.md says so).
const CANDIDATES_NAMED = 20;
// Ids that more than CANDIDATES_NAMED other entries hold as a name or email (hostile-names.ldif).
const NEEDLE = 'f0220000-0000-4000-8000-0000000000ff';
const PINPOINT = 'f0220000-0000-4000-8000-0000000000fe';

// The limits are the contract's defaults, set explicitly on both sides so that neither depends on the other's code.
// Failed logins are fuzzed too: the throttle is opened wide, or it would answer 429 before the directory is asked.
const LIMITS = {
  MAX_GROUPS_PER_CHECK: '100',
  MAX_NESTING_DEPTH: '32',
  LOGIN_FAILURES_PER_LOGIN: '1000',
  LOGIN_FAILURES_PER_ADDRESS: '100000',
} as const;
const CALLER_RUNS = Math.ceil(RUNS / 3);
/** The demo directory's passwords, by uid, from the table at the top of demo.ldif (the LDIF holds only hashes). */
const PASSWORDS: Readonly<Record<string, string>> = {
  tdurden: 'soap-maker',
  narrator: 'insomnia',
  msinger: 'support-groups',
  rpaulson: 'his-name-is',
  sysadmin: 'admin-secret',
  opsadmin: 'ops-secret',
  angelface: 'angel-secret',
  'angel@fightclub.com': 'impostor-secret',
  '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f': 'lookalike-secret',
  jürgen: 'jurgen-secret',
};

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

interface Service {
  readonly name: string;
  readonly app: NestExpressApplication;
  readonly pool: Pool;
}

interface Tally {
  requests: number;
  identifiers: number;
  /** Without the lists of about MAX_GROUPS_PER_CHECK items. */
  identifiersInShortLists: number;
  decided: number;
  undecidable: number;
  byExpectation: Record<string, number>;
  byStatus: Record<number, number>;
}

describe('the membership check, fuzzed against a real directory and an oracle built from its LDIF', () => {
  let slapd: Slapd;
  const services: Service[] = [];
  const oracle = MembershipOracle.fromLdif([DEMO_LDIF, HOSTILE_LDIF], {
    userObjectClass: 'inetOrgPerson',
    groupObjectClass: 'groupOfNames',
    userBaseDn: DEMO.baseDn,
    groupBaseDn: `ou=groups,${DEMO.baseDn}`,
    maxGroups: Number(LIMITS.MAX_GROUPS_PER_CHECK),
    maxIdentifierLength: 256,
    maxNestingDepth: Number(LIMITS.MAX_NESTING_DEPTH),
  });

  async function startService(name: string, overrides: Record<string, string>): Promise<void> {
    const { app } = await startSecurityApi(demoEnvironment(slapd.url, { ...LIMITS, ...overrides }));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const pool = new Pool(`http://127.0.0.1:${port}`, {
      connections: BATCH.maxLength,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    services.push({ name, app, pool });
  }

  beforeAll(async () => {
    slapd = await Slapd.start([DEMO_LDIF, HOSTILE_LDIF]);
    // With caches (the default) a repeated identifier is answered from memory; without, every check reaches slapd.
    // The fixture never changes, so both must give the oracle's answer, and the same answer as each other.
    await startService('cached', {});
    await startService('uncached', { DIRECTORY_STALENESS_MS: '0' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      services.map(async ({ app, pool }) => {
        await pool.close();
        await app.close();
      }),
    );
    await slapd?.destroy();
  });

  it("the oracle knows the fixture's documented facts", () => {
    const user = (value: string) => {
      const lookup = oracle.findUser(value);
      if (lookup.kind !== 'found') {
        throw new Error(`${value}: ${lookup.kind}`);
      }
      return lookup.entry;
    };
    const path = (user: string, groups: string) => oracle.expect(user, groups);

    expect(oracle.users.length).toBeGreaterThan(15);
    expect(oracle.groups.length).toBeGreaterThan(50);
    expect(user('9f02a3d1-d8eb-4b10-8ed6-293a11d5201f').usernames).toEqual(['tdurden']);
    expect(user('angel@fightclub.com').emails).toEqual(['impostor@fightclub.com']);
    expect(user('  SPACED OUT ').usernames).toEqual(['spaced  out']);
    expect(oracle.findUser('bob').kind).toBe('ambiguous');
    expect(oracle.findUser('ｔｄｕｒｄｅｎ').kind).toBe('undecidable');
    expect(path('tdurden', 'Paper%20Street%20Soap%20Company')).toMatchObject({
      status: 'member',
      matches: [{ depth: 2 }],
    });
    expect(path('rpaulson', 'paper%20street%20soap%20company')).toMatchObject({
      status: 'member',
      matches: [{ depth: 6 }],
    });
    expect(path('narrator', 'Paper%20Street%20Soap%20Company')).toMatchObject({ status: 'member' });
    expect(path('narrator', 'System%20Administrators')).toEqual({ status: 404, reason: 'NOT_A_MEMBER' });
    expect(path('tdurden', 'Smith%2C%20Jones')).toMatchObject({ status: 'member' });
    expect(path('tdurden', 'Smith,%20Jones')).toEqual({ status: 404, reason: 'GROUP_NOT_FOUND' });
    expect(path('star*user', 'a)(b')).toMatchObject({ status: 'member', matches: [{ depth: 2 }] });
    expect(path('tdurden', '(cn=*)')).toMatchObject({ status: 'member', matches: [{ depth: 3 }] });
    expect(path('tdurden', '772e426e-06b8-4177-9589-166c4ab82a54')).toEqual({ status: 404, reason: 'NOT_A_MEMBER' });
    expect(path('deepdiver', 'Depth%2032')).toMatchObject({ status: 'member', matches: [{ depth: 32 }] });
    expect(path('deepdiver', 'Depth%2033')).toEqual({ status: 404, reason: 'NOT_A_MEMBER' });
    expect(path('msinger', 'echo%20chamber')).toMatchObject({ status: 409 });
    expect(path('nobody', 'Loners')).toEqual({ status: 404, reason: 'USER_NOT_FOUND' });
    expect(oracle.findUser('crowd@fightclub.com')).toMatchObject({ kind: 'ambiguous', candidates: { length: 21 } });
    expect(path('pinpoint', NEEDLE)).toMatchObject({ status: 'member', matches: [{ depth: 1 }] });
    expect(path(PINPOINT, 'Needle')).toMatchObject({ status: 'member', matches: [{ depth: 1 }] });
    expect(path('tdurden', 'Loners,%E9')).toEqual({ status: 400, problems: new Set(['BAD_ENCODING']) });
    expect(path('tdurden', 'Loners,,a%00')).toEqual({ status: 400, problems: new Set(['EMPTY', 'CONTROL_CHARACTER']) });
  });

  it(
    'every generated check gets the answer the oracle expects, cached or not, and never a 5xx or a hang',
    async () => {
      const tally: Tally = {
        requests: 0,
        identifiers: 0,
        identifiersInShortLists: 0,
        decided: 0,
        undecidable: 0,
        byExpectation: {},
        byStatus: {},
      };
      const count = (record: Record<string | number, number>, key: string | number) =>
        (record[key] = (record[key] ?? 0) + 1);

      await fc.assert(
        fc.asyncProperty(fc.array(checkCases(oracle), BATCH), async (batch) => {
          const answers = await Promise.all(
            batch.map((check) => Promise.all(services.map((service) => ask(service, check)))),
          );
          batch.forEach((check, index) => {
            const expectation = oracle.expect(check.rawUser, check.rawGroups);
            const listed = check.rawGroups.split(',').length;
            tally.identifiers += 1 + listed;
            tally.identifiersInShortLists += listed <= SHORT_LIST ? 1 + listed : 0;
            count(tally.byExpectation, describeExpectation(expectation));
            if (expectation.status === 'undecidable') {
              tally.undecidable++;
            } else {
              tally.decided++;
            }
            for (const answer of answers[index]) {
              tally.requests++;
              count(tally.byStatus, answer.status);
              verify(check, expectation, answer);
            }
            expectSameAnswer(check, answers[index][0], answers[index][1]);
          });
        }),
        { numRuns: RUNS, seed: SEED },
      );

      const decidedFraction = tally.decided / (tally.decided + tally.undecidable);
      console.log(
        [
          `membership fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${RUNS} runs`,
          `${tally.requests} requests (each check to the cached and the uncached service), ${tally.identifiers} identifiers ` +
            `(${tally.identifiersInShortLists} in lists of up to ${SHORT_LIST} groups)`,
          `decided by the oracle: ${tally.decided} checks (${(decidedFraction * 100).toFixed(1)}%), undecidable: ${tally.undecidable}`,
          `expected: ${JSON.stringify(tally.byExpectation)}`,
          `answered: ${JSON.stringify(tally.byStatus)}`,
        ].join('\n'),
      );
      // Guards against a fuzz that silently stops exercising anything: most checks decided, every outcome seen.
      const scale = RUNS / 350;
      expect(tally.identifiersInShortLists).toBeGreaterThanOrEqual(10_000 * Math.min(1, scale));
      expect(decidedFraction).toBeGreaterThan(0.9);
      expect(tally.byExpectation.member).toBeGreaterThan(150 * scale);
      expect(tally.byExpectation['404 NOT_A_MEMBER']).toBeGreaterThan(100 * scale);
      expect(tally.byExpectation['404 USER_NOT_FOUND']).toBeGreaterThan(100 * scale);
      expect(tally.byExpectation['404 GROUP_NOT_FOUND']).toBeGreaterThan(10 * scale);
      expect(tally.byExpectation['409']).toBeGreaterThan(20 * scale);
      expect(tally.byExpectation['400']).toBeGreaterThan(100 * scale);
    },
    Math.max(120_000, RUNS * 1_000),
  );

  it(
    'every generated caller is refused (401), forbidden (403) or answered as the directory says, never a 5xx',
    async () => {
      const adminGroup = oracle.findGroup('System Administrators');
      const check: CheckCase = { method: 'HEAD', rawUser: 'tdurden', rawGroups: 'Liposuction%20Technicians' };
      if (adminGroup.kind !== 'found' || oracle.expect(check.rawUser, check.rawGroups).status !== 'member') {
        throw new Error('the fixture no longer has what this test relies on');
      }
      const tally: Record<string, number> = {};

      await fc.assert(
        fc.asyncProperty(fc.array(callerCases(oracle, PASSWORDS), BATCH), async (callers) => {
          const answers = await Promise.all(
            callers.map((caller) => {
              const headers: Record<string, string> =
                caller.header === undefined ? {} : { authorization: caller.header };
              return Promise.all(services.map((service) => ask(service, check, headers)));
            }),
          );
          callers.forEach((caller, index) => {
            const expected = expectedCaller(caller, adminGroup.entry, check.rawUser);
            tally[expected] = (tally[expected] ?? 0) + 1;
            const [cached, uncached] = answers[index];
            const allowed = {
              refused: [401],
              'not-an-admin': [403],
              admin: [204],
              themself: [204],
              undecidable: [401, 403, 204],
            }[expected];
            for (const answer of answers[index]) {
              const context = `Authorization ${JSON.stringify(caller.header)} (${JSON.stringify(caller.credentials)})`;
              if (!allowed.includes(answer.status)) {
                throw new Error(`${context}: expected ${expected}, got ${answer.status}`);
              }
              if (answer.status === 401 && !/^Basic realm="[^"]+"/.test(String(answer.headers['www-authenticate']))) {
                throw new Error(`${context}: a 401 without WWW-Authenticate: Basic realm="…"`);
              }
              if (answer.status >= 400 && !UUID.test(String(answer.headers['x-log-id']))) {
                throw new Error(`${context}: an error without an X-Log-Id`);
              }
            }
            if (cached.status !== uncached.status) {
              throw new Error(`${JSON.stringify(caller)}: cached ${cached.status} but uncached ${uncached.status}`);
            }
          });
        }),
        { numRuns: CALLER_RUNS, seed: SEED },
      );

      console.log(`caller fuzz: seed ${SEED}, ${CALLER_RUNS} runs, callers expected: ${JSON.stringify(tally)}`);
      const scale = CALLER_RUNS / 117;
      expect(tally.admin).toBeGreaterThan(20 * scale);
      expect(tally['not-an-admin']).toBeGreaterThan(20 * scale);
      expect(tally.refused).toBeGreaterThan(100 * scale);
    },
    Math.max(60_000, CALLER_RUNS * 1_000),
  );

  /**
   * What the service must make of an Authorization header, from the fixture: the login is a username or an email. A
   * caller who is not an administrator may still ask about themself (the check's user, by username here).
   */
  function expectedCaller(
    caller: CallerCase,
    adminGroup: OracleGroup,
    checkedUsername: string,
  ): 'refused' | 'not-an-admin' | 'admin' | 'themself' | 'undecidable' {
    if (caller.credentials === undefined) {
      return 'refused';
    }
    // RFC 7617: the user-id ends at the first colon.
    const colon = caller.credentials.indexOf(':');
    const login = caller.credentials.slice(0, colon);
    const password = caller.credentials.slice(colon + 1);
    if (login === '' || password === '' || /[\x00-\x1f\x7f-\x9f]/.test(login)) {
      return 'refused';
    }
    const found = oracle.findLogin(login);
    if (found.kind === 'undecidable') {
      return 'undecidable';
    }
    if (found.kind !== 'found' || PASSWORDS[found.entry.usernames[0]] !== password) {
      return 'refused';
    }
    if (oracle.depthsOf(found.entry).has(adminGroup)) {
      return 'admin';
    }
    return found.entry.usernames.includes(checkedUsername) ? 'themself' : 'not-an-admin';
  }

  // A lookup reads at most CANDIDATES_NAMED entries matching the id or the name (or email); when more entries than that
  // hold the id as a name, the one with the id may be left out of that answer, and must still win. The fuzz found this.
  it('an id wins over more than 20 entries that hold it as a name or an email', async () => {
    const [cached, uncached] = services;
    for (const service of [cached, uncached]) {
      expect((await ask(service, { method: 'HEAD', rawUser: 'pinpoint', rawGroups: NEEDLE })).status).toBe(204);
      expect((await ask(service, { method: 'HEAD', rawUser: PINPOINT, rawGroups: 'Needle' })).status).toBe(204);
    }
  });

  async function ask(
    service: Service,
    check: CheckCase,
    headers: Record<string, string> = { authorization: ADMIN },
  ): Promise<Answer> {
    const path = `/api/security/users/${check.rawUser}/groups/${check.rawGroups}`;
    try {
      const response = await service.pool.request({
        path,
        method: check.method,
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        headers: response.headers,
        body: text === '' ? undefined : JSON.parse(text),
      };
    } catch (error) {
      throw new Error(
        `${service.name}: ${check.method} ${path} got no answer within ${REQUEST_TIMEOUT_MS} ms: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  function verify(check: CheckCase, expectation: Expectation, answer: Answer): void {
    const context = `${check.method} users/${check.rawUser}/groups/${check.rawGroups}`;
    const fail = (why: string): never => {
      throw new Error(
        `${context}: ${why}; expected ${describeExpectation(expectation)}, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    };
    if (answer.headers['cache-control'] !== 'no-store') {
      fail('no Cache-Control: no-store');
    }
    if (answer.status >= 300) {
      checkErrorModel(check, answer, fail);
    }
    const body = answer.body as ErrorBody & MemberBody;
    switch (expectation.status) {
      case 'undecidable':
        if (![check.method === 'HEAD' ? 204 : 200, 404, 409].includes(answer.status)) {
          fail('a valid request must be answered 204/200, 404 or 409');
        }
        return;
      case 400:
        if (answer.status !== 400) {
          fail('wrong status');
        }
        if (
          check.method === 'GET' &&
          (body.data.reason !== 'INVALID_IDENTIFIER' || !expectation.problems.has(body.data.problem as never))
        ) {
          fail(`the problem is one of ${[...expectation.problems].join(', ')}`);
        }
        return;
      case 404:
        if (answer.status !== 404 || (check.method === 'GET' && body.data.reason !== expectation.reason)) {
          fail('wrong status or reason');
        }
        return;
      case 409: {
        if (answer.status !== 409) {
          fail('wrong status');
        }
        if (check.method === 'GET') {
          const named = expectation.ambiguous.find(({ identifier }) => identifier === body.data.identifier);
          const candidates = body.data.candidates ?? [];
          if (
            body.data.reason !== 'AMBIGUOUS_IDENTIFIER' ||
            !named ||
            candidates.length !== Math.min(named.candidateIds.length, CANDIDATES_NAMED) ||
            !isSubset(candidates, named.candidateIds)
          ) {
            fail('the ambiguous identifier and its candidates');
          }
        }
        return;
      }
      case 'member':
        if (answer.status !== (check.method === 'HEAD' ? 204 : 200)) {
          fail('wrong status');
        }
        if (check.method === 'HEAD') {
          if (answer.body !== undefined) {
            fail('HEAD answered with a body');
          }
          return;
        }
        checkExplanation(expectation, body, fail);
    }
  }

  function checkExplanation(
    expectation: Extract<Expectation, { status: 'member' }>,
    body: MemberBody,
    fail: (why: string) => never,
  ): void {
    const { user, matches } = expectation;
    const [nearest] = matches;
    if (
      body.member !== true ||
      body.user.id !== user.id ||
      !user.usernames.includes(body.user.username) ||
      (user.emails.length === 0 ? body.user.email !== null : !user.emails.includes(body.user.email ?? ''))
    ) {
      fail('the member is explained with the user');
    }
    if (body.matched.id !== nearest.group.id || !nearest.group.names.includes(body.matched.name)) {
      fail('matched is the nearest listed group, then the earliest listed');
    }
    if (body.path.length !== nearest.depth || body.path[body.path.length - 1]?.id !== nearest.group.id) {
      fail(`the path runs ${nearest.depth} levels up to the matched group`);
    }
    let below = user.dn;
    for (const step of body.path) {
      const listing = oracle.groupsListing(below).find((group) => group.id === step.id);
      if (!listing || !listing.names.includes(step.name)) {
        fail(`${step.name} (${step.id}) in the path does not list ${below}`);
      }
      below = listing?.dn ?? '';
    }
  }
});

interface ErrorBody {
  readonly logId: string;
  readonly type: string;
  readonly message: string;
  readonly data: {
    readonly reason: string;
    readonly problem?: string;
    readonly identifier?: string;
    readonly candidates?: string[];
  };
}

interface MemberBody {
  readonly member: boolean;
  readonly user: { readonly id: string; readonly username: string; readonly email: string | null };
  readonly matched: { readonly id: string; readonly name: string };
  readonly path: readonly { readonly id: string; readonly name: string }[];
}

function checkErrorModel(check: CheckCase, answer: Answer, fail: (why: string) => never): void {
  const logId = answer.headers['x-log-id'];
  if (typeof logId !== 'string' || !UUID.test(logId)) {
    fail('an error without an X-Log-Id');
  }
  if (check.method === 'HEAD') {
    if (answer.body !== undefined) {
      fail('HEAD answered with a body');
    }
    return;
  }
  const body = answer.body as ErrorBody;
  if (
    body?.type !== 'error' ||
    body.logId !== logId ||
    typeof body.message !== 'string' ||
    typeof body.data?.reason !== 'string'
  ) {
    fail('not the Error model');
  }
}

/** The cached and the uncached service must agree on every check, decidable or not (logIds aside). */
function expectSameAnswer(check: CheckCase, cached: Answer, uncached: Answer): void {
  const comparable = (answer: Answer) =>
    JSON.stringify({ status: answer.status, body: { ...(answer.body as object), logId: undefined } });
  if (comparable(cached) !== comparable(uncached)) {
    throw new Error(
      `${check.method} users/${check.rawUser}/groups/${check.rawGroups}: cached ${comparable(cached)} but uncached ${comparable(uncached)}`,
    );
  }
}

function describeExpectation(expectation: Expectation): string {
  switch (expectation.status) {
    case 404:
      return `404 ${expectation.reason}`;
    case 'undecidable':
      return 'undecidable';
    default:
      return String(expectation.status);
  }
}

function isSubset(some: readonly string[], all: readonly string[]): boolean {
  const known = new Set(all.map((value) => value.toLowerCase()));
  return new Set(some).size === some.length && some.every((value) => known.has(value.toLowerCase()));
}

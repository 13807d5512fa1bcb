import { NestExpressApplication } from '@nestjs/platform-express';
import { readFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { basic } from '@test/support/basic';
import { startCaddy } from '@test/support/caddy';
import { demoEnvironment } from '@test/support/demo-directory';
import { LOG_ID } from '@test/support/error-model';
import { freePort } from '@test/support/free-port';
import { caddyRecipe, GATEWAYS_PAGE, GatewayAddresses, nginxRecipe, recipe } from '@test/support/gateway-recipes';
import { startNginx } from '@test/support/nginx';
import { RecordingUpstream, UPSTREAM_ANSWER } from '@test/support/recording-upstream';
import { startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

/** The challenge the service sends with every 401, which a browser answers by asking for credentials. */
const CHALLENGE = 'Basic realm="security-api", charset="UTF-8"';

/** What the application learns about tdurden, a member of Paper Street Soap Company through Liposuction Technicians. */
const TDURDEN = {
  'remote-user': 'tdurden',
  'remote-name': 'Tyler Durden',
  'remote-email': 't.durden@fightclub.com',
};
/** His groups, direct and inherited, as Remote-Groups writes them: a comma in a name as %2C, UTF-8 percent-encoded. */
const TDURDEN_GROUPS = [
  'Caf%C3%A9 Soci%C3%A9t%C3%A9',
  'Liposuction Technicians',
  'Paper Street Soap Company',
  'Smith%2C Jones',
];

/** Demo users (test/ldap/README.md) and whether the recipes' group, Paper Street Soap Company, holds them. */
const MEMBERS = [
  { login: 'tdurden', password: 'soap-maker' },
  { login: 'rpaulson', password: 'his-name-is' }, // six groups down
  { login: 'narrator', password: 'insomnia' }, // through the Fight Club ↔ Project Mayhem cycle
];
const NON_MEMBERS = [
  { login: 'msinger', password: 'support-groups' },
  { login: 'angelface', password: 'angel-secret' },
];

/** A gateway's whole answer, as the client received it. */
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Gateway {
  readonly origin: string;
  stop(): Promise<void>;
}

/**
 * Each recipe of docs/gateways.md, run as documented, and how each gateway answers a refusal of the service's: nginx
 * with a page of its own (the challenge copied from the service's 401), Caddy with the service's answer itself.
 */
const GATEWAYS = [
  {
    name: 'nginx (auth_request)',
    file: 'nginx.conf' as const,
    start: async (addresses: GatewayAddresses): Promise<Gateway> =>
      startNginx(await nginxRecipe(addresses), addresses.gatewayPort),
    expectRefusal(answer: Answer, status: 401 | 403): void {
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe('text/html');
      expect(answer.body).toContain(`<title>${status} ${status === 401 ? 'Authorization Required' : 'Forbidden'}`);
      expect(answer.headers['www-authenticate']).toBe(status === 401 ? CHALLENGE : undefined);
    },
  },
  {
    name: 'Caddy (forward_auth)',
    file: 'Caddyfile' as const,
    start: async (addresses: GatewayAddresses): Promise<Gateway> =>
      startCaddy(await caddyRecipe(addresses), addresses.gatewayPort),
    expectRefusal(answer: Answer, status: 401 | 403): void {
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['x-log-id']).toMatch(LOG_ID);
      expect(answer.headers['www-authenticate']).toBe(status === 401 ? CHALLENGE : undefined);
      expect(JSON.parse(answer.body)).toEqual({
        logId: answer.headers['x-log-id'],
        message: expect.any(String),
        data: { reason: status === 401 ? 'AUTHENTICATION_REQUIRED' : 'NOT_A_MEMBER' },
        type: 'error',
      });
    },
  },
];

describe('the service behind a gateway', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let upstream: RecordingUpstream;
  let service: string;

  beforeAll(async () => {
    slapd = await Slapd.start();
    ({ app } = await startSecurityApi(demoEnvironment(slapd.url)));
    await app.listen(0, '127.0.0.1');
    service = `127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    upstream = await RecordingUpstream.start();
  });

  afterAll(async () => {
    await upstream?.close();
    await app?.close();
    await slapd?.destroy();
  });

  beforeEach(() => upstream.clear());

  describe.each(GATEWAYS)('$name', ({ file, start, expectRefusal }) => {
    let gateway: Gateway;

    const send = async (path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> => {
      const response = await fetch(`${gateway.origin}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        body,
      });
      return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    };

    const expectApplicationAnswer = (answer: Answer): void => {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(answer.body).toBe(UPSTREAM_ANSWER);
    };

    /** The identity headers of the one request the application received; nothing else named like them reached it. */
    const identityReceived = () => {
      expect(upstream.requests).toHaveLength(1);
      const { headers } = upstream.requests[0];
      const named = Object.keys(headers).filter((name) => /^remote[-_]/.test(name));
      expect(named.sort()).toEqual(['remote-email', 'remote-groups', 'remote-name', 'remote-user']);
      expect(headers.authorization).toBeUndefined();
      return {
        user: {
          'remote-user': headers['remote-user'],
          'remote-name': headers['remote-name'],
          'remote-email': headers['remote-email'],
        },
        groups: String(headers['remote-groups']).split(',').sort(),
      };
    };

    beforeAll(async () => {
      gateway = await start({ service, application: upstream.address, gatewayPort: await freePort() });
    });

    afterAll(async () => {
      await gateway?.stop();
    });

    it('runs the very recipe that docs/gateways.md shows', async () => {
      expect(await readFile(GATEWAYS_PAGE, 'utf8')).toContain(`\n${await recipe(file)}\`\`\``);
    });

    it('lets a member through to the application, which learns who they are from the Remote-* headers', async () => {
      expectApplicationAnswer(await send('/reports?year=1999', { Authorization: basic('tdurden', 'soap-maker') }));

      expect(upstream.requests).toEqual([expect.objectContaining({ method: 'GET', url: '/reports?year=1999' })]);
      expect(identityReceived()).toEqual({ user: TDURDEN, groups: TDURDEN_GROUPS });
    });

    it.each(['t.durden@fightclub.com', 'TDurden'])(
      'names a member by their username when they log in as %s',
      async (login) => {
        expectApplicationAnswer(await send('/', { Authorization: basic(login, 'soap-maker') }));

        expect(identityReceived()).toEqual({ user: TDURDEN, groups: TDURDEN_GROUPS });
      },
    );

    it('never lets an identity header the client sent reach the application', async () => {
      const forged = {
        'Remote-User': 'sysadmin',
        'Remote-Name': 'System Administrator',
        'Remote-Email': 'sysadmin@fightclub.com',
        'Remote-Groups': 'System Administrators',
        Remote_User: 'sysadmin',
      };

      expectApplicationAnswer(await send('/', { ...forged, Authorization: basic('tdurden', 'soap-maker') }));

      expect(identityReceived()).toEqual({ user: TDURDEN, groups: TDURDEN_GROUPS });
    });

    it("keeps a member's request body for the application", async () => {
      const form = 'soap=1&recipe=secret';

      expectApplicationAnswer(await send('/orders', { Authorization: basic('tdurden', 'soap-maker') }, form));

      expect(upstream.requests).toEqual([expect.objectContaining({ method: 'POST', url: '/orders', body: form })]);
    });

    it('refuses an authenticated user who is not a member with 403, and never calls the application', async () => {
      expectRefusal(await send('/reports', { Authorization: basic('msinger', 'support-groups') }), 403);

      expect(upstream.requests).toEqual([]);
    });

    it("asks about the recipe's group only, whatever groups the client's query names", async () => {
      const answer = await send('/reports?group=Loners', {
        Authorization: basic('msinger', 'support-groups'),
      });

      expectRefusal(answer, 403);
      expect(upstream.requests).toEqual([]);
    });

    it('challenges a request without credentials with 401, and never calls the application', async () => {
      expectRefusal(await send('/reports'), 401);

      expect(upstream.requests).toEqual([]);
    });

    it('refuses a wrong password with 401, and never calls the application', async () => {
      expectRefusal(await send('/reports', { Authorization: basic('angelface', 'wrong-password') }), 401);

      expect(upstream.requests).toEqual([]);
    });

    it('answers each of 100 concurrent requests, from members and non-members, as the directory says', async () => {
      const users = [...MEMBERS, ...NON_MEMBERS];
      const requests = Array.from({ length: 100 }, (_, index) => ({ index, ...users[index % users.length] }));

      const answers = await Promise.all(
        requests.map(({ index, login, password }) =>
          send(`/burst/${index}`, { Authorization: basic(login, password) }),
        ),
      );

      const isMember = (login: string) => MEMBERS.some((member) => member.login === login);
      requests.forEach(({ index, login }) =>
        isMember(login) ? expectApplicationAnswer(answers[index]) : expectRefusal(answers[index], 403),
      );
      const received = upstream.requests.map(({ url, headers }) => ({ url, user: headers['remote-user'] }));
      const expected = requests
        .filter(({ login }) => isMember(login))
        .map(({ index, login }) => ({ url: `/burst/${index}`, user: login }));
      expect(received.sort(byUrl)).toEqual(expected.sort(byUrl));
    });
  });
});

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url.localeCompare(b.url);
}

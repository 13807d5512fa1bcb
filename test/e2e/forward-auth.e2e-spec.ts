import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { basic } from '@test/support/basic';
import { demoEnvironment, IDS } from '@test/support/demo-directory';
import { expectErrorModel } from '@test/support/error-model';
import { freePort } from '@test/support/free-port';
import { CapturedLogs, startSecurityApi } from '@test/support/security-api';
import { DEMO, Slapd } from '@test/support/slapd';

const FORWARD_AUTH = '/api/security/forward-auth';
const TYLER = basic('tdurden', 'soap-maker');
const MARLA = basic('msinger', 'support-groups');
const ADMIN = basic('sysadmin', 'admin-secret');
const PAPER_STREET = 'group=Paper%20Street%20Soap%20Company';
const CHALLENGE = 'Basic realm="security-api", charset="UTF-8"';
const JURGEN_DN_BASE64 = Buffer.from(`uid=jürgen,ou=people,${DEMO.baseDn}`).toString('base64');

describe('forward-auth: the gateway asks whether a request may pass', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let logs: CapturedLogs;
  let directoryDown: NestExpressApplication;

  const ask = (query: string, authorization?: string, method: 'get' | 'head' = 'get') => {
    const pending = request(app.getHttpServer())[method](`${FORWARD_AUTH}?${query}`);
    return authorization === undefined ? pending : pending.set('Authorization', authorization);
  };

  /** A refusal: 403 with the Error model (GET) and the reason, never a status a gateway would take for an error. */
  const expectRefused = (response: request.Response, reason: string) => {
    expectErrorModel(response, 403, reason);
    expect(response.headers['remote-user']).toBeUndefined();
  };

  beforeAll(async () => {
    slapd = await Slapd.start();
    await slapd.asRoot(
      'ldapmodify',
      [],
      `dn: cn=Loners,ou=groups,${DEMO.baseDn}\nchangetype: modify\nadd: member\nmember:: ${JURGEN_DN_BASE64}\n`,
    );
    ({ app, logs } = await startSecurityApi(
      demoEnvironment(slapd.url, { LOGIN_FAILURES_PER_LOGIN: '2', LOGIN_FAILURE_WINDOW_SECONDS: '30' }),
    ));
    ({ app: directoryDown } = await startSecurityApi(demoEnvironment(`ldap://127.0.0.1:${await freePort()}`)));
  });

  afterAll(async () => {
    await app?.close();
    await directoryDown?.close();
    await slapd?.destroy();
  });

  it('lets a member pass with 200, no body, and who they are in the Remote-* headers', async () => {
    const response = await ask(PAPER_STREET, TYLER);

    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers).toMatchObject({
      'remote-user': 'tdurden',
      'remote-name': 'Tyler Durden',
      'remote-email': 't.durden@fightclub.com',
      'cache-control': 'no-store',
      'x-log-id': expect.any(String),
    });
    const groups = response.headers['remote-groups'].split(',');
    expect(groups).toEqual(
      expect.arrayContaining(['Liposuction Technicians', 'Paper Street Soap Company', 'Smith%2C Jones']),
    );
  });

  it('answers HEAD alike, with the headers', async () => {
    const response = await ask(PAPER_STREET, TYLER, 'head');
    expect(response.status).toBe(200);
    expect(response.headers['remote-user']).toBe('tdurden');
    expect(response.headers['remote-groups']).toContain('Paper Street Soap Company');
  });

  it('names the user canonically whatever login was typed: email, or another case', async () => {
    for (const login of ['t.durden@fightclub.com', 'TDurden', 'T.DURDEN@FIGHTCLUB.COM']) {
      const response = await ask(PAPER_STREET, basic(login, 'soap-maker'));
      expect({ login, status: response.status, user: response.headers['remote-user'] }).toEqual({
        login,
        status: 200,
        user: 'tdurden',
      });
    }
  });

  it('writes what is not printable ASCII as percent-encoded UTF-8', async () => {
    const response = await ask('group=Loners', basic('jürgen', 'jurgen-secret'));
    expect(response.status).toBe(200);
    expect(response.headers['remote-user']).toBe('j%C3%BCrgen');
    expect(decodeURIComponent(response.headers['remote-name'])).toBe('Jürgen Groß');
  });

  it('takes each group value whole (a comma is part of the name) and several as OR, by name or id', async () => {
    expect((await ask('group=Smith,%20Jones', TYLER)).status).toBe(200);
    expect((await ask('group=Loners&group=Paper+Street+Soap+Company', TYLER)).status).toBe(200);
    expect((await ask(`group=${IDS.paperStreetSoapCompany}`, TYLER)).status).toBe(200);
    expectRefused(await ask('group=Smith&group=Jones', TYLER), 'GROUP_NOT_FOUND');
  });

  it('refuses with 403 a user in none of the groups, an unknown group and an ambiguous one, never 404 or 409', async () => {
    expectRefused(await ask(PAPER_STREET, MARLA), 'NOT_A_MEMBER');
    expectRefused(await ask('group=No%20Such%20Group', TYLER), 'GROUP_NOT_FOUND');
    expectRefused(await ask('group=Support%20Group', TYLER), 'AMBIGUOUS_IDENTIFIER');
    const head = await ask(PAPER_STREET, MARLA, 'head');
    expect({ status: head.status, body: head.text ?? '' }).toEqual({ status: 403, body: '' });
  });

  it('asks for credentials with 401 and the Basic challenge when there are none or they are wrong', async () => {
    for (const authorization of [undefined, basic('tdurden', 'wrong'), 'Bearer abc', basic('nobody', 'x')]) {
      const response = await ask(PAPER_STREET, authorization);
      expectErrorModel(response, 401, 'AUTHENTICATION_REQUIRED');
      expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    }
  });

  it('answers a trusted gateway asking about someone else, as an administrator, for that user', async () => {
    const response = await ask(`${PAPER_STREET}&user=${IDS.tdurden}`, ADMIN);
    expect(response.status).toBe(200);
    expect(response.headers['remote-user']).toBe('tdurden');
    expectRefused(await ask(`${PAPER_STREET}&user=msinger`, ADMIN), 'NOT_A_MEMBER');
    expectRefused(await ask(`${PAPER_STREET}&user=nobody`, ADMIN), 'USER_NOT_FOUND');
  });

  it("reads no further than a path parameter, where Envoy appends the client's own path and query", async () => {
    expectRefused(await ask(`${PAPER_STREET}&path=/app?x=1&group=Loners`, MARLA), 'NOT_A_MEMBER');
    expect((await ask('group=Loners&path=/app?x=1&group=Paper+Street+Soap+Company', MARLA)).status).toBe(200);
    const asAdmin = await ask('group=System%20Administrators&path=/app?user=tdurden&user=tdurden', ADMIN);
    expect({ status: asAdmin.status, user: asAdmin.headers['remote-user'] }).toEqual({ status: 200, user: 'sysadmin' });
  });

  it('refuses with 403 a caller outside ADMIN_GROUP who names a user, even themself', async () => {
    expectRefused(await ask(`${PAPER_STREET}&user=msinger`, TYLER), 'NOT_AN_ADMINISTRATOR');
    expectRefused(await ask(`${PAPER_STREET}&user=tdurden`, TYLER), 'NOT_AN_ADMINISTRATOR');
  });

  it('answers 400 for a question no gateway should ask: no group, an empty one, a user twice', async () => {
    expectErrorModel(await ask('', TYLER), 400, 'INVALID_QUERY_PARAMETER');
    expectErrorModel(await ask('group=', TYLER), 400, 'INVALID_IDENTIFIER');
    expectErrorModel(await ask(`group=${'x'.repeat(257)}`, TYLER), 400, 'INVALID_IDENTIFIER');
    expectErrorModel(await ask(`${PAPER_STREET}&user=a&user=b`, ADMIN), 400, 'INVALID_QUERY_PARAMETER');
  });

  it('refuses a throttled login with 403 and Retry-After, a status gateways pass on', async () => {
    const angel = (password: string) => ask('group=Loners', basic('angelface', password));
    expect((await angel('guess-1')).status).toBe(401);
    expect((await angel('guess-2')).status).toBe(401);
    const throttled = await angel('angel-secret');
    expectRefused(throttled, 'TOO_MANY_FAILED_LOGINS');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('logs who asked about whom, for which groups, and the answer, without the password', async () => {
    const member = await ask(`${PAPER_STREET}&group=Loners`, basic('T.Durden@fightclub.com', 'soap-maker'));
    const refused = await ask(`group=Loners&user=rpaulson`, ADMIN);
    expect(logs.withLogId(member.headers['x-log-id'])).toEqual([
      expect.objectContaining({
        status: 200,
        caller: 'tdurden',
        asked: { user: 'tdurden', groups: ['Paper Street Soap Company', 'Loners'] },
        answer: 'member',
      }),
    ]);
    expect(logs.withLogId(refused.headers['x-log-id'])).toEqual([
      expect.objectContaining({
        status: 403,
        caller: 'sysadmin',
        asked: { user: 'rpaulson', groups: ['Loners'] },
        answer: 'NOT_A_MEMBER',
      }),
    ]);
    expect(logs.containing('soap-maker')).toEqual([]);
  });

  it('answers 503 with Retry-After while the directory is down', async () => {
    const response = await request(directoryDown.getHttpServer())
      .get(`${FORWARD_AUTH}?${PAPER_STREET}`)
      .set('Authorization', TYLER);
    expectErrorModel(response, 503, 'DIRECTORY_UNAVAILABLE');
    expect(response.headers['retry-after']).toBeDefined();
  });
});

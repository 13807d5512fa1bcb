import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { basic } from '@test/support/basic';
import { demoEnvironment } from '@test/support/demo-directory';
import { CapturedLogs, LogRecord, startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

const PASSWORDS = { sysadmin: 'admin-secret', 'ops.admin@fightclub.com': 'ops-secret', tdurden: 'soap-maker' };
const as = (login: keyof typeof PASSWORDS): string => basic(login, PASSWORDS[login]);

/** "Who asked what, and what was answered", from the request line alone. */
describe('the request line as an audit trail', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let logs: CapturedLogs;

  const lineOf = (response: request.Response): LogRecord[] => logs.withLogId(response.headers['x-log-id']);

  beforeAll(async () => {
    slapd = await Slapd.start();
    ({ app, logs } = await startSecurityApi(demoEnvironment(slapd.url)));
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('names the caller, the question and the answer "member" for a member', async () => {
    const response = await request(app.getHttpServer())
      .head('/api/security/users/tdurden/groups/Paper%20Street%20Soap%20Company')
      .set('Authorization', as('sysadmin'));

    expect(response.status).toBe(204);
    expect(lineOf(response)).toEqual([
      expect.objectContaining({
        status: 204,
        caller: 'sysadmin',
        asked: { user: 'tdurden', groups: ['Paper Street Soap Company'] },
        answer: 'member',
      }),
    ]);
  });

  it('names the answer of a non-member by its reason, with the identifiers as decoded', async () => {
    const response = await request(app.getHttpServer())
      .head("/api/security/users/t.durden%40fightclub.com/groups/Lou's%20Tavern%20Regulars,Smith%2C%20Nobody")
      .set('Authorization', as('sysadmin'));

    expect(response.status).toBe(404);
    expect(lineOf(response)).toEqual([
      expect.objectContaining({
        status: 404,
        caller: 'sysadmin',
        asked: { user: 't.durden@fightclub.com', groups: ["Lou's Tavern Regulars", 'Smith, Nobody'] },
        answer: 'NOT_A_MEMBER',
        reason: 'NOT_A_MEMBER',
      }),
    ]);
  });

  it('names the caller by username, whichever login they typed, on GET and on the mirror check', async () => {
    const explained = await request(app.getHttpServer())
      .get('/api/security/users/rpaulson/groups/No%20Such%20Group')
      .set('Authorization', as('ops.admin@fightclub.com'));
    const mirrored = await request(app.getHttpServer())
      .head('/api/security/groups/Liposuction%20Technicians/users/@current')
      .set('Authorization', as('tdurden'));

    expect([explained.status, mirrored.status]).toEqual([404, 204]);
    expect(lineOf(explained)).toEqual([
      expect.objectContaining({
        caller: 'opsadmin',
        asked: { user: 'rpaulson', groups: ['No Such Group'] },
        answer: 'GROUP_NOT_FOUND',
      }),
    ]);
    expect(lineOf(mirrored)).toEqual([
      expect.objectContaining({
        caller: 'tdurden',
        asked: { user: '@current', groups: ['Liposuction Technicians'] },
        answer: 'member',
      }),
    ]);
  });

  it('names the caller refused as not an administrator, before anything was asked', async () => {
    const response = await request(app.getHttpServer())
      .head('/api/security/users/sysadmin/groups/Loners')
      .set('Authorization', as('tdurden'));

    expect(response.status).toBe(403);
    const [line] = lineOf(response);
    expect(line).toMatchObject({ caller: 'tdurden', reason: 'NOT_AN_ADMINISTRATOR' });
    expect(line).not.toHaveProperty('asked');
    expect(line).not.toHaveProperty('answer');
  });

  it('names no caller when nobody authenticated', async () => {
    const response = await request(app.getHttpServer())
      .head('/api/security/users/tdurden/groups/Loners')
      .set('Authorization', basic('sysadmin', 'not-the-password'));

    expect(response.status).toBe(401);
    const [line] = lineOf(response);
    expect(line).toMatchObject({ status: 401, reason: 'AUTHENTICATION_REQUIRED' });
    expect(line).not.toHaveProperty('caller');
    expect(line).not.toHaveProperty('asked');
  });

  it('never logs a password, nor the credentials as sent', () => {
    const log = logs.lines.join('\n');
    const secrets = [...Object.values(PASSWORDS), 'not-the-password'];
    for (const login of Object.keys(PASSWORDS) as (keyof typeof PASSWORDS)[]) {
      secrets.push(as(login).slice('Basic '.length));
    }

    expect(secrets.filter((secret) => log.includes(secret))).toEqual([]);
  });
});

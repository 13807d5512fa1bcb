import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { longestValidCheckPath } from '../../apps/security-api/src/requests/membership-query';
import { demoEnvironment } from '@test/support/demo-directory';
import { basic } from '@test/support/basic';
import { startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

const ADMIN = basic('sysadmin', 'admin-secret');
const MAX_GROUPS = 5;

describe('requests larger than any valid one', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;

  /**
   * What reached the directory while `send` ran, from slapd's own log. The caches' change-marker poll (a base read of
   * contextCSN, about once a second whatever the requests) is the service's housekeeping, not the request's work: an
   * operation that reads contextCSN is left out, every other one counts.
   */
  async function directoryWorkDuring(
    send: () => Promise<request.Response>,
  ): Promise<{ response: request.Response; operations: string[] }> {
    const before = (await slapd.logLines()).length;
    const response = await send();
    const lines = (await slapd.logLines()).slice(before);
    const operationOf = (line: string) => / (conn=\d+ op=\d+) /.exec(line)?.[1];
    const markerReads = new Set(lines.filter((line) => / SRCH attr=contextCSN$/.test(line)).map(operationOf));
    const operations = lines.filter((line) => operationOf(line) !== undefined && !markerReads.has(operationOf(line)));
    return { response, operations };
  }

  beforeAll(async () => {
    slapd = await Slapd.start();
    ({ app } = await startSecurityApi(demoEnvironment(slapd.url, { MAX_GROUPS_PER_CHECK: String(MAX_GROUPS) })));
    // Warm: the administrator's own login and admin check are cached, so any operation below would be the request's.
    expect(
      (await request(app.getHttpServer()).head('/api/security/users/tdurden/groups/Loners').set('Authorization', ADMIN))
        .status,
    ).toBe(404);
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('answers 414 with the Error model to a path longer than the longest valid check, before authentication', async () => {
    const path = `/api/security/users/tdurden/groups/${'a'.repeat(longestValidCheckPath(MAX_GROUPS))}`;
    const { response, operations } = await directoryWorkDuring(() => request(app.getHttpServer()).get(path));
    expect(response.status).toBe(414);
    expect(response.headers['x-log-id']).toBe(response.body.logId);
    expect(response.body).toMatchObject({ type: 'error', data: { reason: 'URI_TOO_LONG' } });
    expect(operations).toEqual([]);
  });

  it('still accepts the longest valid check path', async () => {
    const longestName = encodeURIComponent('\u{1F600}'.repeat(256));
    const path = `/api/security/users/${longestName}/groups/${Array(MAX_GROUPS).fill(longestName).join(',')}`;
    // The bound counts a comma after every group; the longest real path has one fewer.
    expect(path.length).toBe(longestValidCheckPath(MAX_GROUPS) - 1);
    const response = await request(app.getHttpServer()).get(path).set('Authorization', ADMIN);
    expect(response.status).toBe(404);
    expect(response.body.data.reason).toBe('USER_NOT_FOUND');
  });

  it('answers 431 to headers larger than the server accepts, without asking the directory', async () => {
    const { response, operations } = await directoryWorkDuring(() =>
      request(app.getHttpServer())
        .head('/api/security/users/tdurden/groups/Loners')
        .set('Authorization', ADMIN)
        .set('X-Padding', 'p'.repeat(longestValidCheckPath(MAX_GROUPS) + 64 * 1024)),
    );
    expect(response.status).toBe(431);
    expect(operations).toEqual([]);
  });

  it('answers 401 to oversized credentials without asking the directory', async () => {
    for (const authorization of [basic('u'.repeat(257), 'secret'), basic('sysadmin', 'p'.repeat(1025))]) {
      const { response, operations } = await directoryWorkDuring(() =>
        request(app.getHttpServer())
          .get('/api/security/users/tdurden/groups/Loners')
          .set('Authorization', authorization),
      );
      expect(response.status).toBe(401);
      expect(operations).toEqual([]);
    }
  });

  it('answers 400 to too many or too long identifiers without looking any of them up', async () => {
    for (const groups of [
      Array(MAX_GROUPS + 1)
        .fill('Loners')
        .join(','),
      'x'.repeat(257),
    ]) {
      const { response, operations } = await directoryWorkDuring(() =>
        request(app.getHttpServer()).get(`/api/security/users/tdurden/groups/${groups}`).set('Authorization', ADMIN),
      );
      expect(response.status).toBe(400);
      expect(operations).toEqual([]);
    }
  });
});

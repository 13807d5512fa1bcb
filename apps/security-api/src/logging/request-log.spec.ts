import type { Request, Response } from 'express';
import { noteAnswer, noteCaller, noteErrorReason, noteQuestion, requestLine } from './request-log';

const ROUTE = '/api/security/users/:userIdentifier/groups/:groupIdentifiers';

const answered = (status: number): Response => ({ statusCode: status, locals: {}, writableFinished: true }) as never;

const lineOf = (response: Response): Record<string, unknown> =>
  requestLine(
    { method: 'HEAD', originalUrl: '/api/security/users/tdurden/groups/Loners', ip: '192.0.2.7' } as Request,
    response,
    ROUTE,
    1.4,
  );

describe(requestLine.name, () => {
  it('names the client, the caller, what was asked and the answer, as noted', () => {
    const response = answered(404);
    noteCaller(response, 'sysadmin');
    noteQuestion(response, { user: 'tdurden', groups: ['Loners'] });
    noteAnswer(response, 'NOT_A_MEMBER');
    noteErrorReason(response, 'NOT_A_MEMBER');

    expect(lineOf(response)).toEqual({
      method: 'HEAD',
      route: ROUTE,
      url: '/api/security/users/tdurden/groups/Loners',
      status: 404,
      durationMs: 1,
      client: '192.0.2.7',
      caller: 'sysadmin',
      asked: { user: 'tdurden', groups: ['Loners'] },
      answer: 'NOT_A_MEMBER',
      reason: 'NOT_A_MEMBER',
    });
  });

  it('leaves out whatever was not noted: no caller when nobody authenticated, no question where none was asked', () => {
    const line = JSON.parse(JSON.stringify(lineOf(answered(401)))) as Record<string, unknown>;

    expect(Object.keys(line)).toEqual(['method', 'route', 'url', 'status', 'durationMs', 'client']);
  });
});

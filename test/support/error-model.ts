import request from 'supertest';

/** A logId: a random (version 4) UUID. */
export const LOG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A whole error answer: its status, Cache-Control, and the Error model with the logId that X-Log-Id repeats. */
export function expectErrorModel(response: request.Response, status: number, reason: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['x-log-id']).toMatch(LOG_ID);
  expect(response.body).toEqual({
    logId: response.headers['x-log-id'],
    message: expect.any(String),
    data: expect.objectContaining({ reason }),
    type: 'error',
  });
}

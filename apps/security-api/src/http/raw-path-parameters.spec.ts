import type { Request, Response } from 'express';
import { keepRouteParametersRaw, segmentAsSent } from './raw-path-parameters';

function routedUrl(url: string): string {
  const request = { url } as Request;
  const next = jest.fn();
  keepRouteParametersRaw(request, {} as Response, next);
  expect(next).toHaveBeenCalledTimes(1);
  return request.url;
}

describe(keepRouteParametersRaw.name, () => {
  it('leaves no "%" in the path for Express to decode, and gives each segment back as sent', () => {
    const url = routedUrl('/api/security/users/t.durden%40fightclub.com/groups/Smith%2C%20Jones,%E0%A4%A,%2525');
    expect(url).not.toContain('%');
    const [, , , , user, , groups] = url.split('/');
    expect(segmentAsSent(user)).toBe('t.durden%40fightclub.com');
    expect(segmentAsSent(groups)).toBe('Smith%2C%20Jones,%E0%A4%A,%2525');
  });

  it('leaves the query string as sent, and a path without "%" as it is', () => {
    expect(routedUrl('/api/security/users/tdurden/groups?pageSize=10')).toBe(
      '/api/security/users/tdurden/groups?pageSize=10',
    );
    const url = routedUrl('/api/security/users/a%20b/groups?x=%20');
    expect(url.slice(url.indexOf('?'))).toBe('?x=%20');
  });
});

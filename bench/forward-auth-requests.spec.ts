import { asForwardAuth } from './forward-auth-requests';

describe(asForwardAuth.name, () => {
  it('asks the same question of forward-auth, a group parameter per listed group, in the statuses it answers', () => {
    expect(
      asForwardAuth({
        method: 'HEAD',
        path: '/api/security/users/u%2Bser%40example.com/groups/Chain%201%20Level%202,9bb89380-fd49-41a5-ab2f-fc25e482a251',
        expectedStatus: 204,
      }),
    ).toEqual({
      method: 'HEAD',
      path:
        '/api/security/forward-auth?user=u%2Bser%40example.com' +
        '&group=Chain%201%20Level%202&group=9bb89380-fd49-41a5-ab2f-fc25e482a251',
      expectedStatus: 200,
    });
    expect(asForwardAuth({ method: 'HEAD', path: '/api/security/users/a+b/groups/x', expectedStatus: 404 })).toEqual({
      method: 'HEAD',
      path: '/api/security/forward-auth?user=a%2Bb&group=x',
      expectedStatus: 403,
    });
  });

  it('refuses what is not a HEAD check', () => {
    expect(() => asForwardAuth({ method: 'GET', path: '/health/live', expectedStatus: 200 })).toThrow();
  });
});

import type { Request } from 'express';
import { routePatternOf, UNMATCHED_ROUTE } from '../route-pattern';
import { ServiceMetrics } from './service-metrics';

describe(ServiceMetrics.name, () => {
  let sut: ServiceMetrics;

  const directoryUp = async (): Promise<number> =>
    (await sut.registry.getSingleMetric('ldap_up')!.get()).values[0].value;

  beforeEach(() => {
    sut = new ServiceMetrics();
  });

  it('shows the directory up after any answer, a refused password included, and down after a timeout or no server', async () => {
    sut.operationFinished('search', 'ok', 0.002);
    expect(await directoryUp()).toBe(1);
    sut.operationFinished('ping', 'unavailable', 0.001);
    expect(await directoryUp()).toBe(0);
    sut.operationFinished('bind', 'invalid-credentials', 0.003);
    expect(await directoryUp()).toBe(1);
    sut.operationFinished('read', 'timeout', 5);
    expect(await directoryUp()).toBe(0);
    sut.operationFinished('search', 'error', 0.002);
    expect(await directoryUp()).toBe(1);
  });

  it('counts cache lookups by cache and result', async () => {
    sut.cacheLookup('answers', true);
    sut.cacheLookup('answers', true);
    sut.cacheLookup('users', false);

    const exposition = await sut.exposition();

    expect(exposition).toContain('ldap_cache_lookups_total{cache="answers",result="hit"} 2');
    expect(exposition).toContain('ldap_cache_lookups_total{cache="users",result="miss"} 1');
  });

  it('keeps its metrics apart from another instance', async () => {
    const other = new ServiceMetrics();
    other.requestAnswered('GET', '/health/live', 200, 0.001);

    expect(await sut.exposition()).not.toContain('route="/health/live"');
  });
});

describe(routePatternOf.name, () => {
  const requestWith = (route: unknown): Request => ({ route, baseUrl: '' }) as unknown as Request;

  it('gives the route as declared, never the path', () => {
    expect(
      routePatternOf(requestWith({ path: '/api/security/users/{:userIdentifier}/groups{/:groupIdentifiers}' })),
    ).toBe('/api/security/users/{:userIdentifier}/groups{/:groupIdentifiers}');
  });

  it('names a request that matched no route, and one that only met the wildcard on which Nest mounts middleware', () => {
    expect(routePatternOf(requestWith(undefined))).toBe(UNMATCHED_ROUTE);
    expect(routePatternOf(requestWith({ path: '/{*path}' }))).toBe(UNMATCHED_ROUTE);
  });
});

import { Directory, DirectoryCache } from '@app/directory';
import { TestingModule } from '@nestjs/testing';
import { eventually } from '@test/support/check-load';
import { demoDirectoryOptions } from '@test/support/demo-directory';
import { observedDirectory, RecordingObserver } from '@test/support/recording-observer';
import { Slapd } from '@test/support/slapd';
import { TcpProxy } from '@test/support/tcp-proxy';

const TIMEOUT_MS = 500;

describe('LdapDirectory reports its operations and cache lookups to a DirectoryObserver', () => {
  let slapd: Slapd;
  let proxy: TcpProxy;
  let observer: RecordingObserver;
  let moduleRef: TestingModule;
  let sut: Directory;

  beforeAll(async () => {
    slapd = await Slapd.start();
    proxy = await TcpProxy.start(slapd.port);
    observer = new RecordingObserver();
    moduleRef = await observedDirectory(
      demoDirectoryOptions(proxy.url, { stalenessMs: 0, timeoutMs: TIMEOUT_MS, pingTimeoutMs: TIMEOUT_MS }),
      observer,
    );
    sut = moduleRef.get(Directory);
  });

  beforeEach(() => {
    proxy.answerEverything();
    observer.clear();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await proxy?.close();
    await slapd?.destroy();
  });

  it('reports each search, bind and ping with its outcome and a duration', async () => {
    await sut.findGroup('Loners');
    await sut.authenticate('sysadmin', 'admin-secret');
    await sut.authenticate('sysadmin', 'not-the-password');
    await sut.authenticate('nobody-by-that-name', 'a-guess');
    await sut.ping();

    expect(observer.outcomes()).toEqual([
      'search ok',
      'search ok',
      'bind ok',
      'search ok',
      'bind invalid-credentials',
      'search ok',
      // A login that names nobody costs a bind to a name no entry has, refused alike.
      'bind invalid-credentials',
      'ping ok',
    ]);
    for (const { seconds } of observer.operations) {
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThan(TIMEOUT_MS / 1000);
    }
    expect(observer.lookups).toEqual([]);
  });

  it('reports a search that gets no answer as a timeout, and the one that shared its connection as unavailable', async () => {
    await sut.findGroup('Loners');
    observer.clear();
    const withheldBefore = proxy.withheldRequests;
    proxy.withholdAnswersTo('Loners');
    proxy.withholdAnswersTo('Liposuction');

    const slow = sut.findGroup('Loners').catch(() => 'failed');
    await eventually('the slow search has been sent', () => proxy.withheldRequests === withheldBefore + 1);
    const bystander = sut.findGroup('Liposuction Technicians').catch(() => 'failed');
    await eventually('the bystander search has been sent', () => proxy.withheldRequests === withheldBefore + 2);

    expect(await Promise.all([slow, bystander])).toEqual(['failed', 'failed']);
    expect(observer.outcomes().sort()).toEqual(['search timeout', 'search unavailable']);
    const timedOut = observer.operations.find(({ outcome }) => outcome === 'timeout');
    expect(timedOut?.seconds).toBeGreaterThanOrEqual((TIMEOUT_MS - 50) / 1000);
  });

  it("reports a readiness ping whose bind gets no answer as a timeout, at the ping's own deadline", async () => {
    proxy.withholdAnswersTo('security-api');

    await expect(sut.ping()).rejects.toThrow(/timed out/);

    expect(observer.outcomes()).toEqual(['ping timeout']);
  });
});

describe('LdapDirectory reports cache lookups per cache', () => {
  let slapd: Slapd;
  let observer: RecordingObserver;
  let moduleRef: TestingModule;
  let sut: Directory;

  beforeAll(async () => {
    slapd = await Slapd.start();
    observer = new RecordingObserver();
    moduleRef = await observedDirectory(demoDirectoryOptions(slapd.url), observer);
    sut = moduleRef.get(Directory);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await slapd?.destroy();
  });

  it('reports a miss, then a hit, in the cache that answered', async () => {
    await sut.findGroup('Loners');
    await sut.findGroup('Loners');
    await sut.authenticate('sysadmin', 'admin-secret');
    await sut.authenticate('sysadmin', 'admin-secret');

    const of = (cache: DirectoryCache) =>
      observer.lookups.filter((lookup) => lookup.cache === cache).map(({ hit }) => hit);
    expect(of('groups')).toEqual([false, true]);
    expect(of('logins')).toEqual([false, true]);
    // The first login looked its user up (a miss); the second was answered whole by the logins cache.
    expect(of('users')).toEqual([false]);
  });
});

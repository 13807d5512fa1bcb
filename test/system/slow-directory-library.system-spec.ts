import { Directory, DirectoryModule, DirectoryUnavailableError } from '@app/directory';
import { Test, TestingModule } from '@nestjs/testing';
import { eventually } from '@test/support/check-load';
import { demoDirectoryOptions } from '@test/support/demo-directory';
import { Slapd } from '@test/support/slapd';
import { TcpProxy } from '@test/support/tcp-proxy';

const TIMEOUT_MS = 500;

describe('LdapDirectory when one operation gets no answer', () => {
  let slapd: Slapd;
  let proxy: TcpProxy;
  let moduleRef: TestingModule;
  let sut: Directory;

  beforeAll(async () => {
    slapd = await Slapd.start();
    proxy = await TcpProxy.start(slapd.port);
    moduleRef = await Test.createTestingModule({
      imports: [DirectoryModule.forRoot(demoDirectoryOptions(proxy.url, { stalenessMs: 0, timeoutMs: TIMEOUT_MS }))],
    }).compile();
    sut = moduleRef.get(Directory);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await proxy?.close();
    await slapd?.destroy();
  });

  // A known limitation, shown as it is: ldapts's per-operation timeout destroys the socket the operation was sent
  // on, and the socket's close rejects every other operation waiting on it, answered or not.
  it('fails every other operation in flight on the shared connection, then recovers on a new one', async () => {
    await expect(sut.findGroup('Loners')).resolves.toMatchObject({ kind: 'found' });
    proxy.withholdAnswersTo('Loners');
    proxy.withholdAnswersTo('Liposuction');

    const failureOf = async (lookup: Promise<unknown>) => {
      const error = await lookup.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      return { error };
    };
    const slow = failureOf(sut.findGroup('Loners'));
    await eventually('the slow search has been sent', () => proxy.withheldRequests === 1);
    const bystander = failureOf(sut.findGroup('Liposuction Technicians'));
    await eventually('the bystander search has been sent', () => proxy.withheldRequests === 2);

    const [timedOut, alsoFailed] = await Promise.all([slow, bystander]);
    expect(timedOut.error).toBeInstanceOf(DirectoryUnavailableError);
    expect(String((timedOut.error as Error).cause)).toMatch(/Operation timed out/);
    expect(alsoFailed.error).toBeInstanceOf(DirectoryUnavailableError);
    expect(String((alsoFailed.error as Error).cause)).toMatch(/Connection closed before message response was received/);

    proxy.answerEverything();
    await expect(sut.findGroup('Liposuction Technicians')).resolves.toMatchObject({ kind: 'found' });
  });
});

describe('LdapDirectory when the first server of its list accepts connections but never answers', () => {
  let slapd: Slapd;
  let silent: TcpProxy;
  let moduleRef: TestingModule;
  let sut: Directory;

  beforeAll(async () => {
    slapd = await Slapd.start();
    silent = await TcpProxy.start(slapd.port);
    silent.setMode({ kind: 'swallow' });
    moduleRef = await Test.createTestingModule({
      imports: [
        DirectoryModule.forRoot(
          demoDirectoryOptions(silent.url, {
            urls: [silent.url, slapd.url],
            stalenessMs: 0,
            timeoutMs: TIMEOUT_MS,
            pingTimeoutMs: TIMEOUT_MS,
          }),
        ),
      ],
    }).compile();
    sut = moduleRef.get(Directory);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await silent?.close();
    await slapd?.destroy();
  });

  it('pays the timeout once, when the service connection fails over, not again on every login or readiness probe', async () => {
    await expect(sut.checkMembership('tdurden', ['Liposuction Technicians'])).resolves.toMatchObject({
      kind: 'member',
    });

    for (const login of ['sysadmin', 'sysadmin@fightclub.com']) {
      const started = performance.now();
      await expect(sut.authenticate(login, 'admin-secret')).resolves.toMatchObject({ username: 'sysadmin' });
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS / 2);
    }
    // Bounded by the same timeout as a whole, the probe would fail if it asked the silent server first.
    await expect(sut.ping()).resolves.toBeUndefined();
  });
});

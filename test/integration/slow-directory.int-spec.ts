import { Directory, DirectoryModule, DirectoryUnavailableError } from '@app/directory';
import { Test, TestingModule } from '@nestjs/testing';
import { eventually } from '../support/check-load';
import { demoDirectoryOptions } from '../support/demo-directory';
import { Slapd } from '../support/slapd';
import { TcpProxy } from '../support/tcp-proxy';

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

import { DirectoryUser } from '@app/directory';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { InMemoryDirectory } from '@test/support/in-memory-directory';
import { AllowSelf, AllowSelfUnlessQuery, SelfAccess } from './self-access';

class Routes {
  @AllowSelf('userIdentifier')
  ownMembership(): void {}

  @AllowSelfUnlessQuery('user')
  forwardAuth(): void {}

  anyUser(): void {}
}

const TYLER: DirectoryUser = {
  id: '7f3c1a52-0000-4000-8000-000000000001',
  username: 'tyler',
  email: 'tyler@paper.street',
};
const ROBERT: DirectoryUser = { id: '7f3c1a52-0000-4000-8000-000000000002', username: 'robert' };

const requestTo = (handler: () => void, originalUrl: string): ExecutionContextHost =>
  new ExecutionContextHost([{ originalUrl, params: {} }], Routes, handler);

const routeTo = (handler: () => void, userIdentifier?: string): ExecutionContextHost =>
  new ExecutionContextHost([{ params: userIdentifier === undefined ? {} : { userIdentifier } }], Routes, handler);

describe(SelfAccess.name, () => {
  let directory: InMemoryDirectory;
  let sut: SelfAccess;

  beforeEach(() => {
    directory = new InMemoryDirectory({
      accounts: [
        { logins: ['tyler', 'tyler@paper.street'], password: 'soap', user: TYLER },
        { logins: ['robert'], password: 'his-name-is', user: ROBERT },
      ],
    });
    sut = new SelfAccess(directory, new Reflector());
  });

  it.each([['tyler'], ['tyler%40paper.street'], [TYLER.id]])(
    'allows the caller asking about themself as %s',
    async (raw) => {
      await expect(sut.allows(routeTo(Routes.prototype.ownMembership, raw), TYLER)).resolves.toBe(true);
    },
  );

  it('allows @current, raw or percent-encoded, without asking the directory', async () => {
    await expect(sut.allows(routeTo(Routes.prototype.ownMembership, '@current'), TYLER)).resolves.toBe(true);
    await expect(sut.allows(routeTo(Routes.prototype.ownMembership, '%40current'), TYLER)).resolves.toBe(true);
    expect(directory.calls).toEqual([]);
  });

  it.each([['robert'], ['nobody'], [''], ['%E0%A4%A'], ['tyler%00'], [undefined]])('refuses %s', async (raw) => {
    await expect(sut.allows(routeTo(Routes.prototype.ownMembership, raw), TYLER)).resolves.toBe(false);
  });

  it('refuses on a route without @AllowSelf(), without asking the directory', async () => {
    await expect(sut.allows(routeTo(Routes.prototype.anyUser, 'tyler'), TYLER)).resolves.toBe(false);
    expect(directory.calls).toEqual([]);
  });

  it('never asks the directory about a malformed identifier', async () => {
    await sut.allows(routeTo(Routes.prototype.ownMembership, 'x'.repeat(257)), TYLER);
    expect(directory.calls).toEqual([]);
  });

  describe('on a route marked @AllowSelfUnlessQuery()', () => {
    it.each([
      ['/forward-auth?group=Loners'],
      ['/forward-auth?users=x&group=Loners'],
      ['/forward-auth'],
      ['/forward-auth?group=Loners&path=/app?x=1&user=tyler'],
    ])('lets the caller ask about themself when the query names no user: %s', (url) => {
      expect(sut.asksAboutCallerOnly(requestTo(Routes.prototype.forwardAuth, url))).toBe(true);
    });

    it.each([['/forward-auth?group=Loners&user=tyler'], ['/forward-auth?user&group=Loners'], ['/forward-auth?user=']])(
      'leaves a query that names a user, even empty, to the administrators check: %s',
      (url) => {
        expect(sut.asksAboutCallerOnly(requestTo(Routes.prototype.forwardAuth, url))).toBe(false);
      },
    );

    it('leaves every other route to the administrators check', () => {
      expect(sut.asksAboutCallerOnly(requestTo(Routes.prototype.ownMembership, '/x?group=Loners'))).toBe(false);
      expect(sut.asksAboutCallerOnly(requestTo(Routes.prototype.anyUser, '/x'))).toBe(false);
    });
  });
});

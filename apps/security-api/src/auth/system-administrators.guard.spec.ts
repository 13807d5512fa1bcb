import { DirectoryUnavailableError, DirectoryUser } from '@app/directory';
import { HttpStatus, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { basic } from '@test/support/basic';
import { InMemoryDirectory, InMemoryDirectoryContents } from '@test/support/in-memory-directory';
import { Environment } from '../config/environment';
import { ApiError } from '../errors/api-error';
import { LoginThrottle } from './login-throttle';
import { Public } from './public.decorator';
import { AllowSelf } from './self-access';
import { SystemAdministratorsGuard } from './system-administrators.guard';

class MembershipRoutes {
  check(): void {}
}

class GroupRoutes {
  @AllowSelf('userIdentifier')
  hasUser(): void {}
}

@Public()
class OpenRoutes {
  health(): void {}
}

class MixedRoutes {
  @Public()
  open(): void {}
}

const TYLER: DirectoryUser = {
  id: '7f3c1a52-0000-4000-8000-000000000001',
  username: 'tyler',
  email: 'tyler@paper.street',
};
const ROBERT: DirectoryUser = { id: '7f3c1a52-0000-4000-8000-000000000002', username: 'robert' };

const CONTENTS: InMemoryDirectoryContents = {
  accounts: [
    { logins: ['tyler', 'tyler@paper.street'], password: 'soap', user: TYLER },
    { logins: ['robert'], password: 'his-name-is', user: ROBERT },
  ],
  memberships: { [TYLER.id]: ['System Administrators', 'Project Mayhem'], [ROBERT.id]: ['Space Monkeys'] },
};

const protectedRoute = (
  authorization?: string,
  address = '192.0.2.7',
  response = { locals: {} },
): ExecutionContextHost =>
  new ExecutionContextHost(
    [{ method: 'HEAD', headers: authorization === undefined ? {} : { authorization }, ip: address }, response],
    MembershipRoutes,
    MembershipRoutes.prototype.check,
  );

const environmentWith = (adminGroup?: string): Environment =>
  Object.assign(new Environment(), adminGroup === undefined ? {} : { ADMIN_GROUP: adminGroup });

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function apiErrorFrom(promise: Promise<unknown>): Promise<ApiError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe(SystemAdministratorsGuard.name, () => {
  let directory: InMemoryDirectory;
  let sut: SystemAdministratorsGuard;

  const guardWith = (environment: Environment): SystemAdministratorsGuard =>
    new SystemAdministratorsGuard(directory, new Reflector(), new LoginThrottle(environment), environment);

  beforeEach(() => {
    directory = new InMemoryDirectory(CONTENTS);
    sut = guardWith(environmentWith());
  });

  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['a public handler', MixedRoutes, MixedRoutes.prototype.open],
    ['a handler of a public class', OpenRoutes, OpenRoutes.prototype.health],
  ])('lets anyone through to %s without asking the directory', async (_, routes, handler) => {
    const context = new ExecutionContextHost([{ method: 'GET', headers: {} }], routes, handler);

    await expect(sut.canActivate(context)).resolves.toBe(true);
    expect(directory.calls).toEqual([]);
  });

  it('demands Basic credentials when there are none, without asking the directory', async () => {
    const error = await apiErrorFrom(sut.canActivate(protectedRoute()));

    expect(error.getStatus()).toBe(HttpStatus.UNAUTHORIZED);
    expect(error.headers['WWW-Authenticate']).toMatch(/^Basic realm="[^"]+"/);
    expect(directory.calls).toEqual([]);
  });

  it.each([
    ['an empty password', basic('tyler', '')],
    ['a NUL in the login', basic('tyl\u0000er', 'soap')],
    ['a newline in the login', basic('tyler\n', 'soap')],
    ['a Bearer token', 'Bearer abc.def.ghi'],
  ])('answers 401 to %s without asking the directory to authenticate', async (_, authorization) => {
    const error = await apiErrorFrom(sut.canActivate(protectedRoute(authorization)));

    expect(error.getStatus()).toBe(HttpStatus.UNAUTHORIZED);
    expect(directory.calls).toEqual([]);
  });

  it('answers 401 to a wrong password', async () => {
    const error = await apiErrorFrom(sut.canActivate(protectedRoute(basic('tyler', 'lye'))));

    expect(error.getStatus()).toBe(HttpStatus.UNAUTHORIZED);
    expect(directory.callsTo('authenticate')).toEqual([['tyler', 'lye']]);
    expect(directory.callsTo('isMember')).toEqual([]);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrongPassword = await apiErrorFrom(sut.canActivate(protectedRoute(basic('tyler', 'lye'))));
    const unknownUser = await apiErrorFrom(sut.canActivate(protectedRoute(basic('cornelius', 'soap'))));

    expect(unknownUser.getStatus()).toBe(wrongPassword.getStatus());
    expect(unknownUser.message).toBe(wrongPassword.message);
    expect(unknownUser.data).toEqual(wrongPassword.data);
    expect(unknownUser.headers).toEqual(wrongPassword.headers);
  });

  it('answers 403 to an authenticated caller outside the administrators group', async () => {
    const error = await apiErrorFrom(sut.canActivate(protectedRoute(basic('robert', 'his-name-is'))));

    expect(error.getStatus()).toBe(HttpStatus.FORBIDDEN);
    expect(error.data.reason).toBe('NOT_AN_ADMINISTRATOR');
  });

  it('lets a member of the administrators group through, asking about the authenticated user itself', async () => {
    await expect(sut.canActivate(protectedRoute(basic('tyler@paper.street', 'soap')))).resolves.toBe(true);
    expect(directory.callsTo('isMember')).toEqual([[TYLER, ['System Administrators']]]);
  });

  it('notes the caller by their directory username, also when refused 403, and nobody after a wrong password', async () => {
    const administrator = { locals: {} };
    const outsider = { locals: {} };
    const refused = { locals: {} };

    await sut.canActivate(protectedRoute(basic('tyler@paper.street', 'soap'), undefined, administrator));
    await rejectionOf(sut.canActivate(protectedRoute(basic('robert', 'his-name-is'), undefined, outsider)));
    await rejectionOf(sut.canActivate(protectedRoute(basic('robert', 'lye'), undefined, refused)));

    expect([administrator.locals, outsider.locals, refused.locals]).toEqual([
      { caller: 'tyler' },
      { caller: 'robert' },
      {},
    ]);
  });

  describe('on a route that allows self-access', () => {
    const selfRoute = (authorization: string, userIdentifier: string): ExecutionContextHost =>
      new ExecutionContextHost(
        [
          {
            method: 'HEAD',
            headers: { authorization },
            ip: '192.0.2.7',
            params: { userIdentifier },
          },
          { locals: {} },
        ],
        GroupRoutes,
        GroupRoutes.prototype.hasUser,
      );

    it('lets a caller who is not an administrator ask about themself', async () => {
      await expect(sut.canActivate(selfRoute(basic('robert', 'his-name-is'), 'robert'))).resolves.toBe(true);
      await expect(sut.canActivate(selfRoute(basic('robert', 'his-name-is'), '@current'))).resolves.toBe(true);
    });

    it('answers 403, not 404, to a caller who is not an administrator asking about anyone else', async () => {
      for (const other of ['tyler', 'nobody']) {
        const error = await apiErrorFrom(sut.canActivate(selfRoute(basic('robert', 'his-name-is'), other)));
        expect(error.getStatus()).toBe(HttpStatus.FORBIDDEN);
        expect(error.data.reason).toBe('NOT_AN_ADMINISTRATOR');
      }
    });

    it('lets an administrator ask about anyone, without resolving the identifier', async () => {
      await expect(sut.canActivate(selfRoute(basic('tyler', 'soap'), 'nobody'))).resolves.toBe(true);
      expect(directory.callsTo('findUser')).toEqual([]);
    });

    it('still demands credentials first', async () => {
      const error = await apiErrorFrom(sut.canActivate(selfRoute(basic('robert', 'wrong'), 'robert')));
      expect(error.getStatus()).toBe(HttpStatus.UNAUTHORIZED);
      expect(directory.callsTo('findUser')).toEqual([]);
    });
  });

  it('asks about the configured ADMIN_GROUP rather than a fixed one', async () => {
    const guard = (adminGroup: string) => guardWith(environmentWith(adminGroup));

    await expect(guard('Space Monkeys').canActivate(protectedRoute(basic('robert', 'his-name-is')))).resolves.toBe(
      true,
    );
    const error = await apiErrorFrom(guard('Space Monkeys').canActivate(protectedRoute(basic('tyler', 'soap'))));

    expect(error.getStatus()).toBe(HttpStatus.FORBIDDEN);
    expect(directory.callsTo('isMember')).toEqual([
      [ROBERT, ['Space Monkeys']],
      [TYLER, ['Space Monkeys']],
    ]);
  });

  it('answers 403 to everyone, and warns, when ADMIN_GROUP is not in the directory', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    sut = guardWith(environmentWith('Paper Street Soap Company'));

    const error = await apiErrorFrom(sut.canActivate(protectedRoute(basic('tyler', 'soap'))));

    expect(error.getStatus()).toBe(HttpStatus.FORBIDDEN);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Paper Street Soap Company'));
  });

  it('fails with a plain error, not a 403, when ADMIN_GROUP names several groups', async () => {
    directory = new InMemoryDirectory({ ...CONTENTS, ambiguousGroups: { 'System Administrators': ['id-1', 'id-2'] } });
    sut = guardWith(environmentWith());

    const error = await rejectionOf(sut.canActivate(protectedRoute(basic('tyler', 'soap'))));

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('System Administrators');
  });

  describe('throttling failed logins', () => {
    const throttled = () =>
      Object.assign(environmentWith(), { LOGIN_FAILURES_PER_LOGIN: 3, LOGIN_FAILURES_PER_ADDRESS: 5 });
    const statusOf = async (authorization: string, address?: string): Promise<number> => {
      try {
        await sut.canActivate(protectedRoute(authorization, address));
        return HttpStatus.OK;
      } catch (error) {
        return (error as ApiError).getStatus();
      }
    };

    beforeEach(() => {
      sut = guardWith(throttled());
    });

    it('refuses a login after LOGIN_FAILURES_PER_LOGIN failures, even with the right password, without asking the directory', async () => {
      for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
        expect(await statusOf(basic('tyler', 'lye'), address)).toBe(HttpStatus.UNAUTHORIZED);
      }
      const asked = directory.callsTo('authenticate').length;

      const error = await apiErrorFrom(sut.canActivate(protectedRoute(basic('tyler', 'soap'), '192.0.2.4')));

      expect(error.getStatus()).toBe(HttpStatus.TOO_MANY_REQUESTS);
      expect(error.data.reason).toBe('TOO_MANY_FAILED_LOGINS');
      expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);
      expect(Number(error.headers['Retry-After'])).toBeLessThanOrEqual(60);
      expect(directory.callsTo('authenticate')).toHaveLength(asked);
    });

    it('counts a login as the directory matches it, whatever its case and spacing', async () => {
      for (const login of ['tyler', 'TYLER', ' Tyler ']) {
        await statusOf(basic(login, 'lye'));
      }

      expect(await statusOf(basic('tyler', 'soap'), '192.0.2.99')).toBe(HttpStatus.TOO_MANY_REQUESTS);
    });

    it('refuses an address after LOGIN_FAILURES_PER_ADDRESS failures, whatever the login', async () => {
      for (const login of ['a', 'b', 'c', 'd', 'e']) {
        expect(await statusOf(basic(login, 'guess'))).toBe(HttpStatus.UNAUTHORIZED);
      }

      expect(await statusOf(basic('tyler', 'soap'))).toBe(HttpStatus.TOO_MANY_REQUESTS);
      expect(await statusOf(basic('tyler', 'soap'), '192.0.2.8')).toBe(HttpStatus.OK);
    });

    it('lets a burst of different passwords for one login reach the directory no more often than the limit', async () => {
      const asked = directory.callsTo('authenticate').length;

      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, guess) => statusOf(basic('tyler', `guess-${guess}`), `192.0.2.${10 + guess}`)),
      );

      expect(directory.callsTo('authenticate').length - asked).toBe(3);
      expect(statuses.filter((status) => status === HttpStatus.UNAUTHORIZED)).toHaveLength(3);
      expect(statuses.filter((status) => status === HttpStatus.TOO_MANY_REQUESTS)).toHaveLength(7);
    });

    it('does not hold back a burst of the same, right credentials', async () => {
      const statuses = await Promise.all(Array.from({ length: 10 }, () => statusOf(basic('tyler', 'soap'))));

      expect(statuses).toEqual(Array(10).fill(HttpStatus.OK));
    });

    it('never counts a successful login', async () => {
      for (let call = 0; call < 10; call++) {
        expect(await statusOf(basic('tyler', 'soap'))).toBe(HttpStatus.OK);
      }
      expect(await statusOf(basic('robert', 'his-name-is'))).toBe(HttpStatus.FORBIDDEN);
    });
  });

  it('lets an unavailable directory propagate', async () => {
    const unavailable = new DirectoryUnavailableError('user bind: directory unavailable');
    directory.failWith(unavailable);

    await expect(sut.canActivate(protectedRoute(basic('tyler', 'soap')))).rejects.toBe(unavailable);
  });
});

import {
  BusyError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  TimeLimitExceededError,
  UnavailableError,
} from 'ldapts';
import { DirectoryMisconfiguredError } from '../directory-fault';
import { DirectoryError, DirectoryUnavailableError } from '../directory.errors';
import {
  asDirectoryFailure,
  asMissingBase,
  asServiceAccountRefusal,
  faultOf,
  isTransient,
  outcomeOf,
  TransportSecurityError,
} from './ldap-failure';

const refused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:389'), { code: 'ECONNREFUSED', syscall: 'connect' });

describe(asDirectoryFailure.name, () => {
  const sut = asDirectoryFailure;

  it.each([
    ['a timeout', () => new Error('Connection timeout')],
    ['a refused connection', refused],
    ['a reset connection', () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a busy server', () => new BusyError()],
    ['an unavailable server', () => new UnavailableError()],
    ['an exceeded time limit', () => new TimeLimitExceededError()],
  ])('classifies %s as the directory being unavailable, keeping the original as the cause', (_, make) => {
    const original = make();

    const failure = sut(original, 'search');

    expect(failure).toBeInstanceOf(DirectoryUnavailableError);
    expect(failure.cause).toBe(original);
  });

  it.each([
    ['invalid credentials', () => new InvalidCredentialsError()],
    ['no such object', () => new NoSuchObjectError()],
    ['insufficient access', () => new InsufficientAccessError()],
  ])(
    'classifies an LDAP result of %s as an unexpected directory answer, keeping the original as the cause',
    (_, make) => {
      const original = make();

      const failure = sut(original, 'search');

      expect(failure).toBeInstanceOf(DirectoryError);
      expect(failure).not.toBeInstanceOf(DirectoryUnavailableError);
      expect(failure.cause).toBe(original);
    },
  );

  it.each([
    ['a TypeError', () => new TypeError("Cannot read properties of undefined (reading 'dn')")],
    ['a RangeError', () => new RangeError('Invalid array length')],
  ])('classifies %s, a fault of the program that no retry cures, as an unexpected error', (_, make) => {
    const original = make();

    const failure = sut(original, 'search');

    expect(failure).toBeInstanceOf(DirectoryError);
    expect(failure).not.toBeInstanceOf(DirectoryUnavailableError);
    expect(failure.cause).toBe(original);
  });

  it('names the failed operation without repeating the LDAP detail', () => {
    const failure = sut(new NoSuchObjectError('no such object: ou=secret,dc=example,dc=com'), 'user bind');

    expect(failure.message).toContain('user bind');
    expect(failure.message).not.toContain('ou=secret');
  });

  it.each([
    ['unavailable', () => new DirectoryUnavailableError('ping: directory unavailable')],
    ['unexpected result', () => new DirectoryError('search: unexpected directory result')],
  ])('passes an already classified %s error through unchanged', (_, make) => {
    const classified = make();

    expect(sut(classified, 'search')).toBe(classified);
  });
});

describe(outcomeOf.name, () => {
  const sut = outcomeOf;

  it.each([
    ['a refused password', () => new InvalidCredentialsError(), 'invalid-credentials'],
    ['a connect timeout', () => new Error('Connection timeout'), 'timeout'],
    ['an operation timeout', () => new Error('SearchRequest: Operation timed out'), 'timeout'],
    ['an exceeded time limit', () => new TimeLimitExceededError(), 'timeout'],
    ['a refused connection', refused, 'unavailable'],
    ['a busy server', () => new BusyError(), 'unavailable'],
    ['a missing entry', () => new NoSuchObjectError(), 'error'],
    ['a refused access', () => new InsufficientAccessError(), 'error'],
    ['a programming error', () => new TypeError('x is not a function'), 'error'],
  ])('names %s as %s, also once wrapped for the caller', (_, make, outcome) => {
    expect(sut(make())).toBe(outcome);
    expect(sut(asDirectoryFailure(make(), 'search'))).toBe(outcome);
  });

  it('names an unavailable directory without a cause, such as the readiness deadline, unavailable or timeout by its message', () => {
    expect(sut(new DirectoryUnavailableError('ping: timed out after 2000 ms'))).toBe('timeout');
    expect(sut(new DirectoryUnavailableError('all servers refused'))).toBe('unavailable');
  });
});

describe(faultOf.name, () => {
  it('names a refused bind of the service account, with the result in words', () => {
    const refusal = asServiceAccountRefusal(new InvalidCredentialsError('49'));

    expect(refusal).toBeInstanceOf(DirectoryMisconfiguredError);
    expect(faultOf(asDirectoryFailure(refusal, 'search'))).toEqual({
      reason: 'SERVICE_ACCOUNT_REFUSED',
      detail: 'invalid credentials',
    });
    expect(isTransient(refusal)).toBe(false);
  });

  it('leaves a bind that failed for want of a server to the next server', () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

    expect(asServiceAccountRefusal(unreachable)).toBe(unreachable);
    expect(faultOf(asDirectoryFailure(unreachable, 'ping'))).toEqual({ reason: 'UNREACHABLE' });
  });

  it('names the search base that holds no entry', () => {
    const missing = asMissingBase(new NoSuchObjectError('32'), 'ou=people,dc=example,dc=com');

    expect(faultOf(missing)).toEqual({ reason: 'BASE_DN_MISSING', dn: 'ou=people,dc=example,dc=com' });
  });

  it('tells a certificate that does not verify from an unreachable server', () => {
    const certificate = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });

    expect(faultOf(asDirectoryFailure(certificate, 'ping'))).toEqual({ reason: 'TLS' });
    expect(faultOf(new TransportSecurityError('StartTLS with ldap://a failed'))).toEqual({ reason: 'TLS' });
  });

  it('calls anything else unexpected', () => {
    expect(faultOf(new TypeError('x is undefined'))).toEqual({ reason: 'UNEXPECTED' });
  });
});

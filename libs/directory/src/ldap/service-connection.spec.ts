import { Logger } from '@nestjs/common';
import { Client } from 'ldapts';
import { ManualClock } from '@test/support/manual-clock';
import { bindFirstReachable, isStillBound, unbindQuietly } from './ldap-clients';
import { ServiceConnection } from './service-connection';

jest.mock('./ldap-clients');

const PREFERRED = 'ldap://provider';
const REPLICA = 'ldap://replica';
const INTERVAL_MS = 1000;

/** A stand-in for a bound ldapts client, named after its server so that assertions read as what happened. */
const clientOf = (url: string) => ({ url, isBound: true }) as unknown as Client & { url: string };

describe(ServiceConnection.name, () => {
  const bind = jest.mocked(bindFirstReachable);
  const unbind = jest.mocked(unbindQuietly);
  /** What each server does with the next bind. */
  let answers: Record<string, () => Promise<Client>>;
  let clock: ManualClock;
  let sut: ServiceConnection;

  const refused = () => Promise.reject(new Error('connect ECONNREFUSED'));
  const accepted = (url: string) => () => Promise.resolve(clientOf(url));
  const serverOf = (client: Client) => (client as Client & { url: string }).url;
  const usedServer = () => sut.use(async (client) => serverOf(client));
  const bindsTo = (url: string) => bind.mock.calls.filter(([settings]) => settings.urls[0] === url).length;
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    bind.mockReset().mockImplementation((settings) => answers[settings.urls[0]]());
    jest.mocked(isStillBound).mockImplementation((client) => client?.isBound === true);
    unbind.mockReset().mockResolvedValue(undefined);
    answers = { [PREFERRED]: refused, [REPLICA]: accepted(REPLICA) };
    clock = new ManualClock();
    sut = new ServiceConnection(
      { urls: [PREFERRED, REPLICA], timeoutMs: 1000, connectTimeoutMs: 500, tls: { startTls: false } },
      'cn=service',
      'secret',
      INTERVAL_MS,
      clock.now,
    );
  });

  afterEach(async () => {
    await sut.close();
    jest.restoreAllMocks();
  });

  it('serves from the next server while the first refuses', async () => {
    await expect(usedServer()).resolves.toBe(REPLICA);
    expect(sut.urlsByPreference()).toEqual([REPLICA, PREFERRED]);
  });

  it('tries the first server again no sooner than the interval after the failover, and returns to it', async () => {
    await usedServer();
    answers[PREFERRED] = accepted(PREFERRED);

    clock.time = INTERVAL_MS - 1;
    await expect(usedServer()).resolves.toBe(REPLICA);
    await settle();
    expect(bindsTo(PREFERRED)).toBe(1);

    clock.time = INTERVAL_MS;
    await expect(usedServer()).resolves.toBe(REPLICA);
    await settle();
    expect(bindsTo(PREFERRED)).toBe(2);
    await expect(usedServer()).resolves.toBe(PREFERRED);
    expect(sut.urlsByPreference()).toEqual([PREFERRED, REPLICA]);
  });

  it('keeps the next server, and waits another interval, while the first still refuses', async () => {
    await usedServer();
    clock.time = INTERVAL_MS;
    await usedServer();
    await settle();
    clock.time = INTERVAL_MS + 1;
    await expect(usedServer()).resolves.toBe(REPLICA);
    await settle();
    expect(bindsTo(PREFERRED)).toBe(2);
  });

  it('never makes an operation wait for an attempt to return, and makes one attempt at a time', async () => {
    await usedServer();
    let acceptPreferred: (client: Client) => void = () => undefined;
    answers[PREFERRED] = () => new Promise((resolve) => (acceptPreferred = resolve));

    clock.time = INTERVAL_MS;
    await expect(usedServer()).resolves.toBe(REPLICA);
    clock.time = 5 * INTERVAL_MS;
    await expect(usedServer()).resolves.toBe(REPLICA);
    expect(bindsTo(PREFERRED)).toBe(2);

    acceptPreferred(clientOf(PREFERRED));
    await settle();
    await expect(usedServer()).resolves.toBe(PREFERRED);
  });

  it('unbinds the replaced client only once the operations it carries have finished', async () => {
    await usedServer();
    answers[PREFERRED] = accepted(PREFERRED);
    let finishSlowOperation: () => void = () => undefined;
    clock.time = INTERVAL_MS;
    const slow = sut.use(
      (client) => new Promise<string>((resolve) => (finishSlowOperation = () => resolve(serverOf(client)))),
    );
    await settle();
    await expect(usedServer()).resolves.toBe(PREFERRED);
    expect(unbind.mock.calls.map(([client]) => client && serverOf(client))).not.toContain(REPLICA);

    finishSlowOperation();
    await expect(slow).resolves.toBe(REPLICA);
    expect(unbind.mock.calls.map(([client]) => client && serverOf(client))).toContain(REPLICA);
  });

  it('does not try to return while bound to the first server', async () => {
    answers[PREFERRED] = accepted(PREFERRED);
    await usedServer();
    clock.time = 10 * INTERVAL_MS;
    await usedServer();
    await settle();
    expect(bindsTo(PREFERRED)).toBe(1);
    expect(bindsTo(REPLICA)).toBe(0);
  });
});

import { FreshCache } from './fresh-cache';
import { Freshness } from './freshness';
import { ManualClock } from '@test/support/manual-clock';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe(FreshCache.name, () => {
  let clock: ManualClock;
  let freshness: Freshness;

  beforeEach(() => {
    clock = new ManualClock();
    freshness = new Freshness(1000, clock.now);
  });

  it('serves a loaded value until it is older than the bound, then loads again', async () => {
    const sut = new FreshCache<string, string>(freshness, 10);
    const load = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');

    expect(await sut.getOrLoad('key', load)).toBe('first');
    clock.time = 1000;
    expect(await sut.getOrLoad('key', load)).toBe('first');
    clock.time = 1001;
    expect(await sut.getOrLoad('key', load)).toBe('second');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load among concurrent misses for a key', async () => {
    const sut = new FreshCache<string, string>(freshness, 10);
    const answer = deferred<string>();
    const load = jest.fn(() => answer.promise);

    const requests = [sut.getOrLoad('key', load), sut.getOrLoad('key', load), sut.getOrLoad('key', load)];
    answer.resolve('value');

    expect(await Promise.all(requests)).toEqual(['value', 'value', 'value']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('neither keeps nor shares a load that was running when the directory changed', async () => {
    const sut = new FreshCache<string, string>(freshness, 10);
    const before = deferred<string>();
    const load = jest.fn().mockReturnValueOnce(before.promise).mockResolvedValue('after');

    const early = sut.getOrLoad('key', load);
    freshness.invalidate();
    const late = sut.getOrLoad('key', load);
    before.resolve('before');

    expect(await early).toBe('before');
    expect(await late).toBe('after');
    expect(await sut.getOrLoad('key', load)).toBe('after');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('drops everything it holds once the directory has changed', async () => {
    const sut = new FreshCache<string, string>(freshness, 10);
    await sut.getOrLoad('a', async () => 'A');
    await sut.getOrLoad('b', async () => 'B');

    freshness.invalidate();

    expect(sut.get('a')).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('holds at most its maximum, evicting the least recently used', async () => {
    const sut = new FreshCache<string, string>(freshness, 2);
    await sut.getOrLoad('a', async () => 'A');
    await sut.getOrLoad('b', async () => 'B');
    sut.get('a');

    await sut.getOrLoad('c', async () => 'C');

    expect(sut.size).toBe(2);
    expect(sut.get('a')).toBe('A');
    expect(sut.get('b')).toBeUndefined();
  });

  it('does not keep a failed load', async () => {
    const sut = new FreshCache<string, string>(freshness, 10);
    const load = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce('value');

    await expect(sut.getOrLoad('key', load)).rejects.toThrow('down');
    expect(await sut.getOrLoad('key', load)).toBe('value');
  });

  it('loads every time when the caches are off', async () => {
    const sut = new FreshCache<string, string>(new Freshness(0, clock.now), 10);
    const load = jest.fn().mockResolvedValue('value');

    await sut.getOrLoad('key', load);
    await sut.getOrLoad('key', load);

    expect(load).toHaveBeenCalledTimes(2);
    expect(sut.size).toBe(0);
  });

  it('reports each lookup as a hit or a miss, a stale entry as a miss, and nothing while the caches are off', async () => {
    const lookups: boolean[] = [];
    const sut = new FreshCache<string, string>(freshness, 10, (hit) => lookups.push(hit));
    const load = jest.fn().mockResolvedValue('value');

    await sut.getOrLoad('key', load);
    await sut.getOrLoad('key', load);
    sut.get('other');
    clock.time = 1001;
    await sut.getOrLoad('key', load);
    expect(lookups).toEqual([false, true, false, false]);

    const uncached: boolean[] = [];
    const off = new FreshCache<string, string>(new Freshness(0, clock.now), 10, (hit) => uncached.push(hit));
    await off.getOrLoad('key', load);
    off.get('key');
    expect(uncached).toEqual([]);
  });
});

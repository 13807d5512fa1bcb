import { Freshness } from './freshness';
import { ManualClock } from '@test/support/manual-clock';

describe(Freshness.name, () => {
  it('admits an answer until it is older than the bound, and not a millisecond later', () => {
    const clock = new ManualClock(1000);
    const sut = new Freshness(5000, clock.now);
    const stamp = sut.stamp();

    clock.time += 5000;
    expect(sut.admits(stamp)).toBe(true);
    clock.time += 1;
    expect(sut.admits(stamp)).toBe(false);
  });

  it('renews every answer read before a check that found the directory unchanged', () => {
    const clock = new ManualClock(1000);
    const sut = new Freshness(5000, clock.now);
    sut.baseline(sut.stamp());
    const answer = sut.stamp();
    clock.time += 4000;
    const check = sut.stamp();
    clock.time += 50;

    sut.confirmUnchanged(check);

    clock.time += 4950;
    expect(sut.admits(answer)).toBe(true);
    clock.time += 1;
    expect(sut.admits(answer)).toBe(false);
  });

  it('lets no check renew what was read before the first change marker was seen', () => {
    const clock = new ManualClock(1000);
    const sut = new Freshness(5000, clock.now);
    const answer = sut.stamp();
    clock.time += 10;
    sut.baseline(sut.stamp());
    clock.time += 4000;

    sut.confirmUnchanged(sut.stamp());

    clock.time += 991;
    expect(sut.admits(answer)).toBe(false);
  });

  it('admits nothing read before a change, however recent', () => {
    const sut = new Freshness(5000, new ManualClock(1000).now);
    const stamp = sut.stamp();

    sut.invalidate();

    expect(sut.admits(stamp)).toBe(false);
    expect(sut.admits(sut.stamp())).toBe(true);
  });

  it('does not let a check that started before a change renew what was read after it', () => {
    const clock = new ManualClock(1000);
    const sut = new Freshness(5000, clock.now);
    sut.baseline(sut.stamp());
    const check = sut.stamp();
    sut.invalidate();
    const answer = sut.stamp();

    sut.confirmUnchanged(check);

    clock.time += 5001;
    expect(sut.admits(answer)).toBe(false);
  });

  it('admits a derived answer only while a marker read vouches for the directory, never by age alone', () => {
    const clock = new ManualClock(1000);
    const sut = new Freshness(5000, clock.now);
    sut.baseline(sut.stamp());
    clock.time += 5000;
    const derived = sut.derived(sut.stamp());
    clock.time += 1;
    expect(sut.admits(derived)).toBe(false);

    sut.confirmUnchanged(sut.stamp());

    expect(sut.admits(derived)).toBe(true);
    clock.time += 5000;
    expect(sut.admits(derived)).toBe(true);
    clock.time += 1;
    expect(sut.admits(derived)).toBe(false);
  });

  it('never renews an answer that expires by age only', () => {
    const clock = new ManualClock(1000);
    const sut = new Freshness(5000, clock.now);
    sut.baseline(sut.stamp());
    const answer = sut.byAgeOnly(sut.stamp());
    clock.time += 4000;

    sut.confirmUnchanged(sut.stamp());

    clock.time += 1001;
    expect(sut.admits(answer)).toBe(false);
  });

  it('admits nothing when the bound is zero: the caches are off', () => {
    const sut = new Freshness(0, new ManualClock(1000).now);

    expect(sut.enabled).toBe(false);
    expect(sut.admits(sut.stamp())).toBe(false);
  });
});

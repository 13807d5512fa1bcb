import { ChangeWatch } from './change-watch';
import { Freshness } from './freshness';
import { ManualClock } from '@test/support/manual-clock';

describe(ChangeWatch.name, () => {
  const BOUND_MS = 1000;
  let clock: ManualClock;
  let freshness: Freshness;
  let marker: jest.Mock<Promise<string | undefined>, []>;
  let sut: ChangeWatch;

  beforeEach(() => {
    clock = new ManualClock();
    freshness = new Freshness(BOUND_MS, clock.now);
    marker = jest.fn();
    // An interval far beyond the test: each check is driven by hand.
    sut = new ChangeWatch(freshness, marker, 3_600_000);
  });

  afterEach(() => sut.stop());

  it('keeps cached answers fresh while the marker stays the same', async () => {
    marker.mockResolvedValue('csn-1');
    await sut.poll();
    const answer = freshness.stamp();

    for (let second = 1; second <= 5; second++) {
      clock.time = second * BOUND_MS;
      await sut.poll();
    }

    expect(freshness.admits(answer)).toBe(true);
  });

  it('drops cached answers as soon as the marker differs', async () => {
    marker.mockResolvedValueOnce('csn-1').mockResolvedValueOnce('csn-2');
    await sut.poll();
    const answer = freshness.stamp();

    await sut.poll();

    expect(freshness.admits(answer)).toBe(false);
  });

  it('leaves answers read before the first marker to expire by age: nothing vouches for them', async () => {
    const answer = freshness.stamp();
    clock.time = 1;
    marker.mockResolvedValue('csn-1');
    await sut.poll();
    expect(freshness.admits(answer)).toBe(true);

    clock.time = BOUND_MS;
    await sut.poll();
    clock.time = BOUND_MS + 1;

    expect(freshness.admits(answer)).toBe(false);
  });

  it('renews nothing while the marker cannot be read, so answers expire within the bound', async () => {
    marker.mockResolvedValueOnce('csn-1').mockRejectedValue(new Error('directory down'));
    await sut.poll();
    const answer = freshness.stamp();

    clock.time = BOUND_MS + 1;
    await sut.poll();

    expect(freshness.admits(answer)).toBe(false);
  });

  it('renews answers again when the marker is back and unchanged', async () => {
    marker
      .mockResolvedValueOnce('csn-1')
      .mockRejectedValueOnce(new Error('directory down'))
      .mockResolvedValueOnce('csn-1');
    await sut.poll();
    const answer = freshness.stamp();
    clock.time = BOUND_MS + 1;
    await sut.poll();

    await sut.poll();

    expect(freshness.admits(answer)).toBe(true);
  });

  it('does not run two checks at once', async () => {
    let finish!: (value: string) => void;
    marker.mockReturnValue(new Promise<string>((resolve) => (finish = resolve)));

    const first = sut.poll();
    const second = sut.poll();
    finish('csn-1');
    await Promise.all([first, second]);

    expect(marker).toHaveBeenCalledTimes(1);
  });

  it('does not let the first marker vouch for an answer read while the marker was being read', async () => {
    let finish!: (value: string) => void;
    marker.mockReturnValueOnce(new Promise<string>((resolve) => (finish = resolve))).mockResolvedValue('csn-1');
    const first = sut.poll();
    clock.time = 10;
    const answer = freshness.stamp();
    clock.time = 20;
    finish('csn-1');
    await first;

    clock.time = BOUND_MS;
    await sut.poll();

    clock.time = 10 + BOUND_MS + 1;
    expect(freshness.admits(answer)).toBe(false);
  });

  it('vouches as of the start of an unchanged read, not its end', async () => {
    let finish!: (value: string) => void;
    marker.mockResolvedValueOnce('csn-1').mockReturnValueOnce(new Promise<string>((resolve) => (finish = resolve)));
    await sut.poll();
    clock.time = 1;
    const answer = freshness.stamp();
    clock.time = 100;
    const check = sut.poll();
    clock.time = 600;
    finish('csn-1');
    await check;

    clock.time = 100 + BOUND_MS;
    expect(freshness.admits(answer)).toBe(true);
    clock.time = 100 + BOUND_MS + 1;
    expect(freshness.admits(answer)).toBe(false);
  });

  it('keeps looking for a marker that is missing, and starts over from the one it finds', async () => {
    marker.mockResolvedValueOnce('csn-1').mockResolvedValueOnce(undefined).mockResolvedValue('csn-1');
    await sut.poll();
    const beforeTheGap = freshness.stamp();
    await sut.poll();
    clock.time = 1;
    await sut.poll();
    clock.time = 2;
    const afterTheGap = freshness.stamp();

    clock.time = BOUND_MS;
    await sut.poll();
    clock.time = BOUND_MS + 2;

    expect(freshness.admits(beforeTheGap)).toBe(false);
    expect(freshness.admits(afterTheGap)).toBe(true);
  });

  it('leaves answers to expire by age when the directory keeps no marker', async () => {
    marker.mockResolvedValue(undefined);
    const answer = freshness.stamp();

    await sut.poll();
    clock.time = BOUND_MS;
    expect(freshness.admits(answer)).toBe(true);
    clock.time = BOUND_MS + 1;
    expect(freshness.admits(answer)).toBe(false);
  });
});

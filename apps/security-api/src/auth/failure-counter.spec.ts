import { FailureCounter } from './failure-counter';

describe(FailureCounter.name, () => {
  let time: number;
  const now = () => time;

  beforeEach(() => {
    time = 1_000_000;
  });

  it('lets a key fail up to the limit, then makes it wait until its window ends', () => {
    const sut = new FailureCounter(3, 60_000, 10, now);

    sut.fail('tdurden');
    sut.fail('tdurden');
    expect(sut.waitMs('tdurden')).toBe(0);
    time += 10_000;
    sut.fail('tdurden');

    expect(sut.waitMs('tdurden')).toBe(50_000);
    time += 49_999;
    expect(sut.waitMs('tdurden')).toBe(1);
    time += 1;
    expect(sut.waitMs('tdurden')).toBe(0);
  });

  it('counts attempts still pending as failures to come', () => {
    const sut = new FailureCounter(3, 60_000, 10, now);
    expect(sut.waitMs('tdurden', 2)).toBe(0);
    expect(sut.waitMs('tdurden', 3)).toBe(1000);
    sut.fail('tdurden');
    expect(sut.waitMs('tdurden', 2)).toBe(1000);
    sut.fail('tdurden');
    sut.fail('tdurden');
    expect(sut.waitMs('tdurden', 2)).toBe(60_000);
  });

  it('starts a new window once the last one has ended', () => {
    const sut = new FailureCounter(2, 60_000, 10, now);
    sut.fail('tdurden');
    time += 60_000;

    sut.fail('tdurden');

    expect(sut.waitMs('tdurden')).toBe(0);
  });

  it('counts keys apart', () => {
    const sut = new FailureCounter(1, 60_000, 10, now);

    sut.fail('tdurden');

    expect(sut.waitMs('tdurden')).toBeGreaterThan(0);
    expect(sut.waitMs('narrator')).toBe(0);
  });

  it('remembers at most its maximum of keys, the least recently failed going first', () => {
    const sut = new FailureCounter(1, 60_000, 2, now);

    sut.fail('first');
    sut.fail('second');
    sut.fail('third');

    expect(sut.waitMs('first')).toBe(0);
    expect(sut.waitMs('second')).toBeGreaterThan(0);
    expect(sut.waitMs('third')).toBeGreaterThan(0);
  });
});

import fc from 'fast-check';
import { pageOf, PageWindow } from './page-window';
import { MAX_LISTED_POSITION } from './paging';

const numeric = (a: number, b: number): number => a - b;

describe(PageWindow.name, () => {
  it('gives the page a full sort would give, and counts every entry', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 300 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (items, index, size) => {
          const expected = [...items].sort(numeric).slice(index * size, (index + 1) * size);
          expect(pageOf(items, { index, size }, numeric)).toEqual({
            index,
            size,
            totalCount: items.length,
            items: expected,
          });
        },
      ),
    );
  });

  it('keeps at most twice the position where the page ends', () => {
    const sut = new PageWindow<number>({ index: 1, size: 5 }, numeric);
    let most = 0;
    for (let i = 10_000; i > 0; i--) {
      sut.add(i);
      most = Math.max(most, (sut as unknown as { kept: number[] }).kept.length);
    }
    expect(most).toBeLessThanOrEqual(20);
    expect(sut.page()).toEqual({ index: 1, size: 5, totalCount: 10_000, items: [6, 7, 8, 9, 10] });
  });

  it('answers an empty page past the end, with the total', () => {
    expect(pageOf([3, 1, 2], { index: 4, size: 2 }, numeric)).toEqual({ index: 4, size: 2, totalCount: 3, items: [] });
  });

  it.each([
    ['a negative index', { index: -1, size: 10 }],
    ['a size of zero', { index: 0, size: 0 }],
    ['a fractional size', { index: 0, size: 1.5 }],
    ['a page ending past MAX_LISTED_POSITION', { index: MAX_LISTED_POSITION / 100, size: 100 }],
  ])('refuses %s', (_case, request) => {
    expect(() => new PageWindow(request, numeric)).toThrow(RangeError);
  });

  it('accepts the page that ends exactly at MAX_LISTED_POSITION', () => {
    expect(() => new PageWindow({ index: MAX_LISTED_POSITION / 100 - 1, size: 100 }, numeric)).not.toThrow();
  });
});

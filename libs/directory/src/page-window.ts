import { endOf, MAX_LISTED_POSITION, Page, PageRequest } from './paging';

/**
 * Picks one page of a list whose entries arrive in any order, by a total order, while counting them all. It keeps at
 * most twice the page's end position: when full, it sorts and drops what cannot reach the page, so that memory is
 * bounded by the page asked for, not by the list, and the work stays O(n log end).
 */
export class PageWindow<T> {
  private kept: T[] = [];
  private seen = 0;
  private readonly end: number;

  constructor(
    private readonly request: PageRequest,
    private readonly order: (a: T, b: T) => number,
  ) {
    const { index, size } = request;
    if (!Number.isSafeInteger(index) || index < 0 || !Number.isSafeInteger(size) || size < 1) {
      throw new RangeError(`Not a page: index ${request.index}, size ${request.size}`);
    }
    this.end = endOf(request);
    if (this.end > MAX_LISTED_POSITION) {
      throw new RangeError(`A page may end at position ${MAX_LISTED_POSITION} at most, not ${this.end}`);
    }
  }

  add(item: T): void {
    this.seen++;
    this.kept.push(item);
    if (this.kept.length >= 2 * this.end) {
      this.keepFirst();
    }
  }

  page(): Page<T> {
    this.keepFirst();
    const { index, size } = this.request;
    return { index, size, totalCount: this.seen, items: this.kept.slice(index * size, this.end) };
  }

  private keepFirst(): void {
    this.kept.sort(this.order);
    this.kept.length = Math.min(this.kept.length, this.end);
  }
}

export function pageOf<T>(items: Iterable<T>, request: PageRequest, order: (a: T, b: T) => number): Page<T> {
  const window = new PageWindow(request, order);
  for (const item of items) {
    window.add(item);
  }
  return window.page();
}

/** Which page of a list: 0-based. */
export interface PageRequest {
  readonly index: number;
  readonly size: number;
}

export interface Page<T> {
  readonly index: number;
  readonly size: number;
  /** Entries in the whole list, not in this page. */
  readonly totalCount: number;
  readonly items: readonly T[];
}

/**
 * How far into a list a page may reach ((index + 1) × size). A page is chosen from the whole list, read in the
 * directory's order and sorted here, so a request keeps up to twice this many entries in memory however long the
 * list is; a deeper page would cost memory in proportion to its position.
 */
export const MAX_LISTED_POSITION = 10_000;

export function endOf({ index, size }: PageRequest): number {
  return (index + 1) * size;
}

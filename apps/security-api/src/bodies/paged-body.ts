import { Page as DirectoryPage } from '@app/directory';
import { ApiProperty } from '@nestjs/swagger';
import { MAX_PAGE_SIZE } from '../requests/query-parameters';

/** What every page has besides its items, whose type each list gives (see ApiPagedList). */
export class Page {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'As asked (0-based).' })
  readonly pageIndex: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, description: 'As asked.' })
  readonly pageSize: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Items in the whole list, at the time of this request.' })
  readonly totalCount: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'ceil(totalCount / pageSize): 0 for an empty list.' })
  readonly pageCount: number;
}

/** A page of a list, as the Contensis Management API pages its lists. */
export interface PagedBody<T> extends Page {
  readonly items: readonly T[];
}

export function pagedBody<T, B>(page: DirectoryPage<T>, toBody: (item: T) => B): PagedBody<B> {
  return {
    pageIndex: page.index,
    pageSize: page.size,
    totalCount: page.totalCount,
    pageCount: Math.ceil(page.totalCount / page.size),
    items: page.items.map(toBody),
  };
}

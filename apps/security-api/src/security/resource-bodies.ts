import { DirectoryGroup, DirectoryUser, Page } from '@app/directory';
import { GroupReference, UserReference } from './membership-explanation';

/** The shapes the OpenAPI document gives, so that the document and the answers cannot drift apart. */
export type UserBody = UserReference;
export type GroupBody = GroupReference;

/** A page of a list, as the Contensis Management API pages its lists. */
export interface PagedBody<T> {
  readonly pageIndex: number;
  readonly pageSize: number;
  readonly totalCount: number;
  readonly pageCount: number;
  readonly items: readonly T[];
}

export function userBody({ id, username, email }: DirectoryUser): UserBody {
  return { id, username, email: email ?? null };
}

export function groupBody({ id, name }: DirectoryGroup): GroupBody {
  return { id, name };
}

export function pagedBody<T, B>(page: Page<T>, toBody: (item: T) => B): PagedBody<B> {
  return {
    pageIndex: page.index,
    pageSize: page.size,
    totalCount: page.totalCount,
    pageCount: Math.ceil(page.totalCount / page.size),
    items: page.items.map(toBody),
  };
}

import { GroupScope, PageRequest } from '@app/directory';
import { Injectable, PipeTransform } from '@nestjs/common';
import { parseGroupScope, parsePageRequest, RawQuery } from '../requests/query-parameters';
import { parsedOr400 } from './invalid-request';

/** For the whole query (`@Query(PageRequestPipe)`): pageIndex and pageSize. */
@Injectable()
export class PageRequestPipe implements PipeTransform<RawQuery, PageRequest> {
  transform(query: RawQuery): PageRequest {
    return parsedOr400(() => parsePageRequest(query ?? {}));
  }
}

/** For the whole query (`@Query(GroupScopePipe)`): includeInherited. */
@Injectable()
export class GroupScopePipe implements PipeTransform<RawQuery, GroupScope> {
  transform(query: RawQuery): GroupScope {
    return parsedOr400(() => parseGroupScope(query ?? {}));
  }
}

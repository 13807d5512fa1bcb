import { GroupScope, PageRequest } from '@app/directory';
import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidQueryParameter } from '../errors/api-error';
import { InvalidQueryParameterError, parseGroupScope, parsePageRequest, RawQuery } from '../requests/query-parameters';

function asApiError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidQueryParameterError) {
      throw invalidQueryParameter(error.message, error.parameter, error.problem);
    }
    throw error;
  }
}

/** For the whole query (`@Query(PageRequestPipe)`): pageIndex and pageSize. */
@Injectable()
export class PageRequestPipe implements PipeTransform<RawQuery, PageRequest> {
  transform(query: RawQuery): PageRequest {
    return asApiError(() => parsePageRequest(query ?? {}));
  }
}

/** For the whole query (`@Query(GroupScopePipe)`): includeInherited. */
@Injectable()
export class GroupScopePipe implements PipeTransform<RawQuery, GroupScope> {
  transform(query: RawQuery): GroupScope {
    return asApiError(() => parseGroupScope(query ?? {}));
  }
}

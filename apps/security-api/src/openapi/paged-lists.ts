import { MAX_LISTED_POSITION } from '@app/directory';
import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import { Page } from '../bodies/paged-body';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../requests/query-parameters';
import { ApiInvalidIdentifier } from './error-responses';

const PAGE_PARAMETERS = [
  ApiQuery({
    name: 'pageIndex',
    required: false,
    schema: { type: 'integer', minimum: 0, default: 0 },
    description:
      `0-based; (pageIndex + 1) × pageSize may be at most ${MAX_LISTED_POSITION}. A page past the end of the list ` +
      'is an empty page, not an error. Given at most once.',
  }),
  ApiQuery({
    name: 'pageSize',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
    description: 'Items per page. Given at most once.',
  }),
];

const INCLUDE_INHERITED = ApiQuery({
  name: 'includeInherited',
  required: false,
  schema: { type: 'boolean', default: false },
  description:
    'false: the groups that list the user themselves. true: also every group above those, through child groups, ' +
    'to MAX_NESTING_DEPTH levels. "true" or "false" in any case; given at most once.',
});

interface PagedListOptions {
  readonly description: string;
  readonly item: Type<unknown>;
  /** The list takes includeInherited too. */
  readonly includeInherited?: boolean;
}

/**
 * A paged list: its query parameters, its 200 (a Page whose items are `item`, in the list's stable order) and its
 * 400, which names the query parameters it reads.
 */
export const ApiPagedList = (options: PagedListOptions): MethodDecorator =>
  applyDecorators(
    ...(options.includeInherited ? [INCLUDE_INHERITED] : []),
    ...PAGE_PARAMETERS,
    ApiExtraModels(Page, options.item),
    ApiOkResponse({
      description: options.description,
      schema: {
        allOf: [
          { $ref: getSchemaPath(Page) },
          {
            type: 'object',
            required: ['items'],
            properties: {
              items: { type: 'array', maxItems: MAX_PAGE_SIZE, items: { $ref: getSchemaPath(options.item) } },
            },
          },
        ],
      },
    }),
    ApiInvalidIdentifier({
      queryParameters: [...(options.includeInherited ? ['includeInherited'] : []), 'pageIndex', 'pageSize'],
    }),
  );

import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import type { Request } from 'express';
import { Environment } from '../config/environment';
import { ForwardAuthQuery, parseForwardAuthQuery, rawQuestionOf } from '../requests/forward-auth-query';
import { parsedOr400 } from './invalid-request';

/** The question in the query string, as the client sent it, for a pipe to decode. */
export const RawQuestion = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  rawQuestionOf(context.switchToHttp().getRequest<Request>().originalUrl),
);

@Injectable()
export class ForwardAuthQueryPipe implements PipeTransform<string, ForwardAuthQuery> {
  constructor(private readonly environment: Environment) {}

  transform(rawQuery: string): ForwardAuthQuery {
    return parsedOr400(() => parseForwardAuthQuery(rawQuery, this.environment.MAX_GROUPS_PER_CHECK));
  }
}

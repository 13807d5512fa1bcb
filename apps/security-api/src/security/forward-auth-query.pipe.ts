import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import type { Request } from 'express';
import { Environment } from '../config/environment';
import { invalidIdentifier, invalidQueryParameter } from '../errors/api-error';
import { ForwardAuthQuery, parseForwardAuthQuery, rawQuestionOf } from '../requests/forward-auth-query';
import { InvalidIdentifierError } from '../requests/identifier';
import { InvalidQueryParameterError } from '../requests/query-parameters';

/** The question in the query string, as the client sent it, for a pipe to decode. */
export const RawQuestion = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  rawQuestionOf(context.switchToHttp().getRequest<Request>().originalUrl),
);

@Injectable()
export class ForwardAuthQueryPipe implements PipeTransform<string, ForwardAuthQuery> {
  constructor(private readonly environment: Environment) {}

  transform(rawQuery: string): ForwardAuthQuery {
    try {
      return parseForwardAuthQuery(rawQuery, this.environment.MAX_GROUPS_PER_CHECK);
    } catch (error) {
      if (error instanceof InvalidIdentifierError) {
        throw invalidIdentifier(error.message, error.problem);
      }
      if (error instanceof InvalidQueryParameterError) {
        throw invalidQueryParameter(error.message, error.parameter, error.problem);
      }
      throw error;
    }
  }
}

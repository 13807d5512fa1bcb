import { Injectable, PipeTransform } from '@nestjs/common';
import { Environment } from '../config/environment';
import { invalidIdentifier } from '../errors/api-error';
import { segmentAsSent } from '../http/raw-path-parameters';
import { InvalidIdentifierError } from '../requests/identifier';
import { MembershipQuery, parseMembershipQuery } from '../requests/membership-query';

export interface MembershipRouteParams {
  readonly userIdentifier?: string;
  readonly groupIdentifiers?: string;
}

@Injectable()
export class MembershipQueryPipe implements PipeTransform<MembershipRouteParams, MembershipQuery> {
  constructor(private readonly environment: Environment) {}

  transform(params: MembershipRouteParams): MembershipQuery {
    try {
      const { userIdentifier = '', groupIdentifiers = '' } = params;
      const maxGroups = this.environment.MAX_GROUPS_PER_CHECK;
      return parseMembershipQuery(segmentAsSent(userIdentifier), segmentAsSent(groupIdentifiers), maxGroups);
    } catch (error) {
      if (error instanceof InvalidIdentifierError) {
        throw invalidIdentifier(error.message, error.problem);
      }
      throw error;
    }
  }
}

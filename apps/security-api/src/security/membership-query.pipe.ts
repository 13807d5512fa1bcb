import { Injectable, PipeTransform } from '@nestjs/common';
import { Environment } from '../config/environment';
import { segmentAsSent } from '../http/raw-path-parameters';
import { MembershipQuery, parseMembershipQuery } from '../requests/membership-query';
import { parsedOr400 } from './invalid-request';

export interface MembershipRouteParams {
  readonly userIdentifier?: string;
  readonly groupIdentifiers?: string;
}

@Injectable()
export class MembershipQueryPipe implements PipeTransform<MembershipRouteParams, MembershipQuery> {
  constructor(private readonly environment: Environment) {}

  transform(params: MembershipRouteParams): MembershipQuery {
    const { userIdentifier = '', groupIdentifiers = '' } = params;
    const maxGroups = this.environment.MAX_GROUPS_PER_CHECK;
    return parsedOr400(() =>
      parseMembershipQuery(segmentAsSent(userIdentifier), segmentAsSent(groupIdentifiers), maxGroups),
    );
  }
}

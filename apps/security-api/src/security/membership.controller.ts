import { Directory, DirectoryUser } from '@app/directory';
import { applyDecorators, Controller, Get, Head, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, userNamedBy } from '../auth/caller';
import { MembershipExplanation, membershipExplanation } from '../bodies/membership-explanation';
import {
  ApiAdministratorsOnly,
  ApiAmbiguousIdentifier,
  ApiInvalidIdentifier,
  ApiNotFound,
  ApiUriTooLong,
} from '../openapi/error-responses';
import { ApiGroupIdentifierList, ApiUserIdentifier } from '../openapi/identifier-parameters';
import { MembershipQuery } from '../requests/membership-query';
import { foundOrThrow } from './directory-answers';
import { MembershipQueryPipe } from './membership-query.pipe';

// Both segments are optional in the route so that an empty one reaches the guard (401/403) and then the pipe (400),
// rather than missing the route and answering 404 to anyone.
const CHECK_ROUTE = '{:userIdentifier}/groups{/:groupIdentifiers}';

/** What HEAD and GET share: the parameters, and every error the check gives after the guard's. */
const ApiMembershipCheck = (): MethodDecorator =>
  applyDecorators(
    ApiUserIdentifier(),
    ApiGroupIdentifierList(),
    ApiInvalidIdentifier({ list: true }),
    ApiNotFound(
      'The user is unknown, no listed group exists, or the user is in none of them ("User not in group").',
      'USER_NOT_FOUND',
      'GROUP_NOT_FOUND',
      'NOT_A_MEMBER',
    ),
    ApiAmbiguousIdentifier(),
  );

@ApiTags('security')
@ApiAdministratorsOnly()
@ApiUriTooLong()
@Controller('api/security/users')
export class MembershipController {
  constructor(private readonly directory: Directory) {}

  @Head(CHECK_ROUTE)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Is the user a member of any of the groups, directly or through child groups?' })
  @ApiNoContentResponse({ description: 'The user is a member of at least one listed group.' })
  @ApiMembershipCheck()
  async check(@Param(MembershipQueryPipe) query: MembershipQuery, @Caller() caller: DirectoryUser): Promise<void> {
    foundOrThrow(await this.directory.isMember(userNamedBy(query.user, caller), query.groups));
  }

  @Get(CHECK_ROUTE)
  @ApiOperation({ summary: 'The same check, explained: which group matched, and through which child groups.' })
  @ApiOkResponse({ description: 'The user is a member of at least one listed group.', type: MembershipExplanation })
  @ApiMembershipCheck()
  async explain(
    @Param(MembershipQueryPipe) query: MembershipQuery,
    @Caller() caller: DirectoryUser,
  ): Promise<MembershipExplanation> {
    const answer = await this.directory.checkMembership(userNamedBy(query.user, caller), query.groups);
    return membershipExplanation(foundOrThrow(answer));
  }
}

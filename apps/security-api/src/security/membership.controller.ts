import { Directory, DirectoryUser } from '@app/directory';
import { applyDecorators, Get, Head, HttpCode, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, userNamedBy } from '../auth/caller';
import { AllowSelf } from '../auth/self-access';
import { MembershipExplanation, membershipExplanation } from '../bodies/membership-explanation';
import {
  ApiAdministratorsOrSelf,
  ApiAmbiguousIdentifier,
  ApiInvalidIdentifier,
  ApiNotFound,
} from '../openapi/error-responses';
import { ApiGroupIdentifier, ApiGroupIdentifierList, ApiUserIdentifier } from '../openapi/identifier-parameters';
import { MembershipQuery } from '../requests/membership-query';
import { checked } from './directory-answers';
import { GROUP_IDENTIFIER, USER_IDENTIFIER } from './identifier.pipe';
import { MembershipQueryPipe } from './membership-query.pipe';
import { SecurityController } from './security-controller.decorator';

// Both segments are optional in the route so that an empty one reaches the guard (401/403) and then the pipe (400),
// rather than missing the route and answering 404 to anyone.
const CHECK_ROUTE = 'users/{:userIdentifier}/groups{/:groupIdentifiers}';

/** A HEAD answer has no body, so a client (Swagger UI too) sees an error's status and headers only. */
const HEAD_ERRORS_EXPLAINED =
  'An answer to HEAD has no body: the reason of an error (data.reason) is in the answer to GET of the same path, ' +
  "and in the service's log line under the answer's X-Log-Id.";

/** What HEAD and GET share: the parameters, and every error the check gives after the guard's. */
const ApiMembershipCheck = (): MethodDecorator =>
  applyDecorators(
    ApiAdministratorsOrSelf(),
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

@SecurityController('api/security')
export class MembershipController {
  constructor(private readonly directory: Directory) {}

  @Head(CHECK_ROUTE)
  @AllowSelf('userIdentifier')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'checkMembership',
    summary: 'Is the user a member of any of the groups, directly or through child groups?',
    description: HEAD_ERRORS_EXPLAINED,
  })
  @ApiNoContentResponse({ description: 'The user is a member of at least one listed group.' })
  @ApiMembershipCheck()
  async check(
    @Param(MembershipQueryPipe) query: MembershipQuery,
    @Caller() caller: DirectoryUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await checked(response, query, () => this.directory.isMember(userNamedBy(query.user, caller), query.groups));
  }

  @Get(CHECK_ROUTE)
  @AllowSelf('userIdentifier')
  @ApiOperation({
    operationId: 'explainMembership',
    summary: 'The same check, explained: which group matched, and through which child groups.',
  })
  @ApiOkResponse({ description: 'The user is a member of at least one listed group.', type: MembershipExplanation })
  @ApiMembershipCheck()
  async explain(
    @Param(MembershipQueryPipe) query: MembershipQuery,
    @Caller() caller: DirectoryUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MembershipExplanation> {
    const membership = await checked(response, query, () =>
      this.directory.checkMembership(userNamedBy(query.user, caller), query.groups),
    );
    return membershipExplanation(membership);
  }

  /**
   * The membership check seen from the group: one group, one user, nested membership counts. Registered before the
   * group's lists, so that HEAD groups/{group}/users/ (an empty user) is this check's 400, not the HEAD of the list of
   * users.
   */
  @Head('groups/{:groupIdentifier}/users/{:userIdentifier}')
  @AllowSelf('userIdentifier')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'hasUser',
    summary: 'Is the user a member of the group, directly or through child groups?',
    description:
      'The membership check for one group. The group is one identifier: a comma is part of its name. Open to ' +
      'administrators about anyone, and to any authenticated caller about themself (self-access; see 403). ' +
      HEAD_ERRORS_EXPLAINED,
  })
  @ApiGroupIdentifier()
  @ApiUserIdentifier()
  @ApiNoContentResponse({ description: 'The user is a member of the group.' })
  @ApiAdministratorsOrSelf()
  @ApiInvalidIdentifier()
  @ApiNotFound(
    'The user is unknown, the group is unknown, or the user is not in it ("User not in group").',
    'USER_NOT_FOUND',
    'GROUP_NOT_FOUND',
    'NOT_A_MEMBER',
  )
  @ApiAmbiguousIdentifier()
  async hasUser(
    @Param('groupIdentifier', GROUP_IDENTIFIER) group: string,
    @Param('userIdentifier', USER_IDENTIFIER) user: string,
    @Caller() caller: DirectoryUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    // A group name is one item here: a comma in it is part of the name, not a list separator.
    const groups = [group];
    await checked(response, { user, groups }, () => this.directory.isMember(userNamedBy(user, caller), groups));
  }
}

import { Directory, DirectoryUser, GroupScope, PageRequest } from '@app/directory';
import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Caller, userNamedBy } from '../auth/caller';
import { PagedBody, pagedBody } from '../bodies/paged-body';
import { GroupReference, groupReference, UserReference, userReference } from '../bodies/references';
import { userNotFound } from '../errors/api-error';
import { ApiAmbiguousIdentifier, ApiInvalidIdentifier, ApiNotFound } from '../openapi/error-responses';
import { ApiUserIdentifier } from '../openapi/identifier-parameters';
import { ApiPagedList } from '../openapi/paged-lists';
import { foundOrThrow } from './directory-answers';
import { USER_IDENTIFIER } from './identifier.pipe';
import { GroupScopePipe, PageRequestPipe } from './list-query.pipes';
import { SecurityController } from './security-controller.decorator';

// Optional segments, so that an empty one reaches the guard (401/403) and then the pipe (400), as in the check.
@SecurityController('api/security/users')
export class UsersController {
  constructor(private readonly directory: Directory) {}

  @Get('{:userIdentifier}')
  @ApiOperation({ operationId: 'getUser', summary: 'A user: id, username and email.' })
  @ApiUserIdentifier()
  @ApiOkResponse({ description: 'The user; email is null when the entry has none.', type: UserReference })
  @ApiInvalidIdentifier()
  @ApiNotFound('The user is unknown.', 'USER_NOT_FOUND')
  @ApiAmbiguousIdentifier()
  async user(
    @Param('userIdentifier', USER_IDENTIFIER) identifier: string,
    @Caller() caller: DirectoryUser,
  ): Promise<UserReference> {
    const user = userNamedBy(identifier, caller);
    if (typeof user !== 'string') {
      return userReference(user);
    }
    return userReference(foundOrThrow(await this.directory.findUser(user), userNotFound).user);
  }

  /** Registered before the membership check, whose route also matches a path without a group list. */
  @Get('{:userIdentifier}/groups')
  @ApiOperation({
    operationId: 'listUserGroups',
    summary: "A page of the user's groups, by name.",
    description:
      'The groups that list the user themselves; with includeInherited=true also every group above those. Ordered by ' +
      'name (case-blind, then exactly), then id. The same route with a group list is the membership check.',
  })
  @ApiUserIdentifier()
  @ApiPagedList({
    description: "A page of the user's groups; past the end, no items.",
    item: GroupReference,
    includeInherited: true,
  })
  @ApiNotFound('The user is unknown.', 'USER_NOT_FOUND')
  @ApiAmbiguousIdentifier()
  async groups(
    @Param('userIdentifier', USER_IDENTIFIER) identifier: string,
    @Query(GroupScopePipe) scope: GroupScope,
    @Query(PageRequestPipe) page: PageRequest,
    @Caller() caller: DirectoryUser,
  ): Promise<PagedBody<GroupReference>> {
    const answer = await this.directory.groupsOfUser(userNamedBy(identifier, caller), scope, page);
    return pagedBody(foundOrThrow(answer, userNotFound).page, groupReference);
  }
}

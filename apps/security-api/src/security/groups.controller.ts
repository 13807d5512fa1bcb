import { Directory, DirectoryUser, PageRequest } from '@app/directory';
import { Controller, Get, Head, HttpCode, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, userNamedBy } from '../auth/caller';
import { AllowSelf } from '../auth/self-access';
import { PagedBody, pagedBody } from '../bodies/paged-body';
import { GroupReference, groupReference, UserReference, userReference } from '../bodies/references';
import { groupNotFound } from '../errors/api-error';
import {
  ApiAdministratorsOnly,
  ApiAdministratorsOrSelf,
  ApiAmbiguousIdentifier,
  ApiInvalidIdentifier,
  ApiNotFound,
  ApiUriTooLong,
} from '../openapi/error-responses';
import { ApiGroupIdentifier, ApiUserIdentifier } from '../openapi/identifier-parameters';
import { ApiPagedList } from '../openapi/paged-lists';
import { foundOrThrow } from './directory-answers';
import { GROUP_IDENTIFIER, USER_IDENTIFIER } from './identifier.pipe';
import { PageRequestPipe } from './list-query.pipes';

const GROUP_NOT_FOUND = 'The group is unknown.';

// Optional segments, so that an empty one reaches the guard (401/403) and then the pipe (400), as in the check.
@ApiTags('security')
@ApiAdministratorsOnly()
@ApiUriTooLong()
@Controller('api/security/groups')
export class GroupsController {
  constructor(private readonly directory: Directory) {}

  @Get('{:groupIdentifier}')
  @ApiOperation({ summary: 'A group: id and name.' })
  @ApiGroupIdentifier()
  @ApiOkResponse({ description: 'The group.', type: GroupReference })
  @ApiInvalidIdentifier()
  @ApiNotFound(GROUP_NOT_FOUND, 'GROUP_NOT_FOUND')
  @ApiAmbiguousIdentifier()
  async group(@Param('groupIdentifier', GROUP_IDENTIFIER) identifier: string): Promise<GroupReference> {
    return groupReference(foundOrThrow(await this.directory.findGroup(identifier), groupNotFound).group);
  }

  /**
   * The membership check seen from the group: one group, one user, nested membership counts. Before the lists, so
   * that HEAD groups/{group}/users/ (an empty user) is this check's 400, not the HEAD of the list of users.
   */
  @Head('{:groupIdentifier}/users/{:userIdentifier}')
  @AllowSelf('userIdentifier')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Is the user a member of the group, directly or through child groups?',
    description:
      'The membership check for one group. The group is one identifier: a comma is part of its name. Open to ' +
      'administrators about anyone, and to any authenticated caller about themself (self-access; see 403).',
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
  ): Promise<void> {
    // A group name is one item here: a comma in it is part of the name, not a list separator.
    foundOrThrow(await this.directory.isMember(userNamedBy(user, caller), [group]));
  }

  @Get('{:groupIdentifier}/users')
  @ApiOperation({
    summary: 'A page of the users the group lists itself, by username.',
    description:
      'Not the members of its child groups. Ordered by username (case-blind, then exactly), then id. Every request ' +
      'reads the whole list from the directory.',
  })
  @ApiGroupIdentifier()
  @ApiPagedList({ description: "A page of the group's users; past the end, no items.", item: UserReference })
  @ApiNotFound(GROUP_NOT_FOUND, 'GROUP_NOT_FOUND')
  @ApiAmbiguousIdentifier()
  async users(
    @Param('groupIdentifier', GROUP_IDENTIFIER) identifier: string,
    @Query(PageRequestPipe) page: PageRequest,
  ): Promise<PagedBody<UserReference>> {
    const answer = await this.directory.usersInGroup(identifier, page);
    return pagedBody(foundOrThrow(answer, groupNotFound).page, userReference);
  }

  @Get('{:groupIdentifier}/groups')
  @ApiOperation({
    summary: 'A page of the groups the group lists itself, by name.',
    description:
      'Not their members or their own child groups. Ordered by name (case-blind, then exactly), then id. Every ' +
      'request reads the whole list from the directory.',
  })
  @ApiGroupIdentifier()
  @ApiPagedList({ description: "A page of the group's child groups; past the end, no items.", item: GroupReference })
  @ApiNotFound(GROUP_NOT_FOUND, 'GROUP_NOT_FOUND')
  @ApiAmbiguousIdentifier()
  async groups(
    @Param('groupIdentifier', GROUP_IDENTIFIER) identifier: string,
    @Query(PageRequestPipe) page: PageRequest,
  ): Promise<PagedBody<GroupReference>> {
    const answer = await this.directory.groupsInGroup(identifier, page);
    return pagedBody(foundOrThrow(answer, groupNotFound).page, groupReference);
  }
}

import { Directory, PageRequest } from '@app/directory';
import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { PagedBody, pagedBody } from '../bodies/paged-body';
import { GroupReference, groupReference, UserReference, userReference } from '../bodies/references';
import { groupNotFound } from '../errors/api-error';
import { ApiAmbiguousIdentifier, ApiInvalidIdentifier, ApiNotFound } from '../openapi/error-responses';
import { ApiGroupIdentifier } from '../openapi/identifier-parameters';
import { ApiPagedList } from '../openapi/paged-lists';
import { foundOrThrow } from './directory-answers';
import { GROUP_IDENTIFIER } from './identifier.pipe';
import { PageRequestPipe } from './list-query.pipes';
import { SecurityController } from './security-controller.decorator';

const GROUP_NOT_FOUND = 'The group is unknown.';

// Optional segments, so that an empty one reaches the guard (401/403) and then the pipe (400), as in the check.
@SecurityController('api/security/groups')
export class GroupsController {
  constructor(private readonly directory: Directory) {}

  @Get('{:groupIdentifier}')
  @ApiOperation({ operationId: 'getGroup', summary: 'A group: id and name.' })
  @ApiGroupIdentifier()
  @ApiOkResponse({ description: 'The group.', type: GroupReference })
  @ApiInvalidIdentifier()
  @ApiNotFound(GROUP_NOT_FOUND, 'GROUP_NOT_FOUND')
  @ApiAmbiguousIdentifier()
  async group(@Param('groupIdentifier', GROUP_IDENTIFIER) identifier: string): Promise<GroupReference> {
    return groupReference(foundOrThrow(await this.directory.findGroup(identifier), groupNotFound).group);
  }

  @Get('{:groupIdentifier}/users')
  @ApiOperation({
    operationId: 'listGroupUsers',
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
    operationId: 'listGroupGroups',
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

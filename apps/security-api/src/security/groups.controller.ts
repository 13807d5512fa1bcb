import { Directory, DirectoryUser, PageRequest } from '@app/directory';
import { Controller, Get, Head, HttpCode, HttpStatus, Param, Query } from '@nestjs/common';
import { ambiguousIdentifier, groupNotFound, notAMember, userNotFound } from '../errors/api-error';
import { Caller, userNamedBy } from './caller';
import { GROUP_IDENTIFIER, USER_IDENTIFIER } from './identifier.pipe';
import { PageRequestPipe } from './list-query.pipes';
import { GroupBody, groupBody, PagedBody, pagedBody, pageOrThrow, UserBody, userBody } from './resource-bodies';
import { AllowSelf } from './self-access';

// Optional segments, so that an empty one reaches the guard (401/403) and then the pipe (400), as in the check.
@Controller('api/security/groups')
export class GroupsController {
  constructor(private readonly directory: Directory) {}

  @Get('{:groupIdentifier}')
  async group(@Param('groupIdentifier', GROUP_IDENTIFIER) identifier: string): Promise<GroupBody> {
    const lookup = await this.directory.findGroup(identifier);
    switch (lookup.kind) {
      case 'found':
        return groupBody(lookup.group);
      case 'not-found':
        throw groupNotFound();
      case 'ambiguous':
        throw ambiguousIdentifier(lookup.identifier, lookup.candidateIds);
    }
  }

  /**
   * The membership check seen from the group: one group, one user, nested membership counts. Before the lists, so
   * that HEAD groups/{group}/users/ (an empty user) is this check's 400, not the HEAD of the list of users.
   */
  @Head('{:groupIdentifier}/users/{:userIdentifier}')
  @AllowSelf('userIdentifier')
  @HttpCode(HttpStatus.NO_CONTENT)
  async hasUser(
    @Param('groupIdentifier', GROUP_IDENTIFIER) group: string,
    @Param('userIdentifier', USER_IDENTIFIER) user: string,
    @Caller() caller: DirectoryUser,
  ): Promise<void> {
    // A group name is one item here: a comma in it is part of the name, not a list separator.
    const answer = await this.directory.checkMembership(userNamedBy(user, caller), [group]);
    switch (answer.kind) {
      case 'member':
        return;
      case 'not-a-member':
        throw notAMember();
      case 'user-not-found':
        throw userNotFound();
      case 'no-group-found':
        throw groupNotFound();
      case 'ambiguous':
        throw ambiguousIdentifier(answer.identifier, answer.candidateIds);
    }
  }

  @Get('{:groupIdentifier}/users')
  async users(
    @Param('groupIdentifier', GROUP_IDENTIFIER) identifier: string,
    @Query(PageRequestPipe) page: PageRequest,
  ): Promise<PagedBody<UserBody>> {
    return pagedBody(pageOrThrow(await this.directory.usersInGroup(identifier, page), groupNotFound), userBody);
  }

  @Get('{:groupIdentifier}/groups')
  async groups(
    @Param('groupIdentifier', GROUP_IDENTIFIER) identifier: string,
    @Query(PageRequestPipe) page: PageRequest,
  ): Promise<PagedBody<GroupBody>> {
    return pagedBody(pageOrThrow(await this.directory.groupsInGroup(identifier, page), groupNotFound), groupBody);
  }

}

import { Directory, DirectoryUser, GroupScope, PageRequest } from '@app/directory';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ambiguousIdentifier, userNotFound } from '../errors/api-error';
import { Caller, userNamedBy } from './caller';
import { USER_IDENTIFIER } from './identifier.pipe';
import { GroupScopePipe, PageRequestPipe } from './list-query.pipes';
import { GroupBody, groupBody, PagedBody, pagedBody, pageOrThrow, UserBody, userBody } from './resource-bodies';

// Optional segments, so that an empty one reaches the guard (401/403) and then the pipe (400), as in the check.
@Controller('api/security/users')
export class UsersController {
  constructor(private readonly directory: Directory) {}

  @Get('{:userIdentifier}')
  async user(
    @Param('userIdentifier', USER_IDENTIFIER) identifier: string,
    @Caller() caller: DirectoryUser,
  ): Promise<UserBody> {
    const user = userNamedBy(identifier, caller);
    if (typeof user !== 'string') {
      return userBody(user);
    }
    const lookup = await this.directory.findUser(user);
    switch (lookup.kind) {
      case 'found':
        return userBody(lookup.user);
      case 'not-found':
        throw userNotFound();
      case 'ambiguous':
        throw ambiguousIdentifier(lookup.identifier, lookup.candidateIds);
    }
  }

  /** Registered before the membership check, whose route also matches a path without a group list. */
  @Get('{:userIdentifier}/groups')
  async groups(
    @Param('userIdentifier', USER_IDENTIFIER) identifier: string,
    @Query(GroupScopePipe) scope: GroupScope,
    @Query(PageRequestPipe) page: PageRequest,
    @Caller() caller: DirectoryUser,
  ): Promise<PagedBody<GroupBody>> {
    const answer = await this.directory.groupsOfUser(userNamedBy(identifier, caller), scope, page);
    return pagedBody(pageOrThrow(answer, userNotFound), groupBody);
  }
}

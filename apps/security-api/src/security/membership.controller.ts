import { Directory, DirectoryGroup, DirectoryUser, MembershipAnswer } from '@app/directory';
import { Controller, Get, Head, HttpCode, HttpStatus, Param } from '@nestjs/common';
import {
  ambiguousIdentifier,
  groupNotFound,
  notAMember,
  userNotFound,
} from '../errors/api-error';
import { Caller, userNamedBy } from './caller';
import { MembershipQuery } from './membership-query';
import { MembershipQueryPipe } from './membership-query.pipe';

export interface MembershipExplanation {
  readonly member: true;
  readonly user: { readonly id: string; readonly username: string; readonly email: string | null };
  readonly matched: DirectoryGroup;
  readonly path: readonly DirectoryGroup[];
}

// Both segments are optional in the route so that an empty one reaches the guard (401/403) and then the pipe (400),
// rather than missing the route and answering 404 to anyone.
const CHECK_ROUTE = '{:userIdentifier}/groups{/:groupIdentifiers}';

@Controller('api/security/users')
export class MembershipController {
  constructor(private readonly directory: Directory) {}

  @Head(CHECK_ROUTE)
  @HttpCode(HttpStatus.NO_CONTENT)
  async check(@Param(MembershipQueryPipe) query: MembershipQuery, @Caller() caller: DirectoryUser): Promise<void> {
    await this.membershipOf(query, caller);
  }

  @Get(CHECK_ROUTE)
  async explain(
    @Param(MembershipQueryPipe) query: MembershipQuery,
    @Caller() caller: DirectoryUser,
  ): Promise<MembershipExplanation> {
    const { user, matched, path } = await this.membershipOf(query, caller);
    return { member: true, user: describeUser(user), matched, path };
  }

  private async membershipOf(
    query: MembershipQuery,
    caller: DirectoryUser,
  ): Promise<Extract<MembershipAnswer, { kind: 'member' }>> {
    const answer = await this.directory.checkMembership(userNamedBy(query.user, caller), query.groups);
    switch (answer.kind) {
      case 'member':
        return answer;
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
}

function describeUser({ id, username, email }: DirectoryUser): MembershipExplanation['user'] {
  return { id, username, email: email ?? null };
}

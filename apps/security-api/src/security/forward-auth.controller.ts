import { Directory, DirectoryUser } from '@app/directory';
import { Controller, Get, Head, HttpCode, HttpStatus, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowSelfUnlessQuery } from '../auth/self-access';
import { Caller } from '../auth/caller';
import { identityHeaders } from '../bodies/identity-headers';
import { userNotFound } from '../errors/api-error';
import { GatewayAnswersFilter } from '../errors/gateway-answers.filter';
import { ApiForwardAuth } from '../openapi/forward-auth-responses';
import { ForwardAuthQuery } from '../requests/forward-auth-query';
import { checked, foundOrThrow } from './directory-answers';
import { ForwardAuthQueryPipe, RawQuestion } from './forward-auth-query.pipe';

const DESCRIPTION =
  'For gateways that ask on every request whether it may pass (nginx auth_request, Caddy forward_auth, Traefik ' +
  'ForwardAuth, Envoy ext_authz): the gateway forwards the Authorization header, and the caller asks about themself, ' +
  'needing no admin rights. A member gets 200 and the Remote-* headers, for the gateway to hand on; every refusal ' +
  'is 401 (credentials) or 403, since a gateway takes any other status for an error.';

/** The membership check as a gateway asks it: the answer in statuses it understands, the identity in headers. */
@ApiTags('security')
@Controller('api/security/forward-auth')
@UseFilters(GatewayAnswersFilter)
export class ForwardAuthController {
  constructor(private readonly directory: Directory) {}

  @Get()
  @AllowSelfUnlessQuery('user')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'forwardAuth',
    summary: 'May this user pass? (GET, as Caddy and Traefik ask)',
    description: DESCRIPTION,
  })
  @ApiForwardAuth()
  get(
    @RawQuestion(ForwardAuthQueryPipe) query: ForwardAuthQuery,
    @Caller() caller: DirectoryUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    return this.answer(query, caller, response);
  }

  @Head()
  @AllowSelfUnlessQuery('user')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'forwardAuthHead',
    summary: 'May this user pass? (HEAD)',
    description:
      `${DESCRIPTION} An answer to HEAD has no body: the reason of a refusal (data.reason) is in the answer to GET ` +
      "of the same question, and in the service's log line under the answer's X-Log-Id.",
  })
  @ApiForwardAuth()
  head(
    @RawQuestion(ForwardAuthQueryPipe) query: ForwardAuthQuery,
    @Caller() caller: DirectoryUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    return this.answer(query, caller, response);
  }

  private async answer(query: ForwardAuthQuery, caller: DirectoryUser, response: Response): Promise<void> {
    const question = { user: query.user ?? caller.username, groups: query.groups };
    const { user } = await checked(response, question, () =>
      this.directory.isMember(query.user ?? caller, query.groups),
    );
    const { identity } = foundOrThrow(await this.directory.identityOf(user), userNotFound);
    response.set(identityHeaders(identity));
  }
}

import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import { MAX_IDENTIFIER_LENGTH } from '../requests/identifier';
import {
  ApiAuthenticationRequired,
  ApiDirectoryFaults,
  ApiErrorResponse,
  ApiInvalidIdentifier,
} from './error-responses';

const ENCODING =
  'Percent-encoded UTF-8 where a character is not printable ASCII, or is "%"; empty when the directory has no value.';

/** What forward-auth reads and answers: a gateway understands 2xx, 401 and 403, so every refusal is a 403. */
export const ApiForwardAuth = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({
      name: 'group',
      required: true,
      isArray: true,
      style: 'form',
      explode: true,
      schema: { type: 'array', items: { type: 'string', maxLength: MAX_IDENTIFIER_LENGTH } },
      description:
        'A group by name or id; repeat it for several (OR). Each value is one whole identifier: a comma is part of the ' +
        'name. Form-encoded: "+" is a space.',
      examples: {
        names: {
          summary: 'Two groups (OR), one with a comma inside',
          value: ['Paper Street Soap Company', 'Smith, Jones'],
        },
      },
    }),
    ApiQuery({
      name: 'user',
      required: false,
      schema: { type: 'string', maxLength: MAX_IDENTIFIER_LENGTH },
      description:
        'Another user to ask about (username, email or id), for a gateway that authenticates users itself: only a ' +
        'caller in ADMIN_GROUP may name one. Without it (clear it in "Try it out"), the caller asks about themself.',
      examples: { username: { value: 'tdurden' } },
    }),
    ApiOkResponse({
      description: 'The user is a member of at least one of the groups: pass. No body.',
      headers: {
        'Remote-User': {
          description: `The canonical username, whatever login was typed. ${ENCODING}`,
          schema: { type: 'string' },
        },
        'Remote-Name': { description: `The name a person reads. ${ENCODING}`, schema: { type: 'string' } },
        'Remote-Email': { description: `The email address. ${ENCODING}`, schema: { type: 'string' } },
        'Remote-Groups': {
          description: `Every group the user is in, directly or through child groups, by name, comma-separated; a comma inside a name is %2C. ${ENCODING}`,
          schema: { type: 'string' },
        },
      },
    }),
    ApiInvalidIdentifier({ list: true, queryParameters: ['group', 'user'] }),
    ApiAuthenticationRequired(),
    ApiErrorResponse(403, {
      description:
        'Refused: the user is not a member of any of the groups, no group or user of that name exists, a name is ' +
        'ambiguous, a caller outside ADMIN_GROUP named a user, or too many failed logins (until Retry-After).',
      reasons: [
        'NOT_A_MEMBER',
        'GROUP_NOT_FOUND',
        'USER_NOT_FOUND',
        'AMBIGUOUS_IDENTIFIER',
        'NOT_AN_ADMINISTRATOR',
        'TOO_MANY_FAILED_LOGINS',
      ],
      headers: {
        'Retry-After': {
          description: 'With TOO_MANY_FAILED_LOGINS only: seconds to wait before asking again.',
          required: false,
          schema: { type: 'integer', minimum: 1 },
        },
      },
    }),
    ApiDirectoryFaults(),
  );

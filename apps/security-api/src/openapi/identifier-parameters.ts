import { ApiParam } from '@nestjs/swagger';
import { MAX_IDENTIFIER_LENGTH } from '../requests/identifier';

// Examples are plain values: a client, Swagger UI's "Try it out" among them, percent-encodes each one once.
const ENCODING =
  `Sent percent-encoded as UTF-8 (the examples are plain values, to be encoded once); at most ` +
  `${MAX_IDENTIFIER_LENGTH} characters once decoded, no control characters.`;

/** A path parameter naming one user: username, email address or id. */
export const ApiUserIdentifier = (name = 'userIdentifier'): MethodDecorator =>
  ApiParam({
    name,
    required: true,
    schema: { type: 'string', minLength: 1 },
    description:
      'A username, an email address or an id. An id is matched only when the value has UUID syntax; when one value ' +
      'matches several users, the id wins, then the username, then the email. "@current" (or "%40current") is the ' +
      `authenticated caller; a user whose username is literally "@current" is reached by id or email. ${ENCODING}`,
    examples: {
      username: { value: 'tdurden' },
      email: { value: 't.durden@fightclub.com' },
      id: { value: '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f' },
    },
  });

/** A path parameter naming one group: name or id. */
export const ApiGroupIdentifier = (name = 'groupIdentifier'): MethodDecorator =>
  ApiParam({
    name,
    required: true,
    schema: { type: 'string', minLength: 1 },
    description:
      'A group name or id (an id is matched only when the value has UUID syntax, and wins over a name). One ' +
      `identifier: a comma, sent as it is or as "%2C", is part of the name. ${ENCODING}`,
    examples: {
      name: { value: 'Paper Street Soap Company' },
      id: { value: '9bb89380-fd49-41a5-ab2f-fc25e482a251' },
    },
  });

/**
 * A path parameter listing groups (names or ids), as the membership check reads it. Described as an array in the
 * simple style so that a client (Swagger UI too) joins the items with "," and percent-encodes each item, turning a
 * comma inside a name into "%2C", which is how the check tells the two apart.
 */
export const ApiGroupIdentifierList = (name = 'groupIdentifiers'): MethodDecorator =>
  ApiParam({
    name,
    required: true,
    style: 'simple',
    explode: false,
    schema: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    description:
      'One or more group names or ids, separated by ",": the user is a member when in at least one of them (OR). ' +
      'The segment is split on "," before percent-decoding, so "%2C" is a comma inside a name. Items are not ' +
      'trimmed: "%20" is part of a name, and the directory\'s matching rule decides what it matches. No item may be ' +
      'empty; at most MAX_GROUPS_PER_CHECK items (default 100), counted as sent; duplicates count once. Each item: ' +
      `${ENCODING} An id is matched only when the item has UUID syntax.`,
    examples: {
      name: { value: ['Paper Street Soap Company'] },
      id: { value: ['9bb89380-fd49-41a5-ab2f-fc25e482a251'] },
      list: { summary: 'Two groups (OR)', value: ['Loners', 'Liposuction Technicians'] },
      comma: { summary: 'A comma inside a name', value: ['Smith, Jones'] },
    },
  });

import { PipeTransform } from '@nestjs/common';
import { segmentAsSent } from '../http/raw-path-parameters';
import { decodeIdentifier } from '../requests/identifier';
import { parsedOr400 } from './invalid-request';

/** One raw route segment (see keepRouteParametersRaw) → the identifier it names, or 400 INVALID_IDENTIFIER. */
export class IdentifierPipe implements PipeTransform<string | undefined, string> {
  constructor(private readonly subject: string) {}

  transform(raw: string | undefined): string {
    return parsedOr400(() => decodeIdentifier(segmentAsSent(raw ?? ''), this.subject));
  }
}

export const USER_IDENTIFIER = new IdentifierPipe('The user identifier');
export const GROUP_IDENTIFIER = new IdentifierPipe('The group identifier');

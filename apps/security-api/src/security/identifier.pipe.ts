import { PipeTransform } from '@nestjs/common';
import { invalidIdentifier } from '../errors/api-error';
import { segmentAsSent } from '../http/raw-path-parameters';
import { decodeIdentifier, InvalidIdentifierError } from '../requests/identifier';

/** One raw route segment (see keepRouteParametersRaw) → the identifier it names, or 400 INVALID_IDENTIFIER. */
export class IdentifierPipe implements PipeTransform<string | undefined, string> {
  constructor(private readonly subject: string) {}

  transform(raw: string | undefined): string {
    try {
      return decodeIdentifier(segmentAsSent(raw ?? ''), this.subject);
    } catch (error) {
      if (error instanceof InvalidIdentifierError) {
        throw invalidIdentifier(error.message, error.problem);
      }
      throw error;
    }
  }
}

export const USER_IDENTIFIER = new IdentifierPipe('The user identifier');
export const GROUP_IDENTIFIER = new IdentifierPipe('The group identifier');

import { invalidIdentifier, invalidQueryParameter } from '../errors/api-error';
import { InvalidIdentifierError } from '../requests/identifier';
import { InvalidQueryParameterError } from '../requests/query-parameters';

/** Parses what a request says, turning what requests/ finds wrong with it into the client's 400. */
export function parsedOr400<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidIdentifierError) {
      throw invalidIdentifier(error.message, error.problem);
    }
    if (error instanceof InvalidQueryParameterError) {
      throw invalidQueryParameter(error.message, error.parameter, error.problem);
    }
    throw error;
  }
}

import { Catch, HttpStatus } from '@nestjs/common';
import { ErrorAnswer, ErrorModelFilter } from './error-model.filter';

/** What a gateway's auth request may answer besides a pass (2xx) and an error it is right to show as one. */
const REFUSALS = new Set<number>([HttpStatus.NOT_FOUND, HttpStatus.CONFLICT, HttpStatus.TOO_MANY_REQUESTS]);

/**
 * Gateways take 2xx from an auth request as a pass and 401 or 403 as a refusal; anything else is an error to them
 * (nginx answers the client 500). So on forward-auth, every refusal is a 403: an unknown user or group (404), an
 * ambiguous name (409) and too many failed logins (429) keep their reason and headers (Retry-After), and are refused.
 */
@Catch()
export class GatewayAnswersFilter extends ErrorModelFilter {
  protected override clientsView(answer: ErrorAnswer): ErrorAnswer {
    return REFUSALS.has(answer.status) ? { ...answer, status: HttpStatus.FORBIDDEN } : answer;
  }
}

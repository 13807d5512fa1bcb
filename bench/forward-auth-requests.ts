import { LoadRequest } from './load-driver';

const CHECK_PATH = /^\/api\/security\/users\/([^/]+)\/groups\/([^/]+)$/;

/**
 * The same question as a HEAD check, asked as a trusted gateway asks forward-auth about a user it authenticated
 * itself (user=…, as an administrator): a member's 204 becomes 200, and "not a member" (404) the gateway's 403.
 */
export function asForwardAuth(check: LoadRequest): LoadRequest {
  const match = CHECK_PATH.exec(check.path);
  if (!match || check.method !== 'HEAD' || ![204, 404].includes(check.expectedStatus)) {
    throw new Error(`Not a HEAD membership check: ${check.method} ${check.path} → ${check.expectedStatus}`);
  }
  const [, user, groups] = match;
  // The path's items are percent-encoded already; a "+" would be a space in a query, so it is written as %2B.
  const groupParameters = groups.split(',').map((group) => `group=${group.replaceAll('+', '%2B')}`);
  return {
    method: 'HEAD',
    path: `/api/security/forward-auth?user=${user.replaceAll('+', '%2B')}&${groupParameters.join('&')}`,
    expectedStatus: check.expectedStatus === 204 ? 200 : 403,
  };
}

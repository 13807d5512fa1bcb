import { DestinationStream, destination } from 'pino';
import { Environment } from '../config/environment';

/** Where log lines go: a token, so that the tests can read exactly what the service writes. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * Standard output, written synchronously so that nothing is lost when the process exits. LOG_FORMAT=pretty (the demo)
 * formats each line for a person; pino-pretty is a development dependency, so a production install has JSON only.
 */
export function logDestinationFor(environment: Environment): DestinationStream {
  if (environment.LOG_FORMAT === 'json') {
    return destination({ dest: 1, sync: true });
  }
  let pretty: typeof import('pino-pretty');
  try {
    // Required only when asked for: an import would fail the start of every production install, which has none.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pretty = require('pino-pretty') as typeof import('pino-pretty');
  } catch (error) {
    throw new Error('LOG_FORMAT=pretty needs pino-pretty, a development dependency (npm ci without --omit=dev)', {
      cause: error,
    });
  }
  return pretty.build({ destination: 1, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

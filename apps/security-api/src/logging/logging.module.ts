import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment';
import { LOG_DESTINATION, logDestinationFor } from './log-destination';
import { loggerParams } from './request-log';

/** pino through nestjs-pino: Nest's own Logger calls and the request lines, as JSON on standard output. */
export const LoggingModule = LoggerModule.forRootAsync({
  providers: [{ provide: LOG_DESTINATION, inject: [Environment], useFactory: logDestinationFor }],
  inject: [Environment, LOG_DESTINATION],
  useFactory: loggerParams,
});

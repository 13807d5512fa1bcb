import { Global, Logger, Module } from '@nestjs/common';
import { Environment, environmentOfProcess } from './environment';
import { unknownVariableWarnings, variableNamesOf } from './unknown-variables';

function environmentWithWarnings(): Environment {
  const environment = environmentOfProcess();
  const logger = new Logger('Configuration');
  unknownVariableWarnings(process.env, variableNamesOf(Environment)).forEach((warning) => logger.warn(warning));
  return environment;
}

@Global()
@Module({
  providers: [{ provide: Environment, useFactory: environmentWithWarnings }],
  exports: [Environment],
})
export class ConfigModule {}

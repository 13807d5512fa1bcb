import { Global, Logger, Module } from '@nestjs/common';
import { Environment, validateEnvironment } from './environment';
import { unknownVariableWarnings, variableNamesOf } from './unknown-variables';

function environmentOfProcess(): Environment {
  const environment = validateEnvironment(process.env);
  const logger = new Logger('Configuration');
  unknownVariableWarnings(process.env, variableNamesOf(Environment)).forEach((warning) => logger.warn(warning));
  return environment;
}

@Global()
@Module({
  providers: [{ provide: Environment, useFactory: environmentOfProcess }],
  exports: [Environment],
})
export class ConfigModule {}

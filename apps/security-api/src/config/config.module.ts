import { Global, Module } from '@nestjs/common';
import { Environment, validateEnvironment } from './environment';

@Global()
@Module({
  providers: [{ provide: Environment, useFactory: () => validateEnvironment(process.env) }],
  exports: [Environment],
})
export class ConfigModule {}

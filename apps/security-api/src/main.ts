import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ConfigurationError } from './config/configuration-error';
import { Environment, environmentOfProcess } from './config/environment';
import { configureHttp } from './http/http-setup';

async function bootstrap(): Promise<void> {
  // Lines logged while the application is built wait for pino; if it cannot be built, Nest prints them as text.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureHttp(app);
  // On SIGTERM the server stops accepting, the directory's connections are unbound, and the process exits 0: a stop
  // that went as planned, not a death by signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const { PORT, HOST } = app.get(Environment);
  await (HOST === undefined ? app.listen(PORT) : app.listen(PORT, HOST));
}

/** A configuration mistake is the operator's to fix, not a crash: the problems alone, without a stack or colour. */
function configurationProblems(): string | undefined {
  try {
    environmentOfProcess();
    return undefined;
  } catch (error) {
    if (error instanceof ConfigurationError) {
      return error.message;
    }
    throw error;
  }
}

const problems = configurationProblems();
if (problems === undefined) {
  void bootstrap();
} else {
  process.stderr.write(`${problems}\n`);
  process.exitCode = 1;
}

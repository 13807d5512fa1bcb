import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Environment } from './config/environment';
import { configureHttp } from './http/http-setup';

async function bootstrap(): Promise<void> {
  // Lines logged while the application is built wait for pino; if it cannot be built, Nest prints them as text.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureHttp(app);
  // On SIGTERM the server stops accepting, the directory's connections are unbound, and the process exits 0: a stop
  // that went as planned, not a death by signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(app.get(Environment).PORT);
}

void bootstrap();

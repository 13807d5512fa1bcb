import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { Environment } from './config/environment';
import { configureHttp } from './http-setup';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
  configureHttp(app);
  app.enableShutdownHooks();
  await app.listen(app.get(Environment).PORT);
}

void bootstrap();

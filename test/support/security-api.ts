import { LoggerService } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/security-api/src/app.module';
import { Environment, validateEnvironment } from '../../apps/security-api/src/config/environment';
import { configureHttp } from '../../apps/security-api/src/http-setup';

/** Keeps what the service logs, so tests can find a response's logId in it and check what never appears. */
export class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown): void {
    this.lines.push(`LOG ${String(message)}`);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push(`ERROR ${String(message)} ${rest.map(String).join(' ')}`);
  }
  warn(message: unknown): void {
    this.lines.push(`WARN ${String(message)}`);
  }
  debug(): void {}
  verbose(): void {}

  containing(text: string): string[] {
    return this.lines.filter((line) => line.includes(text));
  }
}

/** The real AppModule, in-process, configured by environment variables as in production. */
export async function startSecurityApi(
  variables: Record<string, string>,
): Promise<{ app: NestExpressApplication; logs: CapturedLogs }> {
  const logs = new CapturedLogs();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Environment)
    .useValue(validateEnvironment(variables))
    .compile();
  const app = configureHttp(moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: logs }));
  await app.init();
  return { app, logs };
}

export function basic(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`, 'utf8').toString('base64')}`;
}

import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../apps/security-api/src/app.module';
import { Environment, validateEnvironment } from '../../apps/security-api/src/config/environment';
import { configureHttp } from '../../apps/security-api/src/http/http-setup';
import { LOG_DESTINATION } from '../../apps/security-api/src/logging/log-destination';

/** A log line as the service writes it: pino's JSON. */
export interface LogRecord {
  readonly level: string;
  readonly msg?: string;
  readonly logId?: string;
  readonly [field: string]: unknown;
}

/**
 * Every line that the services of this test file write, exactly as production writes them to standard output. One
 * destination for all: nestjs-pino sends lines logged outside a request to the first pino it made in the process.
 */
const written: string[] = [];
const testDestination = { write: (line: string): void => void written.push(line.trimEnd()) };

/** What the service logs from its start on, so tests can find a response's logId in it and check what never appears. */
export class CapturedLogs {
  private readonly from = written.length;

  get lines(): readonly string[] {
    return written.slice(this.from);
  }

  containing(text: string): string[] {
    return this.lines.filter((line) => line.includes(text));
  }

  /** The lines written for the request that was given this logId. */
  withLogId(logId: string): LogRecord[] {
    return this.lines.map((line) => JSON.parse(line) as LogRecord).filter((record) => record.logId === logId);
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
    .overrideProvider(LOG_DESTINATION)
    .useValue(testDestination)
    .compile();
  const app = configureHttp(moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false }));
  app.useLogger(app.get(Logger));
  await app.init();
  return { app, logs };
}

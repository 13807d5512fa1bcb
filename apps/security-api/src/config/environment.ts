// Implicit conversion reads the property types that TypeScript records as metadata.
import 'reflect-metadata';
import {
  DIRECTORY_DIALECTS,
  DirectoryDialect,
  isAttributeName,
  isServerUrlList,
  transportSecurityConflict,
  usesTls,
} from '@app/directory';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsIP, IsNotEmpty, IsOptional, IsString, ValidateBy, validateSync } from 'class-validator';
import { CertificateFileError, readPemCertificates } from './certificate-file';
import { ConfigurationError } from './configuration-error';
import { DecimalInteger } from './decimal-integer';
import { readSecretFile } from './secret-file';
import { trustedProxies, untrustworthyProxyEntry } from './trusted-proxies';

const IsAttributeName = (): PropertyDecorator =>
  ValidateBy({
    name: 'isAttributeName',
    validator: { validate: isAttributeName, defaultMessage: () => '$property must be an LDAP attribute name' },
  });

const IsAttributeNameList = (): PropertyDecorator =>
  ValidateBy({
    name: 'isAttributeNameList',
    validator: {
      validate: (value) => typeof value === 'string' && value.split(',').every((name) => isAttributeName(name.trim())),
      defaultMessage: () => '$property must be one or more comma-separated LDAP attribute names',
    },
  });

const IsTrustedProxyList = (): PropertyDecorator =>
  ValidateBy({
    name: 'isTrustedProxyList',
    validator: {
      validate: (value) =>
        typeof value === 'string' && trustedProxies(value).every((entry) => !untrustworthyProxyEntry(entry)),
      defaultMessage: (validation) =>
        '$property must be comma-separated IP addresses, CIDR ranges, loopback, linklocal or uniquelocal: ' +
        trustedProxies(String(validation?.value))
          .flatMap((entry) => untrustworthyProxyEntry(entry) ?? [])
          .join(', '),
    },
  });

const DIALECT_CHOICES = [...DIRECTORY_DIALECTS, 'auto'] as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The process environment, as the service reads it. Unset entry attributes take the directory dialect's defaults. */
export class Environment {
  /** The address to listen on; unset: every interface. */
  @IsOptional() @IsIP(undefined, { message: 'must be an IP address, such as 127.0.0.1 or ::1' }) HOST?: string;
  @DecimalInteger(0, 65535) PORT: number = 3000;
  /** Set: /metrics is served there, without authentication; unset: on PORT, to administrators only. */
  @IsOptional() @DecimalInteger(1, 65535) METRICS_PORT?: number;
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }) LOG_LEVEL: LogLevel = 'info';
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' }) LOG_FORMAT: 'json' | 'pretty' = 'json';
  /** The gateways whose X-Forwarded-For names the client; from any other peer the header is not believed. */
  @IsOptional() @IsTrustedProxyList() TRUSTED_PROXIES?: string;

  @ValidateBy({
    name: 'isServerUrlList',
    validator: {
      validate: isServerUrlList,
      defaultMessage: () =>
        'LDAP_URL must be one or more comma-separated ldap://host[:port] or ldaps://host[:port] URLs',
    },
  })
  LDAP_URL: string;
  @IsIn(DIALECT_CHOICES, { message: `DIRECTORY_DIALECT must be one of ${DIALECT_CHOICES.join(', ')}` })
  DIRECTORY_DIALECT: DirectoryDialect | 'auto' = 'auto';
  /** A DN, or on Active Directory also a user principal name (security-api@example.com). */
  @IsString() @IsNotEmpty() LDAP_BIND_DN: string;
  /** The password, from this variable or read from LDAP_BIND_PASSWORD_FILE; always set once validated. */
  @IsOptional() @IsString() @IsNotEmpty() LDAP_BIND_PASSWORD: string;
  @IsOptional() @IsString() @IsNotEmpty() LDAP_BIND_PASSWORD_FILE?: string;
  // Only the words: implicit conversion would make "false" true.
  @Transform(
    ({ obj }: { obj: Record<string, unknown> }) =>
      ({ true: true, false: false })[String(obj.LDAP_STARTTLS) as 'true' | 'false'] ?? obj.LDAP_STARTTLS,
  )
  @IsBoolean({ message: 'LDAP_STARTTLS must be true or false' })
  LDAP_STARTTLS: boolean = false;
  @IsOptional() @IsString() @IsNotEmpty() LDAP_TLS_CA_FILE?: string;
  /** The certificates read from LDAP_TLS_CA_FILE at start; not a variable of its own. */
  tlsCaCertificates?: string[];
  @IsString() @IsNotEmpty() LDAP_BASE_DN: string;
  @IsOptional() @IsString() @IsNotEmpty() LDAP_USER_BASE_DN?: string;
  @IsOptional() @IsString() @IsNotEmpty() LDAP_GROUP_BASE_DN?: string;

  @IsOptional() @IsAttributeName() LDAP_USER_OBJECT_CLASS?: string;
  @IsOptional() @IsAttributeName() LDAP_USERNAME_ATTRIBUTE?: string;
  @IsOptional() @IsAttributeNameList() LDAP_EMAIL_ATTRIBUTE?: string;
  @IsOptional() @IsAttributeNameList() LDAP_DISPLAY_NAME_ATTRIBUTE?: string;
  @IsOptional() @IsAttributeName() LDAP_USER_ID_ATTRIBUTE?: string;
  @IsOptional() @IsAttributeName() LDAP_GROUP_OBJECT_CLASS?: string;
  @IsOptional() @IsAttributeName() LDAP_GROUP_NAME_ATTRIBUTE?: string;
  @IsOptional() @IsAttributeName() LDAP_GROUP_ID_ATTRIBUTE?: string;
  @IsOptional() @IsAttributeName() LDAP_MEMBER_ATTRIBUTE?: string;
  @IsOptional() @IsAttributeName() LDAP_MEMBER_OF_ATTRIBUTE?: string;

  @DecimalInteger(100, 120_000) LDAP_TIMEOUT_MS: number = 5000;
  @DecimalInteger(100, 120_000) LDAP_CONNECT_TIMEOUT_MS: number = 3000;
  @DecimalInteger(100, 60_000) HEALTH_TIMEOUT_MS: number = 2000;
  @DecimalInteger(100, 3_600_000) LDAP_FAILBACK_INTERVAL_MS: number = 30_000;

  @IsString() @IsNotEmpty() ADMIN_GROUP: string = 'System Administrators';
  @DecimalInteger(1, 1000) MAX_GROUPS_PER_CHECK: number = 100;
  @DecimalInteger(1, 256) MAX_NESTING_DEPTH: number = 32;
  @DecimalInteger(0, 3_600_000) DIRECTORY_STALENESS_MS: number = 5000;
  // Each cache allocates its bookkeeping for the maximum at start: about 28 bytes an entry.
  @DecimalInteger(1, 1_000_000) DIRECTORY_CACHE_MAX_ENTRIES: number = 50_000;
  @DecimalInteger(1, 3600) RETRY_AFTER_SECONDS: number = 5;
  @DecimalInteger(100, 300_000) SHUTDOWN_TIMEOUT_MS: number = 10_000;

  @DecimalInteger(1, 1000) LOGIN_FAILURES_PER_LOGIN: number = 5;
  @DecimalInteger(1, 100_000) LOGIN_FAILURES_PER_ADDRESS: number = 20;
  @DecimalInteger(1, 86_400) LOGIN_FAILURE_WINDOW_SECONDS: number = 60;
}

let processEnvironment: Environment | undefined;

/**
 * This process's own settings, validated once: main.ts checks them before Nest starts (to print a mistake plainly), and
 * the ConfigModule takes the same object, so that a password file is read once.
 */
export function environmentOfProcess(): Environment {
  processEnvironment ??= validateEnvironment(process.env);
  return processEnvironment;
}

/** Fails the start with every bad variable named, so a typo is found before the first request. */
export function validateEnvironment(variables: Record<string, string | undefined>): Environment {
  const present = Object.fromEntries(
    Object.entries(variables).filter(([, value]) => value !== undefined && value !== ''),
  );
  const environment = plainToInstance(Environment, present, { enableImplicitConversion: true });
  const errors = validateSync(environment, { whitelist: false, forbidUnknownValues: true, stopAtFirstError: true });
  const problems = errors.map((error) =>
    problem(error.property, present[error.property], Object.values(error.constraints ?? {}).join(', ')),
  );
  problems.push(...takeBindPassword(environment));
  if (!errors.some((error) => error.property === 'LDAP_URL' || error.property === 'LDAP_STARTTLS')) {
    problems.push(...takeTransportSecurity(environment));
  }
  if (environment.METRICS_PORT !== undefined && environment.METRICS_PORT === environment.PORT) {
    problems.push(
      problem('METRICS_PORT', variables.METRICS_PORT, 'must differ from PORT, or be unset to serve /metrics on PORT'),
    );
  }
  if (problems.length > 0) {
    throw new ConfigurationError(problems);
  }
  return environment;
}

/** Exactly one source for the service account's password; a file's content becomes LDAP_BIND_PASSWORD. */
function takeBindPassword(environment: Environment): string[] {
  const path = environment.LDAP_BIND_PASSWORD_FILE;
  if (path === undefined) {
    return environment.LDAP_BIND_PASSWORD === undefined
      ? [problem('LDAP_BIND_PASSWORD', undefined, 'set it, or LDAP_BIND_PASSWORD_FILE')]
      : [];
  }
  if (environment.LDAP_BIND_PASSWORD !== undefined) {
    return [problem('LDAP_BIND_PASSWORD_FILE', path, 'set it or LDAP_BIND_PASSWORD, not both')];
  }
  let password: string;
  try {
    password = readSecretFile(path);
  } catch (error) {
    return [
      problem(
        'LDAP_BIND_PASSWORD_FILE',
        path,
        `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      ),
    ];
  }
  if (password === '') {
    return [problem('LDAP_BIND_PASSWORD_FILE', path, 'the file is empty')];
  }
  environment.LDAP_BIND_PASSWORD = password;
  return [];
}

/** StartTLS only with ldap:// URLs; a CA file read once, and only where some connection will use it. */
function takeTransportSecurity(environment: Environment): string[] {
  const urls = environment.LDAP_URL.split(',');
  const conflict = transportSecurityConflict(urls, environment.LDAP_STARTTLS);
  if (conflict !== undefined) {
    return [
      environment.LDAP_STARTTLS
        ? problem('LDAP_STARTTLS', undefined, `${conflict}; LDAP_URL is ${JSON.stringify(environment.LDAP_URL)}`)
        : problem('LDAP_URL', environment.LDAP_URL, conflict),
    ];
  }
  environment.tlsCaCertificates = undefined;
  const path = environment.LDAP_TLS_CA_FILE;
  if (path === undefined) {
    return [];
  }
  if (!usesTls(urls, environment.LDAP_STARTTLS)) {
    return [problem('LDAP_TLS_CA_FILE', path, 'no connection uses TLS: give ldaps:// URLs, or set LDAP_STARTTLS=true')];
  }
  try {
    environment.tlsCaCertificates = readPemCertificates(path);
  } catch (error) {
    if (error instanceof CertificateFileError) {
      return [problem('LDAP_TLS_CA_FILE', path, error.message)];
    }
    throw error;
  }
  return [];
}

/** "NAME: why; given "value"", never with a password's value, nor a value where none was given. */
function problem(variable: string, given: string | undefined, why: string): string {
  const reason = why.startsWith(`${variable} `) ? why.slice(variable.length + 1) : why;
  if (given === undefined) {
    return `${variable}: ${reason === 'should not be empty' ? 'must be set' : reason}`;
  }
  return variable.endsWith('PASSWORD')
    ? `${variable}: ${reason}`
    : `${variable}: ${reason}; given ${JSON.stringify(given)}`;
}

// Implicit conversion reads the property types that TypeScript records as metadata.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  validateSync,
  ValidationError,
} from 'class-validator';

// Attribute names go into filters as names, not values, so only the RFC 4512 descr or numericoid forms pass.
const ATTRIBUTE_NAME = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/;
const ATTRIBUTE_MESSAGE = { message: '$property must be an LDAP attribute name' };

/** The process environment, as the service reads it. Defaults suit OpenLDAP. */
export class Environment {
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;

  @ValidateBy({
    name: 'isLdapUrlList',
    validator: {
      validate: isLdapUrlList,
      defaultMessage: () => 'LDAP_URL must be one or more comma-separated ldap://host[:port] or ldaps://host[:port] URLs',
    },
  })
  LDAP_URL: string;
  @IsString() @IsNotEmpty() LDAP_BIND_DN: string;
  @IsString() @IsNotEmpty() LDAP_BIND_PASSWORD: string;
  @IsString() @IsNotEmpty() LDAP_BASE_DN: string;
  @IsOptional() @IsString() @IsNotEmpty() LDAP_USER_BASE_DN?: string;
  @IsOptional() @IsString() @IsNotEmpty() LDAP_GROUP_BASE_DN?: string;

  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_USER_OBJECT_CLASS: string = 'inetOrgPerson';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_USERNAME_ATTRIBUTE: string = 'uid';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_EMAIL_ATTRIBUTE: string = 'mail';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_USER_ID_ATTRIBUTE: string = 'entryUUID';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_GROUP_OBJECT_CLASS: string = 'groupOfNames';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_GROUP_NAME_ATTRIBUTE: string = 'cn';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_GROUP_ID_ATTRIBUTE: string = 'entryUUID';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_MEMBER_ATTRIBUTE: string = 'member';
  @Matches(ATTRIBUTE_NAME, ATTRIBUTE_MESSAGE) LDAP_MEMBER_OF_ATTRIBUTE: string = 'memberOf';

  @IsInt() @Min(100) @Max(120_000) LDAP_TIMEOUT_MS: number = 5000;
  @IsInt() @Min(100) @Max(120_000) LDAP_CONNECT_TIMEOUT_MS: number = 3000;
  @IsInt() @Min(100) @Max(60_000) HEALTH_TIMEOUT_MS: number = 2000;

  @IsString() @IsNotEmpty() ADMIN_GROUP: string = 'System Administrators';
  @IsInt() @Min(1) @Max(1000) MAX_GROUPS_PER_CHECK: number = 100;
  @IsInt() @Min(1) @Max(256) MAX_NESTING_DEPTH: number = 32;
  @IsInt() @Min(1) @Max(3600) RETRY_AFTER_SECONDS: number = 5;
}

function isLdapUrlList(value: unknown): boolean {
  return typeof value === 'string' && value.split(',').every((url) => isServerUrl(url.trim()));
}

/** A server's address only: a DN, filter or credentials in the URL would be silently ignored by the client. */
function isServerUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'ldap:' || url.protocol === 'ldaps:') &&
      url.hostname !== '' &&
      (url.pathname === '' || url.pathname === '/') &&
      url.search === '' &&
      url.hash === '' &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

/** Fails the start with every bad variable named, so a typo is found before the first request. */
export function validateEnvironment(variables: Record<string, string | undefined>): Environment {
  const present = Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined && value !== ''));
  const environment = plainToInstance(Environment, present, { enableImplicitConversion: true });
  const errors = validateSync(environment, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    const described = errors.map((error) => describe(error, variables[error.property]));
    throw new Error(`Invalid environment variables: ${described.join('; ')}`);
  }
  return environment;
}

function describe(error: ValidationError, given: string | undefined): string {
  const shown = /PASSWORD/.test(error.property) ? '<hidden>' : JSON.stringify(given ?? null);
  return `${error.property}=${shown} (${Object.values(error.constraints ?? {}).join(', ')})`;
}

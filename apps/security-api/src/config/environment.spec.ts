import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Environment, validateEnvironment } from './environment';
import { TEST_CA } from '@test/support/test-ca';

const REQUIRED = {
  LDAP_URL: 'ldap://127.0.0.1:1389',
  LDAP_BIND_DN: 'cn=security-api,ou=services,dc=fightclub,dc=com',
  LDAP_BIND_PASSWORD: 'service-secret',
  LDAP_BASE_DN: 'dc=fightclub,dc=com',
};

function failureOf(variables: Record<string, string | undefined>): string {
  try {
    validateEnvironment(variables);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the environment to be refused');
}

describe(validateEnvironment.name, () => {
  const sut = validateEnvironment;

  it('gives every optional variable its documented default', () => {
    expect(sut(REQUIRED)).toEqual(
      Object.assign(new Environment(), REQUIRED, {
        PORT: 3000,
        ADMIN_GROUP: 'System Administrators',
        MAX_GROUPS_PER_CHECK: 100,
        MAX_NESTING_DEPTH: 32,
        LDAP_TIMEOUT_MS: 5000,
        LDAP_CONNECT_TIMEOUT_MS: 3000,
        HEALTH_TIMEOUT_MS: 2000,
        LDAP_FAILBACK_INTERVAL_MS: 30_000,
        RETRY_AFTER_SECONDS: 5,
        DIRECTORY_DIALECT: 'auto',
        DIRECTORY_STALENESS_MS: 5000,
        DIRECTORY_CACHE_MAX_ENTRIES: 50_000,
        LOGIN_FAILURES_PER_LOGIN: 5,
        LOGIN_FAILURES_PER_ADDRESS: 20,
        LOGIN_FAILURE_WINDOW_SECONDS: 60,
        LDAP_STARTTLS: false,
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
      }),
    );
  });

  it.each([
    [
      'a negative staleness bound',
      { DIRECTORY_STALENESS_MS: '-1' },
      'DIRECTORY_STALENESS_MS: must be a whole number in decimal digits, from 0 to 3600000; given "-1"',
    ],
    // Below this, a server that refuses connections would be asked to bind many times a second.
    [
      'a fail-back interval under 100 ms',
      { LDAP_FAILBACK_INTERVAL_MS: '99' },
      'LDAP_FAILBACK_INTERVAL_MS: must be a whole number in decimal digits, from 100 to 3600000; given "99"',
    ],
    [
      'a cache of no entries',
      { DIRECTORY_CACHE_MAX_ENTRIES: '0' },
      'DIRECTORY_CACHE_MAX_ENTRIES: must be a whole number in decimal digits, from 1 to 1000000; given "0"',
    ],
    // Each cache allocates its bookkeeping for the maximum at start.
    [
      'a cache too large to allocate up front',
      { DIRECTORY_CACHE_MAX_ENTRIES: '10000000' },
      'DIRECTORY_CACHE_MAX_ENTRIES: must be a whole number in decimal digits, from 1 to 1000000; given "10000000"',
    ],
    [
      'an unknown directory dialect',
      { DIRECTORY_DIALECT: 'ad' },
      'DIRECTORY_DIALECT: must be one of openldap, active-directory, auto; given "ad"',
    ],
    [
      'an email attribute list with an empty item',
      { LDAP_EMAIL_ATTRIBUTE: 'mail,,userPrincipalName' },
      'LDAP_EMAIL_ATTRIBUTE: must be one or more comma-separated LDAP attribute names; given "mail,,userPrincipalName"',
    ],
    ['an email attribute list with a filter in it', { LDAP_EMAIL_ATTRIBUTE: 'mail,(uid=*)' }, 'given "mail,(uid=*)"'],
    [
      'an unknown log level',
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent; given "verbose"',
    ],
    [
      'a log format other than json and pretty',
      { LOG_FORMAT: 'text' },
      'LOG_FORMAT: must be json or pretty; given "text"',
    ],
    [
      'a metrics port out of range',
      { METRICS_PORT: '0' },
      'METRICS_PORT: must be a whole number in decimal digits, from 1 to 65535; given "0"',
    ],
    ['the metrics on the API port', { PORT: '8080', METRICS_PORT: '8080' }, 'METRICS_PORT: must differ from PORT'],
  ])('refuses %s', (_case, variables, named) => {
    expect(failureOf({ ...REQUIRED, ...variables })).toContain(named);
  });

  it.each([
    ['an exponent', '1e3'],
    ['hexadecimal', '0x1388'],
    ['a fraction', '1.5'],
    ['a leading space', ' 5'],
    ['a trailing space', '5 '],
    ['a plus sign', '+5'],
    ['an underscore', '5_000'],
  ])('refuses a number written with %s, naming the variable', (_case, written) => {
    expect(failureOf({ ...REQUIRED, DIRECTORY_STALENESS_MS: written })).toBe(
      'Invalid configuration:\n' +
        `  DIRECTORY_STALENESS_MS: must be a whole number in decimal digits, from 0 to 3600000; given ${JSON.stringify(written)}`,
    );
  });

  it('listens on every interface unless HOST names an address', () => {
    expect(sut(REQUIRED).HOST).toBeUndefined();
    expect(sut({ ...REQUIRED, HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
    expect(sut({ ...REQUIRED, HOST: '::1' }).HOST).toBe('::1');
    expect(failureOf({ ...REQUIRED, HOST: 'localhost:3000' })).toContain(
      'HOST: must be an IP address, such as 127.0.0.1 or ::1; given "localhost:3000"',
    );
  });

  it('accepts a staleness bound of zero, which turns the caches off', () => {
    expect(sut({ ...REQUIRED, DIRECTORY_STALENESS_MS: '0' })).toMatchObject({ DIRECTORY_STALENESS_MS: 0 });
  });

  it('reads numbers from their text', () => {
    expect(sut({ ...REQUIRED, PORT: '8080', MAX_NESTING_DEPTH: '7' })).toMatchObject({
      PORT: 8080,
      MAX_NESTING_DEPTH: 7,
    });
  });

  it('reads the metrics port and the log settings', () => {
    expect(sut({ ...REQUIRED, METRICS_PORT: '9464', LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty' })).toMatchObject({
      METRICS_PORT: 9464,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
    });
  });

  it('takes an empty value as unset', () => {
    expect(sut({ ...REQUIRED, PORT: '', LDAP_GROUP_BASE_DN: '' })).toMatchObject({
      PORT: 3000,
      LDAP_GROUP_BASE_DN: undefined,
    });
  });

  it('accepts a comma-separated list of servers', () => {
    expect(sut({ ...REQUIRED, LDAP_URL: 'ldaps://ldap1.example.com, ldaps://[::1]:1636/' }).LDAP_URL).toBe(
      'ldaps://ldap1.example.com, ldaps://[::1]:1636/',
    );
  });

  it.each([
    ['another scheme', 'http://ldap.example.com'],
    ['a port out of range', 'ldap://127.0.0.1:99999'],
    ['no host', 'ldap://:389'],
    ['a DN in the URL, which the client would ignore', 'ldap://ldap.example.com/dc=example,dc=com'],
    ['credentials in the URL', 'ldap://admin:secret@ldap.example.com'],
    ['an empty item in the list', 'ldap://a.example.com,,ldap://b.example.com'],
  ])('refuses an LDAP_URL with %s', (_case, url) => {
    expect(failureOf({ ...REQUIRED, LDAP_URL: url })).toMatch(
      /^Invalid configuration:\n {2}LDAP_URL: must be one or more comma-separated ldap:\/\/host/,
    );
  });

  it('names every bad variable at once, with the value given', () => {
    const message = failureOf({
      ...REQUIRED,
      LDAP_BASE_DN: undefined,
      PORT: 'eighty',
      MAX_NESTING_DEPTH: '0',
      MAX_GROUPS_PER_CHECK: '2.5',
    });
    expect(message).toBe(
      [
        'Invalid configuration:',
        '  PORT: must be a whole number in decimal digits, from 0 to 65535; given "eighty"',
        '  LDAP_BASE_DN: must be set',
        '  MAX_GROUPS_PER_CHECK: must be a whole number in decimal digits, from 1 to 1000; given "2.5"',
        '  MAX_NESTING_DEPTH: must be a whole number in decimal digits, from 1 to 256; given "0"',
      ].join('\n'),
    );
  });

  it('never repeats a password in its message', () => {
    const message = failureOf({ ...REQUIRED, LDAP_BIND_PASSWORD: undefined, LDAP_URL: 'http://x' });
    expect(message).toContain('LDAP_BIND_PASSWORD: set it, or LDAP_BIND_PASSWORD_FILE');
    expect(message).not.toContain('<hidden>');
    expect(failureOf({ ...REQUIRED, LDAP_URL: 'http://x' })).not.toContain('service-secret');
  });

  it.each([
    ['a filter fragment', 'uid)(objectClass=*'],
    ['a space', 'user name'],
    ['an option', 'cn;binary'],
  ])('refuses an attribute name with %s, since names go into filters unescaped', (_case, name) => {
    expect(failureOf({ ...REQUIRED, LDAP_USERNAME_ATTRIBUTE: name })).toContain(
      'LDAP_USERNAME_ATTRIBUTE: must be an LDAP attribute name; given',
    );
  });

  it('accepts attribute names in either RFC 4512 form', () => {
    expect(
      sut({ ...REQUIRED, LDAP_USER_ID_ATTRIBUTE: 'objectGUID', LDAP_EMAIL_ATTRIBUTE: '0.9.2342.19200300.100.1.3' }),
    ).toMatchObject({
      LDAP_USER_ID_ATTRIBUTE: 'objectGUID',
      LDAP_EMAIL_ATTRIBUTE: '0.9.2342.19200300.100.1.3',
    });
  });

  describe('TRUSTED_PROXIES', () => {
    it('trusts no proxy when unset or empty', () => {
      expect(sut(REQUIRED).TRUSTED_PROXIES).toBeUndefined();
      expect(sut({ ...REQUIRED, TRUSTED_PROXIES: '' }).TRUSTED_PROXIES).toBeUndefined();
    });

    it('takes addresses, CIDR ranges and named ranges of both families, with spaces after the commas', () => {
      const list = '10.0.0.7, 192.168.0.0/16, 2001:db8::/32, ::1, loopback';
      expect(sut({ ...REQUIRED, TRUSTED_PROXIES: list }).TRUSTED_PROXIES).toBe(list);
    });

    it('stops the start naming the variable and each entry it cannot take', () => {
      const message = failureOf({ ...REQUIRED, TRUSTED_PROXIES: '10.0.0.7,gateway.example.com,,10.0.0.0/33' });

      expect(message).toMatch(/^Invalid configuration:\n {2}TRUSTED_PROXIES: must be comma-separated/);
      expect(message).toContain('"gateway.example.com" is not an IP address');
      expect(message).toContain('an empty entry');
      expect(message).toContain('"10.0.0.0/33" needs a prefix length from 1 to 32');
      expect(message).not.toContain('"10.0.0.7" ');
    });
  });

  describe('LDAP_BIND_PASSWORD_FILE', () => {
    const folder = mkdtempSync(join(tmpdir(), 'secrets-'));
    const secret = (name: string, content: string): string => {
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    };
    const { LDAP_BIND_PASSWORD: _fromVariable, ...withoutPassword } = REQUIRED;

    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it.each([
      ['as written', 'from-a-file', 'from-a-file'],
      ['less the line break that echo adds', 'from-a-file\n', 'from-a-file'],
      ['less a Windows line break', 'from-a-file\r\n', 'from-a-file'],
      ['keeping spaces and a second line break', ' two words \n\n', ' two words \n'],
    ])('reads the password from the file %s', (_case, content, password) => {
      const path = secret('password', content);

      expect(sut({ ...withoutPassword, LDAP_BIND_PASSWORD_FILE: path }).LDAP_BIND_PASSWORD).toBe(password);
    });

    it('refuses both sources at once', () => {
      const path = secret('both', 'from-a-file');

      expect(failureOf({ ...REQUIRED, LDAP_BIND_PASSWORD_FILE: path })).toContain(
        `LDAP_BIND_PASSWORD_FILE: set it or LDAP_BIND_PASSWORD, not both; given ${JSON.stringify(path)}`,
      );
    });

    it('refuses neither source', () => {
      expect(failureOf(withoutPassword)).toContain('LDAP_BIND_PASSWORD: set it, or LDAP_BIND_PASSWORD_FILE');
    });

    it('names a file that cannot be read, and why', () => {
      const path = join(folder, 'missing');

      expect(failureOf({ ...withoutPassword, LDAP_BIND_PASSWORD_FILE: path })).toContain(
        `LDAP_BIND_PASSWORD_FILE: cannot be read: ENOENT; given ${JSON.stringify(path)}`,
      );
    });

    it('refuses an empty file rather than binding with no password', () => {
      const path = secret('empty', '\n');

      expect(failureOf({ ...withoutPassword, LDAP_BIND_PASSWORD_FILE: path })).toContain(
        'LDAP_BIND_PASSWORD_FILE: the file is empty',
      );
    });
  });

  describe('TLS', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ca-'));
    const caFile = (name: string, content: string): string => {
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    };
    const LDAPS = { ...REQUIRED, LDAP_URL: 'ldaps://ldap1.example.com,ldaps://ldap2.example.com:1636' };

    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('reads LDAP_STARTTLS as the words true and false only', () => {
      expect(sut({ ...REQUIRED, LDAP_STARTTLS: 'true' }).LDAP_STARTTLS).toBe(true);
      expect(sut({ ...REQUIRED, LDAP_STARTTLS: 'false' }).LDAP_STARTTLS).toBe(false);
      expect(failureOf({ ...REQUIRED, LDAP_STARTTLS: 'yes' })).toContain(
        'LDAP_STARTTLS: must be true or false; given "yes"',
      );
      expect(failureOf({ ...REQUIRED, LDAP_STARTTLS: '1' })).toContain(
        'LDAP_STARTTLS: must be true or false; given "1"',
      );
    });

    it('refuses StartTLS with an ldaps:// URL, which is TLS from the start', () => {
      expect(
        failureOf({ ...REQUIRED, LDAP_URL: 'ldap://a.example.com,ldaps://b.example.com', LDAP_STARTTLS: 'true' }),
      ).toMatch(
        /^Invalid configuration:\n {2}LDAP_STARTTLS: StartTLS upgrades ldap:\/\/ connections.*; LDAP_URL is "ldap:\/\/a\.example\.com,ldaps:\/\/b\.example\.com"$/,
      );
    });

    it('refuses a list that mixes ldaps:// and ldap://, whose failover would leave TLS', () => {
      expect(failureOf({ ...REQUIRED, LDAP_URL: 'ldaps://a.example.com, ldap://b.example.com' })).toContain(
        'LDAP_URL: ldaps:// and ldap:// URLs are mixed',
      );
    });

    it('reads every certificate of LDAP_TLS_CA_FILE once, at start', () => {
      const path = caFile('two.pem', `# a comment before\n${TEST_CA}\n${TEST_CA}\n`);

      const environment = sut({ ...LDAPS, LDAP_TLS_CA_FILE: path });

      expect(environment.tlsCaCertificates).toEqual([TEST_CA, TEST_CA]);
      rmSync(path);
      expect(environment.tlsCaCertificates).toHaveLength(2);
    });

    it('takes the CA file with StartTLS too', () => {
      const path = caFile('starttls.pem', TEST_CA);

      expect(sut({ ...REQUIRED, LDAP_STARTTLS: 'true', LDAP_TLS_CA_FILE: path })).toMatchObject({
        LDAP_STARTTLS: true,
        tlsCaCertificates: [TEST_CA],
      });
    });

    it.each([
      ['cannot be read', () => join(folder, 'missing.pem'), 'cannot be read: ENOENT'],
      ['is empty', () => caFile('empty.pem', ' \n'), 'the file is empty'],
      [
        'holds no PEM certificate',
        () => caFile('key.pem', '-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----\n'),
        'holds no PEM certificate',
      ],
      ['holds text that is not PEM at all', () => caFile('der.cer', 'not a certificate'), 'holds no PEM certificate'],
      [
        'holds a damaged certificate',
        () => caFile('damaged.pem', `${TEST_CA}\n${TEST_CA.replace(/MIIB/, 'MIIC')}`),
        'certificate 2 cannot be parsed',
      ],
    ])('refuses to start when LDAP_TLS_CA_FILE %s, naming the variable and the path', (_case, pathOf, why) => {
      const path = pathOf();

      expect(failureOf({ ...LDAPS, LDAP_TLS_CA_FILE: path })).toContain(`LDAP_TLS_CA_FILE: ${why}`);
    });

    it('refuses a CA file that no connection would use, rather than let it suggest TLS', () => {
      const path = caFile('unused.pem', TEST_CA);

      expect(failureOf({ ...REQUIRED, LDAP_TLS_CA_FILE: path })).toContain(
        `LDAP_TLS_CA_FILE: no connection uses TLS: give ldaps:// URLs, or set LDAP_STARTTLS=true; given ${JSON.stringify(path)}`,
      );
    });
  });
});

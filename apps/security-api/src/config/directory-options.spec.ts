import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryOptionsFrom } from './directory-options';
import { validateEnvironment } from './environment';
import { TEST_CA } from '@test/support/test-ca';

describe(directoryOptionsFrom.name, () => {
  const required = {
    LDAP_URL: 'ldap://ldap1.example.com, ldap://ldap2.example.com:1389',
    LDAP_BIND_DN: 'cn=reader,dc=example,dc=com',
    LDAP_BIND_PASSWORD: 'reader-secret',
    LDAP_BASE_DN: 'dc=example,dc=com',
  };

  it('searches users and groups under LDAP_BASE_DN unless told otherwise', () => {
    const options = directoryOptionsFrom(validateEnvironment(required));
    expect(options).toMatchObject({
      urls: ['ldap://ldap1.example.com', 'ldap://ldap2.example.com:1389'],
      bindDn: 'cn=reader,dc=example,dc=com',
      bindPassword: 'reader-secret',
      baseDn: 'dc=example,dc=com',
      userBaseDn: 'dc=example,dc=com',
      groupBaseDn: 'dc=example,dc=com',
    });
  });

  it('passes every setting of the environment on', () => {
    const options = directoryOptionsFrom(
      validateEnvironment({
        ...required,
        LDAP_USER_BASE_DN: 'ou=people,dc=example,dc=com',
        LDAP_GROUP_BASE_DN: 'ou=groups,dc=example,dc=com',
        LDAP_USER_OBJECT_CLASS: 'person',
        LDAP_USERNAME_ATTRIBUTE: 'sAMAccountName',
        LDAP_EMAIL_ATTRIBUTE: 'userPrincipalName',
        LDAP_DISPLAY_NAME_ATTRIBUTE: 'fullName, cn',
        LDAP_USER_ID_ATTRIBUTE: 'employeeNumber',
        LDAP_GROUP_OBJECT_CLASS: 'group',
        LDAP_GROUP_NAME_ATTRIBUTE: 'displayName',
        LDAP_GROUP_ID_ATTRIBUTE: 'gidNumber',
        LDAP_MEMBER_ATTRIBUTE: 'uniqueMember',
        LDAP_MEMBER_OF_ATTRIBUTE: 'isMemberOf',
        LDAP_TIMEOUT_MS: '1500',
        LDAP_CONNECT_TIMEOUT_MS: '700',
        HEALTH_TIMEOUT_MS: '900',
        LDAP_FAILBACK_INTERVAL_MS: '1200',
        MAX_NESTING_DEPTH: '9',
        DIRECTORY_STALENESS_MS: '0',
        DIRECTORY_CACHE_MAX_ENTRIES: '77',
      }),
    );
    expect(options).toMatchObject({
      userBaseDn: 'ou=people,dc=example,dc=com',
      groupBaseDn: 'ou=groups,dc=example,dc=com',
      schema: {
        userObjectClass: 'person',
        usernameAttribute: 'sAMAccountName',
        emailAttributes: ['userPrincipalName'],
        displayNameAttributes: ['fullName', 'cn'],
        userIdAttribute: 'employeeNumber',
        groupObjectClass: 'group',
        groupNameAttribute: 'displayName',
        groupIdAttribute: 'gidNumber',
        memberAttribute: 'uniqueMember',
        memberOfAttribute: 'isMemberOf',
      },
      timeoutMs: 1500,
      connectTimeoutMs: 700,
      pingTimeoutMs: 900,
      failBackIntervalMs: 1200,
      maxNestingDepth: 9,
      stalenessMs: 0,
      cacheMaxEntries: 77,
    });
  });

  it("leaves the entries' shape to the dialect, detected by default, unless the environment names it", () => {
    const options = directoryOptionsFrom(validateEnvironment(required));
    expect(options.dialect).toBe('auto');
    expect(Object.values(options.schema).filter((value) => value !== undefined)).toEqual([]);
    expect(
      directoryOptionsFrom(validateEnvironment({ ...required, DIRECTORY_DIALECT: 'active-directory' })).dialect,
    ).toBe('active-directory');
  });

  it('takes several email attributes, in order of preference', () => {
    const options = directoryOptionsFrom(
      validateEnvironment({ ...required, LDAP_EMAIL_ATTRIBUTE: 'mail, userPrincipalName' }),
    );
    expect(options.schema.emailAttributes).toEqual(['mail', 'userPrincipalName']);
  });

  it('gives no TLS settings without them: ldap:// stays plain', () => {
    expect(directoryOptionsFrom(validateEnvironment(required)).tls).toEqual({
      startTls: false,
      caCertificates: undefined,
    });
  });

  it('passes StartTLS and the CA certificates read at start on, for every client the directory opens', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ca-'));
    try {
      const caFile = join(folder, 'ca.pem');
      writeFileSync(caFile, TEST_CA);
      const options = directoryOptionsFrom(
        validateEnvironment({ ...required, LDAP_STARTTLS: 'true', LDAP_TLS_CA_FILE: caFile }),
      );
      expect(options.tls).toEqual({ startTls: true, caCertificates: [TEST_CA] });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

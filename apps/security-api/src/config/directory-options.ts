import { DirectoryOptions } from '@app/directory';
import { Environment } from './environment';

export function directoryOptionsFrom(environment: Environment): DirectoryOptions {
  return {
    dialect: environment.DIRECTORY_DIALECT,
    urls: environment.LDAP_URL.split(',').map((url) => url.trim()),
    bindDn: environment.LDAP_BIND_DN,
    bindPassword: environment.LDAP_BIND_PASSWORD,
    baseDn: environment.LDAP_BASE_DN,
    userBaseDn: environment.LDAP_USER_BASE_DN ?? environment.LDAP_BASE_DN,
    groupBaseDn: environment.LDAP_GROUP_BASE_DN ?? environment.LDAP_BASE_DN,
    schema: {
      userObjectClass: environment.LDAP_USER_OBJECT_CLASS,
      usernameAttribute: environment.LDAP_USERNAME_ATTRIBUTE,
      emailAttributes: environment.LDAP_EMAIL_ATTRIBUTE?.split(',').map((name) => name.trim()),
      displayNameAttributes: environment.LDAP_DISPLAY_NAME_ATTRIBUTE?.split(',').map((name) => name.trim()),
      userIdAttribute: environment.LDAP_USER_ID_ATTRIBUTE,
      groupObjectClass: environment.LDAP_GROUP_OBJECT_CLASS,
      groupNameAttribute: environment.LDAP_GROUP_NAME_ATTRIBUTE,
      groupIdAttribute: environment.LDAP_GROUP_ID_ATTRIBUTE,
      memberAttribute: environment.LDAP_MEMBER_ATTRIBUTE,
      memberOfAttribute: environment.LDAP_MEMBER_OF_ATTRIBUTE,
    },
    timeoutMs: environment.LDAP_TIMEOUT_MS,
    connectTimeoutMs: environment.LDAP_CONNECT_TIMEOUT_MS,
    pingTimeoutMs: environment.HEALTH_TIMEOUT_MS,
    failBackIntervalMs: environment.LDAP_FAILBACK_INTERVAL_MS,
    maxNestingDepth: environment.MAX_NESTING_DEPTH,
    stalenessMs: environment.DIRECTORY_STALENESS_MS,
    cacheMaxEntries: environment.DIRECTORY_CACHE_MAX_ENTRIES,
    tls: { startTls: environment.LDAP_STARTTLS, caCertificates: environment.tlsCaCertificates },
  };
}

import { readFileSync } from 'node:fs';
import { DirectoryOptions } from '@app/directory';
import { AD_DEMO } from './ad-demo-data';
import { SambaDc } from './samba-dc';

const GROUP_BASE_DN = `ou=groups,${AD_DEMO.baseDn}`;

/**
 * The library's options for the AD demo over LDAPS, as an Active Directory deployment would give them: the dialect's
 * own entry names, users searched from the domain root (where the DC also returns referrals to other partitions), the
 * service account bound by its user principal name.
 */
export function activeDirectoryOptions(dc: SambaDc, overrides: Partial<DirectoryOptions> = {}): DirectoryOptions {
  return {
    dialect: 'active-directory',
    urls: [dc.ldapsUrl],
    bindDn: AD_DEMO.serviceUpn,
    bindPassword: AD_DEMO.servicePassword,
    baseDn: AD_DEMO.baseDn,
    userBaseDn: AD_DEMO.baseDn,
    groupBaseDn: GROUP_BASE_DN,
    schema: {},
    timeoutMs: 5000,
    connectTimeoutMs: 2000,
    pingTimeoutMs: 2000,
    failBackIntervalMs: 30_000,
    maxNestingDepth: 32,
    stalenessMs: 5000,
    cacheMaxEntries: 1000,
    tls: { startTls: false, caCertificates: [readFileSync(dc.caFile, 'utf8')] },
    ...overrides,
  };
}

/** The same as environment variables; DIRECTORY_DIALECT is left to its default, auto, so the rootDSE decides. */
export function activeDirectoryEnvironment(
  dc: SambaDc,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    LDAP_URL: dc.ldapsUrl,
    LDAP_TLS_CA_FILE: dc.caFile,
    LDAP_BIND_DN: AD_DEMO.serviceUpn,
    LDAP_BIND_PASSWORD: AD_DEMO.servicePassword,
    LDAP_BASE_DN: AD_DEMO.baseDn,
    LDAP_GROUP_BASE_DN: GROUP_BASE_DN,
    LDAP_TIMEOUT_MS: '5000',
    LDAP_CONNECT_TIMEOUT_MS: '2000',
    HEALTH_TIMEOUT_MS: '2000',
    ...overrides,
  };
}

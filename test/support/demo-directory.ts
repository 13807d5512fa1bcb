import { DirectoryOptions } from '@app/directory';
import { DEMO } from './slapd';

/** The service's configuration for the demo directory, as the integration tests give it to the library. */
export function demoDirectoryOptions(url: string, overrides: Partial<DirectoryOptions> = {}): DirectoryOptions {
  return {
    dialect: 'openldap',
    urls: [url],
    bindDn: DEMO.serviceDn,
    bindPassword: DEMO.servicePassword,
    baseDn: DEMO.baseDn,
    userBaseDn: DEMO.baseDn,
    groupBaseDn: `ou=groups,${DEMO.baseDn}`,
    // The openldap dialect's own names (inetOrgPerson, uid, mail, entryUUID, groupOfNames, cn, member, memberOf).
    schema: {},
    timeoutMs: 2000,
    connectTimeoutMs: 1000,
    pingTimeoutMs: 1000,
    failBackIntervalMs: 30_000,
    maxNestingDepth: 32,
    stalenessMs: 5000,
    cacheMaxEntries: 1000,
    ...overrides,
  };
}

/** The same configuration as environment variables, as the service reads it at start. */
export function demoEnvironment(url: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    LDAP_URL: url,
    LDAP_BIND_DN: DEMO.serviceDn,
    LDAP_BIND_PASSWORD: DEMO.servicePassword,
    LDAP_BASE_DN: DEMO.baseDn,
    LDAP_GROUP_BASE_DN: `ou=groups,${DEMO.baseDn}`,
    LDAP_TIMEOUT_MS: '2000',
    LDAP_CONNECT_TIMEOUT_MS: '1000',
    HEALTH_TIMEOUT_MS: '1000',
    ...overrides,
  };
}

/** Ids fixed in test/ldap/demo.ldif. */
export const IDS = {
  tdurden: '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f',
  paperStreetSoapCompany: '9bb89380-fd49-41a5-ab2f-fc25e482a251',
  liposuctionTechnicians: 'eee2ca1a-8736-48b7-a274-da6f35499e56',
  lousTavernRegulars: '0ccf6d37-56a2-4a0d-bda1-efc377369232',
} as const;

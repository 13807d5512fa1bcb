import { Entry } from 'ldapts';
import { ACTIVE_DIRECTORY } from './active-directory/active-directory-dialect';
import { valuesOf } from './entry-values';
import { bindFirstReachable, ClientSettings, unbindQuietly } from './ldap-clients';
import { Dialect } from './ldap-dialect';
import { OPENLDAP } from './openldap/openldap-dialect';

/** LDAP_CAP_ACTIVE_DIRECTORY_OID: every Active Directory domain controller lists it in its rootDSE, and so does Samba's. */
const ACTIVE_DIRECTORY_CAPABILITY = '1.2.840.113556.1.4.800';

export function dialectOfRootDse(rootDse: Entry | undefined): Dialect {
  const capabilities = rootDse ? valuesOf(rootDse, 'supportedCapabilities') : [];
  return capabilities.includes(ACTIVE_DIRECTORY_CAPABILITY) ? ACTIVE_DIRECTORY : OPENLDAP;
}

/** Reads the rootDSE as the service account, on a connection of its own that is closed afterwards. */
export async function readRootDse(settings: ClientSettings, bindDn: string, bindPassword: string): Promise<Entry | undefined> {
  let client;
  try {
    client = await bindFirstReachable(settings, bindDn, bindPassword);
    const result = await client.search('', { scope: 'base', attributes: ['supportedCapabilities'] });
    return result.searchEntries[0];
  } finally {
    await unbindQuietly(client);
  }
}

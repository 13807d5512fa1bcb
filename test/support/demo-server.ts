import { activeDirectoryEnvironment } from './ad-demo-directory';
import { demoEnvironment, IDS } from './demo-directory';
import { SambaDc } from './samba-dc';
import { Slapd } from './slapd';

/**
 * An id of a directory entry as the service reports it: a UUID of any version. OpenLDAP's entryUUIDs in demo.ldif
 * are version 4; Active Directory's objectGUIDs are random too, but nothing here depends on their version bits.
 */
export const ENTRY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * How long a suite's beforeAll may take to start its server: a Samba DC is a copy of a template provisioned once per
 * machine, and that first provisioning takes tens of seconds while other test files load the machine.
 */
export const SERVER_START_TIMEOUT_MS = 240_000;

/**
 * A real directory server holding the demo data (test/ldap/demo.ldif or its Active Directory mirror), and the
 * service's configuration for it. Usernames, emails, group names, passwords and the group structure are the same on
 * every server; what a server decides for itself (the ids, which identifier two users share) is read from here.
 */
export interface DemoServer {
  readonly kind: 'openldap' | 'active-directory';
  /** The service's environment variables for this server; overrides win. */
  environment(overrides?: Record<string, string>): Record<string, string>;
  /** Ids of demo entries as the service reports them (fixed in the LDIF, or made by the server and read after start). */
  readonly ids: {
    readonly tdurden: string;
    readonly paperStreetSoapCompany: string;
    readonly liposuctionTechnicians: string;
    readonly lousTavernRegulars: string;
  };
  /** A user identifier that two users answer to at the same precedence (OpenLDAP: the username `bob` in two branches). */
  readonly ambiguousUser: string;
  /** Stops the server, keeping its data, as an outage would. */
  stop(): Promise<void>;
  /** Starts it again, same data, same address. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

/** OpenLDAP: a slapd of test/ldap/slapd.sh loaded with demo.ldif, on a free loopback port. */
export async function startOpenLdapDemo(): Promise<DemoServer> {
  const slapd = await Slapd.start();
  return {
    kind: 'openldap',
    environment: (overrides) => demoEnvironment(slapd.url, overrides),
    ids: IDS,
    ambiguousUser: 'bob',
    stop: () => slapd.stop(),
    restart: () => slapd.restart(),
    destroy: () => slapd.destroy(),
  };
}

/**
 * Active Directory: a Samba AD domain controller of test/ad/samba-dc.sh holding the mirror of demo.ldif
 * (test/support/ad-demo-data.ts), served over LDAPS, with the dialect detected from its rootDSE.
 */
export async function startActiveDirectoryDemo(): Promise<DemoServer> {
  const dc = await SambaDc.start();
  return {
    kind: 'active-directory',
    environment: (overrides) => activeDirectoryEnvironment(dc, overrides),
    ids: dc.ids,
    // sAMAccountNames are unique in a domain: here the one identifier is a mail and another user's principal name.
    ambiguousUser: 'bob@fightclub.com',
    stop: () => dc.stop(),
    restart: () => dc.restart(),
    destroy: () => dc.destroy(),
  };
}

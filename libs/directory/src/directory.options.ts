import { DirectoryDialect } from './dialect';

/** Where the directory is and how its entries are shaped. Attribute names are LDAP attribute descriptions. */
export interface DirectoryOptions {
  /** The kind of server, or auto: read from its rootDSE when the directory is first used, and logged. */
  readonly dialect: DirectoryDialect | 'auto';
  /** Tried in order; the first that accepts the service account's bind serves until it fails. */
  readonly urls: readonly string[];
  readonly bindDn: string;
  readonly bindPassword: string;
  readonly userBaseDn: string;
  readonly groupBaseDn: string;
  /** The entry the readiness probe reads. */
  readonly baseDn: string;
  /** What the deployment names differently from the dialect's defaults. */
  readonly schema: Partial<DirectorySchema>;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly pingTimeoutMs: number;
  /** While bound to any URL but the first, how often to try returning to an earlier one. */
  readonly failBackIntervalMs: number;
  readonly maxNestingDepth: number;
  /** How old the directory state behind a cached answer may be; 0 turns every cache off. */
  readonly stalenessMs: number;
  /** The most entries each cache holds, least recently used first out. */
  readonly cacheMaxEntries: number;
  /** Absent: ldap:// URLs stay unencrypted, and ldaps:// servers must have a certificate from Node's bundled CAs. */
  readonly tls?: TransportSecurity;
}

/** The same for every client the directory opens: the service account's, each login's bind, the readiness ping. */
export interface TransportSecurity {
  /** Every ldap:// connection is upgraded by StartTLS before anything else is sent; only for ldap:// URLs. */
  readonly startTls: boolean;
  /** PEM certificates of the CAs that may sign the servers' certificates, trusted instead of Node's bundled CAs. */
  readonly caCertificates?: readonly string[];
}

export interface DirectorySchema {
  readonly userObjectClass: string;
  readonly usernameAttribute: string;
  /** Each may hold a user's email address, in order of preference for the one shown. */
  readonly emailAttributes: readonly string[];
  /** Each may hold the name a person reads, in order of preference. */
  readonly displayNameAttributes: readonly string[];
  readonly userIdAttribute: string;
  readonly groupObjectClass: string;
  readonly groupNameAttribute: string;
  readonly groupIdAttribute: string;
  readonly memberAttribute: string;
  readonly memberOfAttribute: string;
}

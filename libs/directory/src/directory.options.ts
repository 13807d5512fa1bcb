/** Where the directory is and how its entries are shaped. Attribute names are LDAP attribute descriptions. */
export interface DirectoryOptions {
  /** Tried in order; the first that accepts the service account's bind serves until it fails. */
  readonly urls: readonly string[];
  readonly bindDn: string;
  readonly bindPassword: string;
  readonly userBaseDn: string;
  readonly groupBaseDn: string;
  /** The entry the readiness probe reads. */
  readonly baseDn: string;
  readonly schema: DirectorySchema;
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
}

export interface DirectorySchema {
  readonly userObjectClass: string;
  readonly usernameAttribute: string;
  readonly emailAttribute: string;
  readonly userIdAttribute: string;
  readonly groupObjectClass: string;
  readonly groupNameAttribute: string;
  readonly groupIdAttribute: string;
  readonly memberAttribute: string;
  readonly memberOfAttribute: string;
}

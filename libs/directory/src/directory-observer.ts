/** The LDAP operations the directory reports, each as the caller waited for it (a search includes a reconnect it waited on). */
export type DirectoryOperation =
  /** A lookup of users or groups, or one level of a membership walk, on the service account's connection. */
  | 'search'
  /** The change marker's base read (about once a second while caches are on). */
  | 'read'
  /** A caller's password check: a fresh connection and a simple bind. */
  | 'bind'
  /** The readiness probe: a fresh connection, the service account's bind and a base search. */
  | 'ping';

/**
 * How an operation ended. `timeout` and `unavailable` mean the directory could not answer (requests answer 503);
 * `invalid-credentials` is a bind the directory refused (a wrong password, or a login that names nobody); `error` is
 * any other answer the service cannot use (requests answer 500).
 */
export type DirectoryOutcome = 'ok' | 'invalid-credentials' | 'timeout' | 'unavailable' | 'error';

/** The five caches of the directory (see DirectoryOptions.stalenessMs). */
export type DirectoryCache = 'users' | 'groups' | 'group-parents' | 'logins' | 'answers';

/**
 * What the directory tells about its own work, for metrics. Optional: provide one to the DirectoryModule's scope (for
 * instance through `forRootAsync({ imports })`) and the directory calls it; the library itself knows no metrics client.
 * Calls are synchronous and on the request's path, so they must be cheap and must not throw.
 */
export abstract class DirectoryObserver {
  abstract operationFinished(operation: DirectoryOperation, outcome: DirectoryOutcome, durationSeconds: number): void;

  /** A lookup answered from the cache (hit) or not (miss; a miss may still share a read already in flight). */
  abstract cacheLookup(cache: DirectoryCache, hit: boolean): void;
}

export const unobserved: DirectoryObserver = {
  operationFinished: () => undefined,
  cacheLookup: () => undefined,
};

import { ChangeWatch } from '../cache/change-watch';
import { FreshCache } from '../cache/fresh-cache';
import { Freshness, ReadStamp } from '../cache/freshness';
import { IdentityLookup, MembershipAnswer, MembershipVerdict } from '../directory';
import { DirectoryCache, DirectoryObserver } from '../directory-observer';
import { DirectoryOptions } from '../directory.options';
import { GroupResolution } from './group-resolution';
import { Dialect, RememberedGroups } from './ldap-dialect';
import { EntryReader } from './ldap-search';
import { GroupNode } from './membership-walk';
import { ResolvedUser, UserResolution } from './user-resolution';

/** The change marker is read once a second, or twice per staleness bound when that is shorter, but never faster. */
const CHANGE_POLL_INTERVAL_MS = { max: 1000, min: 100 } as const;

/** A parent DN outside the group base, which this service never treats as a group: remembered as such. */
export const NOT_A_GROUP = false;
/** A login that names no single user, or whose password the directory refused. */
export const REFUSED = 'refused';

/** A cache whose every load is dated by the same freshness rule, so that no caller can date one otherwise. */
export interface DatedCache<K, V> {
  getOrLoad(key: K, load: () => Promise<V>): Promise<V>;
  delete(key: K): void;
}

/**
 * Every cache of the directory, each named with the rule that dates what it stores (see Freshness), and the change
 * watch that renews or drops them all. Plain: an entry is as old as its own read. Derived: an answer worked out from
 * cached entries counts as old as the bound, so it is served only while marker reads vouch for the directory. By age
 * only: an entry expires by its age, whatever marker reads say.
 */
export class DirectoryCaches {
  readonly freshness: Freshness;
  readonly usersByIdentifier: FreshCache<string, UserResolution>;
  readonly groupsByIdentifier: FreshCache<string, GroupResolution>;
  readonly groupsByDn: FreshCache<string, GroupNode | typeof NOT_A_GROUP>;
  /** Whole answers, the caller's admin verdict among them: a repeated question costs no walk. */
  readonly answers: DatedCache<string, MembershipAnswer>;
  /** The same for verdicts that the server worked out without an explanation (Active Directory). */
  readonly verdicts: DatedCache<string, MembershipVerdict>;
  /** Users' identities by id: their groups are worked out from cached entries, as answers are. */
  readonly identities: DatedCache<string, IdentityLookup>;
  /** Login outcomes, by a keyed hash of login and password: a repeated caller costs no bind. */
  readonly verifiedLogins: DatedCache<string, ResolvedUser | typeof REFUSED>;
  /**
   * Primary groups by what the dialect finds them by (on Active Directory, their SID in hex), wherever they are in
   * the domain; NOT_A_GROUP when no group has it.
   */
  private readonly primaryGroups: FreshCache<string, GroupNode | typeof NOT_A_GROUP>;
  private readonly changeWatch: ChangeWatch;

  constructor(options: DirectoryOptions, dialect: Dialect, readEntry: EntryReader, observer: DirectoryObserver) {
    const freshness = new Freshness(options.stalenessMs);
    const plain = <V extends NonNullable<unknown>>(cache: DirectoryCache, maxEntries = options.cacheMaxEntries) =>
      new FreshCache<string, V>(freshness, maxEntries, (hit) => observer.cacheLookup(cache, hit));
    const derived = <V extends NonNullable<unknown>>(cache: DirectoryCache, maxEntries?: number) =>
      dated(plain<V>(cache, maxEntries), (stamp) => freshness.derived(stamp));
    const byAgeOnly = <V extends NonNullable<unknown>>(cache: DirectoryCache) =>
      dated(plain<V>(cache), (stamp) => freshness.byAgeOnly(stamp));
    this.freshness = freshness;
    this.usersByIdentifier = plain('users');
    this.groupsByIdentifier = plain('groups');
    this.groupsByDn = plain('group-parents');
    this.answers = derived('answers');
    this.identities = derived('answers');
    // A password can expire, or grace logins run out, without any write that a marker would show.
    this.verifiedLogins = byAgeOnly('logins');
    // Each is used only where the dialect has what it holds, and allocates its bookkeeping for its maximum at once.
    const sizeIf = (used: boolean) => (used ? options.cacheMaxEntries : 1);
    this.verdicts = derived('answers', sizeIf(dialect.serverVerdict !== undefined));
    this.primaryGroups = plain('groups', sizeIf(dialect.primaryGroups !== undefined));
    this.changeWatch = new ChangeWatch(
      freshness,
      dialect.changeMarker(readEntry, options.baseDn),
      Math.max(CHANGE_POLL_INTERVAL_MS.min, Math.min(CHANGE_POLL_INTERVAL_MS.max, Math.ceil(options.stalenessMs / 2))),
    );
  }

  /** Through the primary groups' cache. */
  readonly rememberedPrimaryGroup: RememberedGroups = async (key, load) => {
    const group = await this.primaryGroups.getOrLoad(key, async () => (await load()) ?? NOT_A_GROUP);
    return group === NOT_A_GROUP ? undefined : group;
  };

  /** The change watch runs only while caching is on. */
  watchChanges(): void {
    if (this.freshness.enabled) {
      this.changeWatch.start();
    }
  }

  stopWatching(): Promise<void> {
    return this.changeWatch.stop();
  }
}

function dated<V extends NonNullable<unknown>>(
  cache: FreshCache<string, V>,
  rule: (stamp: ReadStamp) => ReadStamp,
): DatedCache<string, V> {
  return {
    getOrLoad: (key, load) => cache.getOrLoad(key, load, rule),
    delete: (key) => cache.delete(key),
  };
}

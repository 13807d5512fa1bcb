import { LRUCache } from 'lru-cache';
import { Freshness, ReadStamp } from './freshness';

interface Stamped<V> {
  readonly value: V;
  readonly stamp: ReadStamp;
}

/**
 * A size-bounded (least recently used) cache whose answers are served only while Freshness admits them. Concurrent
 * misses for one key share one load, so a burst after a change costs the directory one read, not one per request.
 */
export class FreshCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<K, Stamped<V>>;
  private readonly loading = new Map<K, { readonly stamp: ReadStamp; readonly value: Promise<V> }>();
  private generationSeen: number;

  /** `onLookup` hears of every lookup while caching is on: whether a fresh entry answered it. */
  constructor(
    private readonly freshness: Freshness,
    maxEntries: number,
    private readonly onLookup: (hit: boolean) => void = () => undefined,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
    this.generationSeen = freshness.generation;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.freshValue(key);
    if (this.freshness.enabled) {
      this.onLookup(value !== undefined);
    }
    return value;
  }

  private freshValue(key: K): V | undefined {
    this.forgetOldGenerations();
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (!this.freshness.admits(entry.stamp)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Stores what a read that started at `stamp` returned, unless the directory changed while it ran. */
  set(key: K, value: V, stamp: ReadStamp): void {
    this.forgetOldGenerations();
    if (this.freshness.admits(stamp)) {
      this.entries.set(key, { value, stamp });
    }
  }

  /** `storedAs` may date the value earlier than the start of its load, never later. */
  async getOrLoad(key: K, load: () => Promise<V>, storedAs = (stamp: ReadStamp) => stamp): Promise<V> {
    if (!this.freshness.enabled) {
      return load();
    }
    const cached = this.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const pending = this.loading.get(key);
    // A read that began before a change was seen is not shared with requests that come after it.
    if (pending && pending.stamp.generation === this.freshness.generation) {
      return pending.value;
    }
    const stamp = this.freshness.stamp();
    const value = load().then((loaded) => {
      this.set(key, loaded, storedAs(stamp));
      return loaded;
    });
    const inFlight = { stamp, value };
    this.loading.set(key, inFlight);
    const forget = (): void => {
      if (this.loading.get(key) === inFlight) {
        this.loading.delete(key);
      }
    };
    value.then(forget, forget);
    return value;
  }

  private forgetOldGenerations(): void {
    if (this.generationSeen !== this.freshness.generation) {
      this.generationSeen = this.freshness.generation;
      this.entries.clear();
    }
  }
}

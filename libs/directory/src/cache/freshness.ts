/** When an answer was read from the directory, and in which generation of the caches. */
export interface ReadStamp {
  readonly generation: number;
  readonly readAt: number;
  /** Set for answers that may change with time alone, which no change marker can vouch for. */
  readonly byAgeOnly?: true;
}

/**
 * Decides whether a cached answer may still be served: never when the directory has changed since it was read, and
 * never when the directory's state it reflects is older than the bound. That state is as recent as the later of
 * the answer's own read and the last check that found the directory unchanged, where such checks can vouch for the
 * answer: only for answers read after the first check gave them something to compare with.
 */
export class Freshness {
  private currentGeneration = 0;
  private verifiedAt = Number.NEGATIVE_INFINITY;
  private renewableFrom = Number.POSITIVE_INFINITY;

  constructor(
    readonly boundMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Changes whenever everything read before may be wrong. */
  get generation(): number {
    return this.currentGeneration;
  }

  get enabled(): boolean {
    return this.boundMs > 0;
  }

  /** Taken before a read starts, so that a read which overlaps a change is never stored as current. */
  stamp(): ReadStamp {
    return { generation: this.generation, readAt: this.now() };
  }

  admits(stamp: ReadStamp): boolean {
    const renewable = !stamp.byAgeOnly && stamp.readAt >= this.renewableFrom;
    const asOf = renewable ? Math.max(stamp.readAt, this.verifiedAt) : stamp.readAt;
    return this.enabled && stamp.generation === this.generation && this.now() - asOf <= this.boundMs;
  }

  /**
   * For an answer worked out from cached entries, each of which may be as old as the bound: it counts as that old, so
   * it is served only while a marker read vouches for the directory, never on its age alone.
   */
  derived(stamp: ReadStamp): ReadStamp {
    return { generation: stamp.generation, readAt: stamp.readAt - this.boundMs };
  }

  /** For an answer that expires by age whatever marker reads say. */
  byAgeOnly(stamp: ReadStamp): ReadStamp {
    return { ...stamp, byAgeOnly: true };
  }

  /**
   * A check saw a change marker with nothing to compare it with (the first, or the first after the directory kept
   * none): later checks can vouch only for what is read after `stamp`, which must be taken once the marker is known.
   */
  baseline(stamp: ReadStamp): void {
    this.renewableFrom = stamp.readAt;
  }

  /** A check that started at `stamp` found the directory unchanged: what was read before it is as good as new. */
  confirmUnchanged(stamp: ReadStamp): void {
    if (stamp.generation === this.currentGeneration) {
      this.verifiedAt = Math.max(this.verifiedAt, stamp.readAt);
    }
  }

  /** Everything read so far may be wrong now. */
  invalidate(): void {
    this.currentGeneration++;
    this.verifiedAt = Number.NEGATIVE_INFINITY;
  }
}

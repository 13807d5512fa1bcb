import { LRUCache } from 'lru-cache';

const PENDING_WAIT_MS = 1000;

interface Window {
  failures: number;
  readonly endsAt: number;
}

/**
 * Failures per key in fixed windows: the first failure opens a window, and a key that reaches the limit within it
 * waits until it ends. The keys are held in a bounded LRU, so that failures from many addresses cannot exhaust memory.
 */
export class FailureCounter {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = new LRUCache({ max: maxKeys });
  }

  /**
   * How long the key must wait before it may try again: 0 when it may now. `pending` attempts, still unanswered,
   * count as failures to come; refused for them alone, the key waits a second, by when they will have ended or
   * counted.
   */
  waitMs(key: string, pending = 0): number {
    const window = this.openWindow(key);
    if ((window?.failures ?? 0) + pending < this.limit) {
      return 0;
    }
    return window && window.failures >= this.limit ? window.endsAt - this.now() : PENDING_WAIT_MS;
  }

  fail(key: string): void {
    const window = this.openWindow(key) ?? { failures: 0, endsAt: this.now() + this.windowMs };
    window.failures++;
    this.windows.set(key, window);
  }

  private openWindow(key: string): Window | undefined {
    const window = this.windows.get(key);
    return window && window.endsAt > this.now() ? window : undefined;
  }
}

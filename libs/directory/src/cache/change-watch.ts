import { Logger } from '@nestjs/common';
import { Freshness } from './freshness';

/** The directory's change marker (any value that differs after every write), or undefined when it keeps none. */
export type ChangeMarkerReader = () => Promise<string | undefined>;

/**
 * Polls the directory's change marker so that an unchanged directory costs one small read per interval rather than
 * one per request: each unchanged answer renews every cached answer, each different one drops them all. When the
 * marker cannot be read, nothing is renewed, so cached answers run out within the bound.
 */
export class ChangeWatch {
  private readonly logger = new Logger(ChangeWatch.name);
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private lastMarker?: string;
  private failing = false;
  private missingReported = false;

  constructor(
    private readonly freshness: Freshness,
    private readonly readMarker: ChangeMarkerReader,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) {
      return;
    }
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    // Polling is housekeeping: it must never be what keeps the process alive.
    this.timer.unref();
    void this.poll();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** One check; a check still running when the next is due is not doubled. */
  poll(): Promise<void> {
    this.polling ??= this.check().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async check(): Promise<void> {
    // Taken before the read: the directory was unchanged no earlier than this, never later.
    const started = this.freshness.stamp();
    let marker: string | undefined;
    try {
      marker = await this.readMarker();
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `Cannot read the directory's change marker (${String(error)}); cached answers expire ` +
            `${this.freshness.boundMs} ms after they were read until it can be read again`,
        );
      }
      return;
    }
    if (this.failing) {
      this.failing = false;
      this.logger.log("The directory's change marker can be read again");
    }
    if (marker === undefined) {
      if (this.lastMarker !== undefined || !this.missingReported) {
        this.missingReported = true;
        this.logger.warn(
          'The directory keeps no change marker (such as contextCSN): cached answers expire ' +
            `${this.freshness.boundMs} ms after they were read, and changes are not noticed sooner`,
        );
      }
      this.lastMarker = undefined;
      return;
    }
    if (this.lastMarker === undefined) {
      // Taken after the read: an answer read while it ran may predate a write that the marker already counts.
      this.freshness.baseline(this.freshness.stamp());
    } else if (marker === this.lastMarker) {
      this.freshness.confirmUnchanged(started);
    } else {
      this.freshness.invalidate();
    }
    this.lastMarker = marker;
  }
}

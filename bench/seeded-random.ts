import { createCipheriv, createHash } from 'node:crypto';

const REFILL_BYTES = 64 * 1024;

/**
 * A deterministic stream of random numbers: the AES-128-CTR keystream under a key derived from the seed. The same
 * seed gives the same directory and the same requests on every machine and every run.
 */
export class SeededRandom {
  private readonly keystream;
  private buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(seed: string) {
    const key = createHash('sha256').update(seed).digest().subarray(0, 16);
    this.keystream = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor((this.uint32() / 2 ** 32) * bound);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.below(256);
    }
    return out;
  }

  /** A version 4 UUID, as a directory would assign for entryUUID. */
  uuid(): string {
    const bytes = this.bytes(16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private uint32(): number {
    if (this.offset + 4 > this.buffer.length) {
      this.buffer = this.keystream.update(Buffer.alloc(REFILL_BYTES));
      this.offset = 0;
    }
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }
}

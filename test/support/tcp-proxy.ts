import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * How the proxy treats traffic from now on:
 * - pass: forwards both ways;
 * - delay: forwards every chunk, both ways, `ms` after it arrived (order kept);
 * - swallow: reads and discards everything, both ways, like a hung server; a connection that has swallowed a chunk
 *   swallows for good, since its LDAP stream is now cut mid-message, and new connections are accepted but never
 *   answered;
 * - close: ends every connection (FIN), and each new one as soon as it is accepted;
 * - reset: resets every connection (RST), and each new one as soon as it is accepted.
 */
export type ProxyMode =
  | { readonly kind: 'pass' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'swallow' }
  | { readonly kind: 'close' }
  | { readonly kind: 'reset' };

interface Pair {
  readonly client: Socket;
  upstream?: Socket;
  swallowing: boolean;
  readonly answerFramer: LdapMessageFramer;
  readonly requestFramer: LdapMessageFramer;
  /** The message ids of requests whose answers are withheld. */
  readonly withheldIds: Set<number>;
}

/** A TCP proxy between the service and slapd that injects slowness, silence and broken connections. */
export class TcpProxy {
  private mode: ProxyMode = { kind: 'pass' };
  private readonly pairs = new Set<Pair>();
  private readonly withheldMarkers: Buffer[] = [];
  /** Requests seen carrying a withheld marker, so that a test can wait until one has been sent. */
  withheldRequests = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0, targetPort);
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  /** Applies to the connections already open as well as to new ones. */
  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode.kind === 'close' || mode.kind === 'reset') {
      for (const pair of this.pairs) {
        this.cut(pair);
      }
    }
  }

  /** Drops the server's answers to every later request that contains `marker` (an LDAP-aware fault: one slow operation). */
  withholdAnswersTo(marker: string): void {
    this.withheldMarkers.push(Buffer.from(marker, 'utf8'));
  }

  answerEverything(): void {
    this.withheldMarkers.length = 0;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const pair: Pair = {
      client,
      swallowing: false,
      answerFramer: new LdapMessageFramer(),
      requestFramer: new LdapMessageFramer(),
      withheldIds: new Set(),
    };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      this.pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (this.mode.kind === 'close' || this.mode.kind === 'reset') {
      this.cut(pair);
      return;
    }
    if (this.mode.kind === 'swallow') {
      pair.swallowing = true;
    } else {
      this.connectUpstream(pair);
    }
    client.on('data', (chunk: Buffer) => this.forward(pair, chunk, 'request'));
  }

  private connectUpstream(pair: Pair): void {
    const upstream = createConnection(this.targetPort, '127.0.0.1');
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => pair.client.destroy());
    upstream.on('data', (chunk: Buffer) => this.forward(pair, chunk, 'answer'));
  }

  private forward(pair: Pair, chunk: Buffer, direction: 'request' | 'answer'): void {
    if (this.mode.kind === 'swallow') {
      pair.swallowing = true;
    }
    if (pair.swallowing || this.mode.kind === 'close' || this.mode.kind === 'reset') {
      return;
    }
    const data = this.filter(pair, chunk, direction);
    const to = direction === 'request' ? pair.upstream : pair.client;
    const send = () => {
      if (to && !to.destroyed && data.length > 0) {
        to.write(data);
      }
    };
    if (this.mode.kind === 'delay') {
      setTimeout(send, this.mode.ms);
    } else {
      send();
    }
  }

  /** Notes which requests carry a withheld marker, and leaves out the answers to them. */
  private filter(pair: Pair, chunk: Buffer, direction: 'request' | 'answer'): Buffer {
    if (direction === 'request') {
      for (const message of pair.requestFramer.push(chunk)) {
        if (this.withheldMarkers.some((marker) => message.bytes.includes(marker))) {
          pair.withheldIds.add(message.id);
          this.withheldRequests++;
        }
      }
      return chunk;
    }
    // Answers always pass as whole messages, so that a marker added between two operations frames correctly.
    const kept = pair.answerFramer.push(chunk).filter((message) => !pair.withheldIds.has(message.id));
    return Buffer.concat(kept.map((message) => message.bytes));
  }

  private cut(pair: Pair): void {
    if (this.mode.kind === 'reset') {
      pair.client.resetAndDestroy();
    } else {
      pair.client.end();
      // A socket nobody reads never sees the peer's FIN, and would stay open after the peer has gone.
      pair.client.resume();
    }
    pair.upstream?.destroy();
  }
}

/** Cuts a byte stream into whole LDAP messages (BER SEQUENCEs) and reads each one's messageID. */
class LdapMessageFramer {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ id: number; bytes: Buffer }> {
    this.pending = Buffer.concat([this.pending, chunk]);
    const messages: Array<{ id: number; bytes: Buffer }> = [];
    for (;;) {
      const header = readLength(this.pending, 1);
      if (!header || this.pending.length < header.contentStart + header.length) {
        return messages;
      }
      const bytes = this.pending.subarray(0, header.contentStart + header.length);
      this.pending = this.pending.subarray(bytes.length);
      const idHeader = readLength(bytes, header.contentStart + 1);
      const id = idHeader ? bytes.readUIntBE(idHeader.contentStart, Math.min(idHeader.length, 6)) : -1;
      messages.push({ id, bytes: Buffer.from(bytes) });
    }
  }
}

/** A BER length at `offset` (short or long form), or undefined while its bytes have not all arrived. */
function readLength(buffer: Buffer, offset: number): { length: number; contentStart: number } | undefined {
  if (buffer.length <= offset) {
    return undefined;
  }
  const first = buffer[offset];
  if (first < 0x80) {
    return { length: first, contentStart: offset + 1 };
  }
  const octets = first & 0x7f;
  if (buffer.length < offset + 1 + octets) {
    return undefined;
  }
  return { length: buffer.readUIntBE(offset + 1, octets), contentStart: offset + 1 + octets };
}

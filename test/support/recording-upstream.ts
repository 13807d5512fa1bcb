import { createServer, IncomingHttpHeaders, Server } from 'node:http';

/** A request as the application behind a gateway received it. */
export interface UpstreamRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the upstream answers to every request. */
export const UPSTREAM_ANSWER = 'the application behind the gateway';

/**
 * The application a gateway guards, reduced to what a test needs: it answers 200 to everything and records each
 * request it received, so that a test can tell what reached it, with which headers, and what never did.
 */
export class RecordingUpstream {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** Every request received, in the order they arrived. */
    readonly requests: UpstreamRequest[],
  ) {}

  /** host:port, as a gateway's configuration names it. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RecordingUpstream> {
    const requests: UpstreamRequest[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(UPSTREAM_ANSWER);
      });
    });
    await new Promise<void>((resolveListening) => server.listen(0, '127.0.0.1', resolveListening));
    const address = server.address();
    return new RecordingUpstream(server, typeof address === 'object' && address ? address.port : 0, requests);
  }

  /** Forgets what was received so far. */
  clear(): void {
    this.requests.splice(0);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolveClosed) => this.server.close(() => resolveClosed()));
  }
}

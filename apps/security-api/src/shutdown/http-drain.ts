import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, Socket } from 'node:net';
import { Environment } from '../config/environment';

/**
 * How long a connection with no request in progress is kept once draining starts. A request whose bytes reached the
 * socket before the signal is read and begun well within it; only then may the connection close.
 */
export const IDLE_CONNECTION_GRACE_MS = 500;

/** Clients that keep connecting after the signal must not hold the listener open for ever. */
const ACCEPT_QUEUE_DRAIN_LIMIT_MS = 1000;

/**
 * Drains the HTTP server before the directory's connections are closed (Nest calls this hook before it closes the
 * server, and the directory closes in the shutdown hook after it). Node's own `server.close()` also destroys every
 * connection it considers idle, and that includes one whose request has arrived but not yet been read: a check
 * already sent would fail with a reset. Here the listener stops, every request in progress or already sent is
 * answered with `Connection: close`, idle connections close after a short grace, and a deadline bounds it all.
 */
@Injectable()
export class HttpDrain implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HttpDrain.name);
  private readonly requestsInProgress = new Map<Socket, number>();
  private draining = false;
  private connectionsAccepted = 0;
  private allClosed?: () => void;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly environment: Environment,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.server();
    server.on('connection', (socket: Socket) => {
      this.connectionsAccepted += 1;
      this.requestsInProgress.set(socket, 0);
      socket.once('close', () => this.forget(socket));
    });
    // Ahead of Express, so the header is set before any handler can answer.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      const socket = request.socket;
      this.requestsInProgress.set(socket, (this.requestsInProgress.get(socket) ?? 0) + 1);
      if (this.draining) {
        response.setHeader('Connection', 'close');
      }
      response.once('close', () => this.requestEnded(socket));
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const server = this.server();
    if (server.listening) {
      await this.acceptConnectionsAlreadyQueued();
      // net's close, not http's: it stops accepting without touching connections that are already open.
      NetServer.prototype.close.call(server);
    }
    const connections = this.requestsInProgress.size;
    if (connections === 0) {
      return;
    }
    this.logger.log(`Draining ${connections} open connection(s) before stopping`);
    for (const [socket, requests] of this.requestsInProgress) {
      if (requests === 0) {
        this.closeIfStillIdle(socket);
      }
    }
    const drained = new Promise<void>((resolve) => (this.allClosed = resolve));
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      deadline = setTimeout(() => resolve('timed out'), this.environment.SHUTDOWN_TIMEOUT_MS);
    });
    if ((await Promise.race([drained, timedOut])) === 'timed out') {
      this.logger.warn(
        `Closing ${this.requestsInProgress.size} connection(s) still open after SHUTDOWN_TIMEOUT_MS=${this.environment.SHUTDOWN_TIMEOUT_MS}`,
      );
      for (const socket of this.requestsInProgress.keys()) {
        socket.destroy();
      }
    }
    clearTimeout(deadline);
  }

  /**
   * A client whose connect has completed has sent its request as far as it can tell, but closing the listener resets
   * every connection still in the kernel's accept queue, and Node accepts one connection per turn of the event loop.
   * Turns without a new connection mean the queue is empty.
   */
  private async acceptConnectionsAlreadyQueued(): Promise<void> {
    const until = Date.now() + ACCEPT_QUEUE_DRAIN_LIMIT_MS;
    let quietTurns = 0;
    while (quietTurns < 2 && Date.now() < until) {
      const before = this.connectionsAccepted;
      await new Promise((resolve) => setImmediate(resolve));
      quietTurns = this.connectionsAccepted === before ? quietTurns + 1 : 0;
    }
  }

  private requestEnded(socket: Socket): void {
    const before = this.requestsInProgress.get(socket);
    if (before === undefined) {
      return;
    }
    this.requestsInProgress.set(socket, before - 1);
    if (this.draining && before === 1) {
      // Answered with Connection: close, so Node ends it; a pipelined request already read keeps it open.
      this.closeIfStillIdle(socket);
    }
  }

  private closeIfStillIdle(socket: Socket): void {
    setTimeout(() => {
      if (this.requestsInProgress.get(socket) === 0) {
        socket.destroy();
      }
    }, IDLE_CONNECTION_GRACE_MS).unref();
  }

  private forget(socket: Socket): void {
    this.requestsInProgress.delete(socket);
    if (this.draining && this.requestsInProgress.size === 0) {
      this.allClosed?.();
    }
  }

  private server(): Server {
    return this.adapterHost.httpAdapter.getHttpServer() as Server;
  }
}

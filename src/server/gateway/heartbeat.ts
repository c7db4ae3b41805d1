import type { WebSocket } from 'ws';

/**
 * Protocol-level keepalive: every interval each socket is pinged; one that has not answered the
 * previous ping is terminated (a half-open TCP connection would otherwise keep its presence and
 * channel memberships forever). Browsers answer pings automatically.
 */
export class Heartbeat {
  readonly #alive = new Map<WebSocket, boolean>();
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs: number) {
    this.#timer = setInterval(() => this.#tick(), intervalMs);
    this.#timer.unref();
  }

  track(socket: WebSocket): void {
    this.#alive.set(socket, true);
    socket.on('pong', () => this.#alive.set(socket, true));
    socket.on('close', () => this.#alive.delete(socket));
  }

  #tick(): void {
    for (const [socket, alive] of this.#alive) {
      if (!alive) {
        this.#alive.delete(socket);
        socket.terminate();
        continue;
      }
      this.#alive.set(socket, false);
      socket.ping();
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

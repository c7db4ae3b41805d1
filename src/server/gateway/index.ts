import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { CloseCodes } from '../../protocol/index.js';
import { acceptConnection } from './accept.js';
import type { GatewayContext } from './context.js';
import { Heartbeat } from './heartbeat.js';

export type { GatewayContext } from './context.js';

/** How long shutdown waits for clients to answer the close handshake before cutting them off. */
const SHUTDOWN_GRACE_MS = 1000;

export interface Gateway {
  /** Closes every client socket with SERVER_SHUTDOWN and stops the heartbeat. */
  shutdown(): Promise<void>;
}

/**
 * Mounts the WebSocket gateway at `/ws`. Requires @fastify/websocket to be registered (with
 * maxPayload = MAX_FRAME_BYTES, so oversized frames are cut off by ws with 1009 before parsing).
 */
export function registerGateway(app: FastifyInstance, ctx: GatewayContext, heartbeatIntervalMs: number): Gateway {
  const heartbeat = new Heartbeat(heartbeatIntervalMs);
  const sockets = new Set<WebSocket>();

  app.get('/ws', { websocket: true }, (socket, request) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    heartbeat.track(socket);
    acceptConnection(ctx, socket, { origin: request.headers.origin, host: request.headers.host }, request.raw.socket);
  });

  return {
    async shutdown() {
      heartbeat.stop();
      const open = [...sockets];
      await Promise.all(
        open.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === socket.CLOSED) return resolve();
              const timer = setTimeout(() => {
                socket.terminate();
                resolve();
              }, SHUTDOWN_GRACE_MS);
              socket.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              socket.close(CloseCodes.SERVER_SHUTDOWN, 'server shutting down');
            }),
        ),
      );
    },
  };
}

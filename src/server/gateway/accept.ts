import type { RawData, WebSocket } from 'ws';
import {
  CloseCodes,
  FrameError,
  MAX_BAD_FRAMES_IN_A_ROW,
  parseClientFrame,
  RATE_LIMIT_ABUSE_SECONDS,
  RtmError,
  type ClientFrame,
} from '../../protocol/index.js';
import { Connection, type CorkableStream } from './connection.js';
import type { GatewayContext } from './context.js';
import { handlers } from './handlers/index.js';
import type { FrameHandler } from './handlers/types.js';
import { ConnectionRateLimiter, DEFAULT_CONNECTION_RATE_LIMITS } from './rate-limit.js';

/** Frames read from one socket but not handled yet; beyond this the socket is paused. */
const MAX_QUEUED_FRAMES = 64;

/**
 * Runs one client connection: login deadline, the frame loop, cleanup on close.
 *
 * Frames are handled one at a time, in arrival order (a promise chain): a `peer.send` right
 * behind `login` must wait for the token check, and acks must come back in request order.
 * Bad input never throws out of here; it is answered and counted. Every frame that parses passes
 * the connection's rate limits first (see rate-limit.ts): one over them is refused with TOO_OFTEN
 * before its handler runs, so nothing is stored. The limits are checked as frames are handled, in
 * order, so the refusal keeps its place among the replies.
 */
export function acceptConnection(
  ctx: GatewayContext,
  socket: WebSocket,
  headers: { origin?: string | undefined; host?: string | undefined },
  stream?: CorkableStream,
): Connection {
  const conn = new Connection(socket, headers.origin, headers.host, stream);
  let badInARow = 0;
  let queue: Promise<void> = Promise.resolve();
  const limiter =
    ctx.rateLimits === false ? undefined : new ConnectionRateLimiter(ctx.rateLimits ?? DEFAULT_CONNECTION_RATE_LIMITS, ctx.now());

  // Once the server decides to close (any close code), the connection stops being routed at once:
  // a slow consumer's grace period or an unanswered close handshake must not make its user look
  // online, or hold channel membership, any longer.
  const detach = () => {
    if (!conn.routed) return;
    conn.routed = false;
    ctx.presence.detach(conn);
  };
  conn.onClosing = (code, reason) => {
    if (code === CloseCodes.SLOW_CONSUMER || code === CloseCodes.RATE_LIMITED) {
      ctx.log.warn({ uid: conn.uid, appId: conn.appId, code, reason }, 'connection dropped');
    }
    detach();
  };

  // Checked when it fires rather than cleared at login: a login attempt that fails without
  // closing (e.g. INTERNAL_ERROR) must not leave the connection without a deadline.
  const deadline = setTimeout(() => {
    if (conn.state === 'new') conn.close(CloseCodes.LOGIN_DEADLINE, 'login deadline');
  }, ctx.loginDeadlineMs);
  deadline.unref();

  /** Answers a bad frame; too many in a row and the connection is not worth keeping. */
  const refuseFrame = (id: number | undefined, error: RtmError) => {
    conn.replyError(id, error);
    if (++badInARow >= MAX_BAD_FRAMES_IN_A_ROW) {
      conn.close(CloseCodes.PROTOCOL_VIOLATION, `${MAX_BAD_FRAMES_IN_A_ROW} bad frames in a row`);
    }
  };

  const handle = async (data: RawData, isBinary: boolean): Promise<void> => {
    if (conn.state === 'closing' || !conn.isOpen) return;
    if (isBinary) {
      refuseFrame(undefined, new RtmError('MALFORMED_FRAME', 'Binary frames are not supported; send JSON text frames.'));
      return;
    }
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(rawDataToString(data));
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      refuseFrame(error.requestId, error);
      return;
    }
    if (limiter) {
      const decision = limiter.check(frame.t, ctx.now());
      if (!decision.ok) {
        conn.replyError(frame.id, decision.error);
        if (decision.close) {
          conn.close(CloseCodes.RATE_LIMITED, `over the rate limit at least twice over for ${RATE_LIMIT_ABUSE_SECONDS} s`);
        }
        return;
      }
    }
    if (frame.t !== 'login' && conn.state !== 'ready') {
      refuseFrame(frame.id, new RtmError('NOT_LOGGED_IN', `Send "login" before "${frame.t}".`));
      return;
    }
    badInARow = 0;
    try {
      await (handlers[frame.t] as FrameHandler<typeof frame.t>)(ctx, conn, frame as never);
    } catch (error) {
      if (error instanceof RtmError) {
        conn.replyError(frame.id, error);
      } else {
        ctx.log.error({ err: error, frame: frame.t, uid: conn.uid }, 'frame handler failed');
        conn.replyError(frame.id, new RtmError('INTERNAL_ERROR', 'The server failed to handle this request; nothing was stored.'));
      }
    }
  };

  // Backpressure: a client that sends faster than its frames are handled stops being read (TCP
  // pushes back on it) instead of growing this queue without bound.
  let pending = 0;
  socket.on('message', (data, isBinary) => {
    if (++pending >= MAX_QUEUED_FRAMES) socket.pause();
    queue = queue
      .then(() => handle(data, isBinary))
      .catch((error: unknown) => {
        // Only reachable through a bug in the loop itself; keep the process and the queue alive.
        ctx.log.error({ err: error }, 'connection frame loop failed');
      })
      .finally(() => {
        if (--pending < MAX_QUEUED_FRAMES && socket.isPaused) socket.resume();
      });
  });

  socket.on('close', () => {
    clearTimeout(deadline);
    conn.tokenExpiry?.stop();
    conn.state = 'closing';
    detach();
  });

  return conn;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

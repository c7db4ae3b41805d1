import type { FrameHandler } from './types.js';

/** presence.query: ONLINE (at least one logged-in connection) or OFFLINE per user. */
export const presenceQuery: FrameHandler<'presence.query'> = (ctx, conn, frame) => {
  conn.reply(frame.id, 'presence.query', { status: ctx.presence.status(conn.appId, frame.uids) });
};

/**
 * presence.subscribe: the status now, then `presence` pushes on changes, for this connection's
 * life. presence.unsubscribe (the same frame shape) stops them.
 */
export const presenceSubscribe: FrameHandler<'presence.subscribe' | 'presence.unsubscribe'> = (ctx, conn, frame) => {
  if (frame.t === 'presence.unsubscribe') {
    ctx.presence.unsubscribe(conn, frame.uids);
    conn.reply(frame.id, 'presence.unsubscribe', {});
    return;
  }
  conn.reply(frame.id, 'presence.subscribe', { status: ctx.presence.subscribe(conn, frame.uids) });
};

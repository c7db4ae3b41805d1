import { MAX_SYNC_GAP } from '../../../protocol/index.js';
import { conversationOf } from '../../messaging/conversations.js';
import type { FrameHandler } from './types.js';

/**
 * history: one page, newest first. A peer conversation is always the caller's own (caller + peer).
 * Channels need no join: anyone logged in may join a channel anyway.
 */
export const history: FrameHandler<'history'> = async (ctx, conn, frame) => {
  const { conv } = conversationOf(conn.uid, frame.peer !== undefined ? { peer: frame.peer } : { channel: frame.channel ?? '' });
  const page = await ctx.messages.history(conn.appId, conv, conn.uid, frame.limit, frame.beforeSeq);
  conn.reply(frame.id, 'history', page);
};

/**
 * sync: the messages after `afterSeq`, oldest first, `limit` at a time (`hasMore`: ask again from
 * the last seq). More than MAX_SYNC_GAP behind, or ahead of the newest message: `reset` with the
 * newest page. Like history, a channel needs no join.
 */
export const sync: FrameHandler<'sync'> = async (ctx, conn, frame) => {
  const { conv } = conversationOf(conn.uid, frame);
  conn.reply(frame.id, 'sync', await ctx.messages.sync(conn.appId, conv, conn.uid, frame.afterSeq, frame.limit, MAX_SYNC_GAP));
};

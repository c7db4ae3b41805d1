import { channelConversation, peerConversation } from '../../messaging/conversations.js';
import type { FrameHandler } from './types.js';

/**
 * history: one page, newest first. A peer conversation is always the caller's own (caller + peer).
 * Channels need no join: anyone logged in may join a channel anyway.
 */
export const history: FrameHandler<'history'> = async (ctx, conn, frame) => {
  const conv =
    frame.peer !== undefined ? peerConversation(conn.uid, frame.peer) : channelConversation(frame.channel ?? '');
  const page = await ctx.messages.history(conn.appId, conv, frame.limit, frame.beforeSeq);
  conn.reply(frame.id, 'history', page);
};

import { conversationOf } from '../../messaging/conversations.js';
import type { FrameHandler } from './types.js';

/**
 * conversation.delete: for the caller only (the other side keeps everything). Their other
 * connections hear it as `conversation.deleted`, and their unread total as `read.updated`.
 */
export const conversationDelete: FrameHandler<'conversation.delete'> = async (ctx, conn, frame) => {
  const conversation = conversationOf(conn.uid, frame);
  const result = await ctx.conversations.deleteConversation(conn.appId, conn.uid, conversation, frame.history);
  conn.reply(frame.id, 'conversation.delete', result);
  const ref = conversation.kind === 'peer' ? { peer: conversation.target } : { channel: conversation.target };
  ctx.presence.sendToUser(conn.appId, conn.uid, { t: 'conversation.deleted', clearedSeq: result.clearedSeq, ...ref }, conn);
};

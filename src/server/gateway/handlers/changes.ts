import { deleteForMe, editMessage, retractMessage, setReaction } from '../../messaging/changes.js';
import { conversationOf } from '../../messaging/conversations.js';
import type { Connection } from '../connection.js';
import type { FrameHandler } from './types.js';

/**
 * Frames that change a stored message. Each replies with the message as it is now; the other
 * connections of the conversation (the actor's other tabs included) get `message.changed`.
 */

function actor(conn: Connection) {
  return { uid: conn.uid, via: conn, source: 'sdk' } as const;
}

export const messageRetract: FrameHandler<'message.retract'> = async (ctx, conn, frame) => {
  const { message } = await retractMessage(ctx, conn.appId, frame.messageId, actor(conn));
  conn.reply(frame.id, 'message.retract', { message });
};

export const messageEdit: FrameHandler<'message.edit'> = async (ctx, conn, frame) => {
  const edit = { cmid: frame.cmid, message: frame.message };
  const { message, changed } = await editMessage(ctx, conn.appId, frame.messageId, actor(conn), edit);
  conn.reply(frame.id, 'message.edit', { message, duplicate: !changed });
};

export const reaction: FrameHandler<'reaction.add' | 'reaction.remove'> = async (ctx, conn, frame) => {
  const change = { emoji: frame.emoji, add: frame.t === 'reaction.add' };
  const { message } = await setReaction(ctx, conn.appId, frame.messageId, actor(conn), change);
  conn.reply(frame.id, frame.t, { message });
};

export const messageDelete: FrameHandler<'message.delete'> = async (ctx, conn, frame) => {
  const { changeSeq } = await deleteForMe(ctx, conn.appId, frame.messageId, actor(conn));
  conn.reply(frame.id, 'message.delete', { changeSeq });
};

/** changes: what changed in a conversation after a change number, as the caller sees it. */
export const changes: FrameHandler<'changes'> = async (ctx, conn, frame) => {
  const { conv } = conversationOf(conn.uid, frame);
  conn.reply(frame.id, 'changes', await ctx.messages.changes(conn.appId, conv, conn.uid, frame.afterChangeSeq, frame.limit));
};

import { RtmError, type ReadState } from '../../../protocol/index.js';
import { conversationOf } from '../../messaging/conversations.js';
import type { GatewayContext } from '../context.js';
import type { FrameHandler } from './types.js';

/** Channel read state is for persistent members only (they are who receipts and unread count). */
async function requireMember(ctx: GatewayContext, appId: string, channel: string, uid: string): Promise<void> {
  if (!(await ctx.conversations.isMember(appId, channel, uid))) {
    throw new RtmError('NOT_JOINED', `Join channel "${channel}" first: read state is kept for its members.`);
  }
}

/**
 * read: moves the caller's marker to max(current, min(seq, newest seq)) and replies with the read
 * state. Only when the marker moved: `read.updated` to the caller's other connections, a `read`
 * receipt to every connection of the peer, or `channel.read` to the channel's joined connections
 * (except this one).
 */
export const read: FrameHandler<'read'> = async (ctx, conn, frame) => {
  const { appId, uid } = conn;
  const conversation = conversationOf(uid, frame);
  if (conversation.kind === 'channel') await requireMember(ctx, appId, conversation.target, uid);
  const result = await ctx.conversations.markRead(appId, uid, conversation, frame.seq);
  const state: ReadState = {
    kind: conversation.kind,
    id: conversation.target,
    readSeq: result.readSeq,
    unread: result.unread,
    totalUnread: result.totalUnread,
  };
  conn.reply(frame.id, 'read', state);
  if (!result.moved) return;
  void ctx.webhooks?.readMoved(appId, uid, conversation, result.readSeq);
  ctx.presence.sendToUser(appId, uid, { t: 'read.updated', ...state }, conn);
  if (conversation.kind === 'peer') {
    if (conversation.target !== uid) {
      ctx.presence.sendToUser(appId, conversation.target, { t: 'receipt', kind: 'read', peer: uid, seq: result.readSeq });
    }
  } else {
    const channel = conversation.target;
    ctx.presence.sendToChannel(appId, channel, { t: 'channel.read', channel, uid, readSeq: result.readSeq }, conn);
  }
};

/** conversations: the caller's peer conversations and channels with read state, newest activity first. */
export const conversations: FrameHandler<'conversations'> = async (ctx, conn, frame) => {
  conn.reply(frame.id, 'conversations', await ctx.conversations.list(conn.appId, conn.uid));
};

/** channel.receipts: every persistent member's read marker; members only. */
export const channelReceipts: FrameHandler<'channel.receipts'> = async (ctx, conn, frame) => {
  await requireMember(ctx, conn.appId, frame.channel, conn.uid);
  const members = await ctx.conversations.channelReadStates(conn.appId, frame.channel);
  conn.reply(frame.id, 'channel.receipts', { channel: frame.channel, members });
};

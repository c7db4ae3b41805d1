import { RtmError } from '../../../protocol/index.js';
import { checkMediaReference } from '../../messaging/media-reference.js';
import { deliverChannelMessage, storeChannelMessage } from '../../messaging/deliver.js';
import { sendTransientChannel } from '../../messaging/transient.js';
import type { FrameHandler } from './types.js';

/**
 * channel.join: this connection joins (in memory: it gets the channel's messages and member
 * notices), and the user becomes a persistent member (stored first: receipts and unread counts
 * are about persistent members). `members` are the users with a joined connection right now.
 */
export const channelJoin: FrameHandler<'channel.join'> = async (ctx, conn, frame) => {
  const joined = await ctx.conversations.join(conn.appId, frame.channel, conn.uid, ctx.now());
  if (joined) void ctx.webhooks?.memberJoined(conn.appId, frame.channel, conn.uid);
  if (conn.state === 'closing') return; // closed (and detached) while the membership was stored
  conn.reply(frame.id, 'channel.join', { members: ctx.presence.join(conn, frame.channel) });
};

/**
 * channel.leave: the user stops being a persistent member (whichever of their connections asks),
 * and this connection leaves. Their other joined connections stay joined until they leave or
 * close. Leaving a channel that was not joined is not an error: the goal state holds.
 */
export const channelLeave: FrameHandler<'channel.leave'> = async (ctx, conn, frame) => {
  const left = await ctx.conversations.leave(conn.appId, frame.channel, conn.uid);
  if (left) void ctx.webhooks?.memberLeft(conn.appId, frame.channel, conn.uid);
  ctx.presence.leave(conn, frame.channel);
  conn.reply(frame.id, 'channel.leave', {});
};

export const channelMembers: FrameHandler<'channel.members'> = (ctx, conn, frame) => {
  conn.reply(frame.id, 'channel.members', { members: ctx.presence.members(conn.appId, frame.channel) });
};

/** channel.member_count: the users joined to each channel now, across nodes; no join needed (as in Agora). */
export const channelMemberCount: FrameHandler<'channel.member_count'> = (ctx, conn, frame) => {
  // Null prototype: "__proto__" is a valid channel name.
  const counts: Record<string, number> = Object.create(null);
  for (const channel of frame.channels) counts[channel] = ctx.presence.members(conn.appId, channel).length;
  conn.reply(frame.id, 'channel.member_count', { counts });
};

/**
 * channel.send: only from a joined connection; stored like peer messages (same idempotency, seq per
 * channel), acked after commit, then pushed to every joined connection except the sending one.
 * A transient send is not stored: its ack adds `received`, how many other users got it live.
 */
export const channelSend: FrameHandler<'channel.send'> = async (ctx, conn, frame) => {
  if (!ctx.presence.isJoined(conn, frame.channel)) {
    throw new RtmError('NOT_JOINED', `Join channel "${frame.channel}" before sending to it.`);
  }
  await checkMediaReference(ctx, conn.appId, frame.message);
  const send = {
    appId: conn.appId,
    from: conn.uid,
    channel: frame.channel,
    cmid: frame.cmid,
    message: frame.message,
    needReadReceipt: frame.needReadReceipt,
    via: conn,
  };
  if (frame.transient) {
    const result = await sendTransientChannel(ctx, send);
    const { message, duplicate } = result;
    conn.reply(frame.id, 'channel.send', { messageId: message.id, seq: 0, ts: message.ts, duplicate, received: result.received });
    deliverChannelMessage(ctx, send, result);
    return;
  }
  const result = await storeChannelMessage(ctx, send);
  const { message, duplicate } = result;
  conn.reply(frame.id, 'channel.send', { messageId: message.id, seq: message.seq, ts: message.ts, duplicate });
  deliverChannelMessage(ctx, send, result);
  void ctx.webhooks?.messageSent(conn.appId, 'sdk', result);
};

import { RtmError, TYPING_MIN_INTERVAL_MS, TYPING_TTL_MS } from '../../../protocol/index.js';
import { conversationOf } from '../../messaging/conversations.js';
import type { FrameHandler } from './types.js';

/** Beyond this many remembered conversations a connection's typing times are pruned. */
const TYPING_MEMORY = 64;

/**
 * typing: a transparent command — relayed to whoever is connected right now, never stored. A peer
 * notice goes to every connection of the peer; a channel notice to every joined connection except
 * the sending one (which must have joined, as for channel.send). One notice per conversation per
 * connection every TYPING_MIN_INTERVAL_MS; more are refused with TOO_OFTEN.
 */
export const typing: FrameHandler<'typing'> = (ctx, conn, frame) => {
  const { appId, uid } = conn;
  const conversation = conversationOf(uid, frame);
  if (conversation.kind === 'channel' && !ctx.presence.isJoined(conn, conversation.target)) {
    throw new RtmError('NOT_JOINED', `Join channel "${conversation.target}" before typing in it.`);
  }
  const now = ctx.now();
  const last = conn.typingAt.get(conversation.conv);
  if (last !== undefined && now - last < TYPING_MIN_INTERVAL_MS) {
    throw new RtmError('TOO_OFTEN', `One typing notice per conversation every ${TYPING_MIN_INTERVAL_MS} ms.`);
  }
  if (conn.typingAt.size >= TYPING_MEMORY) {
    for (const [conv, at] of conn.typingAt) if (now - at >= TYPING_MIN_INTERVAL_MS) conn.typingAt.delete(conv);
  }
  conn.typingAt.set(conversation.conv, now);
  conn.reply(frame.id, 'typing', {});
  if (conversation.kind === 'peer') {
    ctx.presence.sendToUser(appId, conversation.target, { t: 'typing', from: uid, peer: uid, expiresInMs: TYPING_TTL_MS }, conn);
  } else {
    const channel = conversation.target;
    ctx.presence.sendToChannel(appId, channel, { t: 'typing', from: uid, channel, expiresInMs: TYPING_TTL_MS }, conn);
  }
};

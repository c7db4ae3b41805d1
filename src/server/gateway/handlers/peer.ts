import { MAX_OFFLINE_MESSAGES_PER_RECEIVER, OFFLINE_MESSAGE_TTL_MS } from '../../../protocol/index.js';
import { peerConversation } from '../../messaging/conversations.js';
import { newMessageId } from '../../messaging/message-ids.js';
import type { GatewayContext } from '../context.js';
import { checkMediaReference } from '../media.js';
import type { FrameHandler } from './types.js';

/**
 * peer.send: store (commit) → ack → deliver. Delivery goes to every connection of the receiver and
 * to the sender's other connections (their other tabs show what they sent), never back to the
 * sending connection. A resend of a stored cmid is acked with the original result and not
 * delivered again. When a connection of the receiver got it (`hasPeerReceived`), the sender's
 * connections get a `delivered` receipt (not for notes to self).
 */
export const peerSend: FrameHandler<'peer.send'> = async (ctx, conn, frame) => {
  const { appId, uid } = conn;
  await checkMediaReference(ctx, appId, frame.message);
  const now = ctx.now();
  // A self-send counts the sender as online (this very connection), so it is never kept offline;
  // "received" means another of the receiver's connections got it.
  const peerReceived = ctx.presence.isOnline(appId, frame.to, conn);
  const storedOffline = frame.offline && !ctx.presence.isOnline(appId, frame.to);
  const result = await ctx.messages.store(
    {
      appId,
      conv: peerConversation(uid, frame.to),
      id: newMessageId(),
      ts: now,
      from: uid,
      to: frame.to,
      cmid: frame.cmid,
      message: frame.message,
      ack: { peerReceived, storedOffline },
      ...(storedOffline && {
        offline: { expiresAt: now + OFFLINE_MESSAGE_TTL_MS, maxPerReceiver: MAX_OFFLINE_MESSAGES_PER_RECEIVER },
      }),
    },
    now,
  );
  const { message, duplicate, ack } = result;
  conn.reply(frame.id, 'peer.send', {
    messageId: message.id,
    seq: message.seq,
    ts: message.ts,
    duplicate,
    hasPeerReceived: ack.peerReceived,
    storedOffline: ack.storedOffline,
  });
  if (duplicate) return;
  const push = { t: 'peer.message', message, offline: false } as const;
  ctx.presence.sendToUser(appId, frame.to, push, conn);
  if (frame.to === uid) return;
  ctx.presence.sendToUser(appId, uid, push, conn);
  // The store moved the receiver's delivery marker with the message (same commit) when they had a
  // connection open; tell every connection of the sender.
  if (ack.peerReceived) {
    ctx.presence.sendToUser(appId, uid, { t: 'receipt', kind: 'delivered', peer: frame.to, seq: message.seq });
  }
};

/**
 * Peer messages up to `seq` reached a connection of `receiver` (the login batch): moves the
 * receiver's delivery marker and, when it moved, sends a `delivered` receipt to every connection of
 * `sender`. Best effort: a failure is logged.
 */
export async function recordDelivered(
  ctx: GatewayContext,
  appId: string,
  receiver: string,
  sender: string,
  seq: number,
): Promise<void> {
  const conversation = { conv: peerConversation(receiver, sender), kind: 'peer', target: sender } as const;
  try {
    const delivered = await ctx.conversations.markDelivered(appId, receiver, conversation, seq);
    if (delivered !== undefined) {
      ctx.presence.sendToUser(appId, sender, { t: 'receipt', kind: 'delivered', peer: receiver, seq: delivered });
    }
  } catch (err) {
    ctx.log.error({ err, appId, receiver }, 'could not record a delivery');
  }
}

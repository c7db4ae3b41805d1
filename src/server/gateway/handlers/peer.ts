import { conversationOf } from '../../messaging/conversations.js';
import { deliverPeerMessage, storePeerMessage } from '../../messaging/deliver.js';
import { checkMediaReference } from '../../messaging/media-reference.js';
import { deliverTransientPeer, sendTransientPeer } from '../../messaging/transient.js';
import type { GatewayContext } from '../context.js';
import type { FrameHandler } from './types.js';

/**
 * peer.send: store (commit) → ack → deliver. Delivery goes to every connection of the receiver and
 * to the sender's other connections (their other tabs show what they sent), never back to the
 * sending connection. A resend of a stored cmid is acked with the original result and not
 * delivered again. When a connection of the receiver got it (`hasPeerReceived`), the sender's
 * connections get a `delivered` receipt (not for notes to self).
 *
 * A transient send takes the same route without the store: the ack says whether a connection of
 * the receiver got it, the message goes to the same connections, and nothing is written (no
 * receipt, no webhook event).
 */
export const peerSend: FrameHandler<'peer.send'> = async (ctx, conn, frame) => {
  await checkMediaReference(ctx, conn.appId, frame.message);
  const send = {
    appId: conn.appId,
    from: conn.uid,
    to: frame.to,
    cmid: frame.cmid,
    message: frame.message,
    offline: frame.offline,
    needReadReceipt: frame.needReadReceipt,
    via: conn,
  };
  const result = await (frame.transient ? sendTransientPeer(ctx, send) : storePeerMessage(ctx, send));
  const { message, duplicate, ack } = result;
  conn.reply(frame.id, 'peer.send', {
    messageId: message.id,
    seq: message.seq,
    ts: message.ts,
    duplicate,
    hasPeerReceived: ack.peerReceived,
    storedOffline: ack.storedOffline,
  });
  if (frame.transient) {
    deliverTransientPeer(ctx, send, result);
    return;
  }
  deliverPeerMessage(ctx, send, result);
  void ctx.webhooks?.messageSent(conn.appId, 'sdk', result);
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
  try {
    const delivered = await ctx.conversations.markDelivered(appId, receiver, conversationOf(receiver, { peer: sender }), seq);
    if (delivered !== undefined) {
      ctx.presence.sendToUser(appId, sender, { t: 'receipt', kind: 'delivered', peer: receiver, seq: delivered });
    }
  } catch (err) {
    ctx.log.error({ err, appId, receiver }, 'could not record a delivery');
  }
}

import { MAX_OFFLINE_MESSAGES_PER_RECEIVER, OFFLINE_MESSAGE_TTL_MS, type WireMessage } from '../../protocol/index.js';
import type { PresenceRouter, RoutedConnection } from './presence-router.js';
import type { MessageStore, StoreResult } from '../storage/types.js';
import type { WebhookEvents } from '../webhooks/recorder.js';
import type { RecentTransients } from './transient.js';
import { channelConversation, peerConversation } from './conversations.js';
import { newMessageId } from './message-ids.js';

/**
 * Storing and delivering a message, shared by the WebSocket gateway (`peer.send`, `channel.send`)
 * and the REST API, so a message takes the same path whoever sent it: history, unread counts,
 * offline storage, delivery markers and receipts. Each send is two steps — store (resolves after
 * the commit), then deliver (synchronous) — so the gateway can ack in between.
 */
export interface SendContext {
  messages: MessageStore;
  /** Who is connected, and delivery to their connections. */
  presence: PresenceRouter;
  /** The server clock (injectable for tests: offline expiry, token expiry, message times). */
  now: () => number;
  /** Webhook events to record after a write (absent: no app has a webhook). */
  webhooks?: WebhookEvents;
  /** Acks of recent transient sends, so a resend is not delivered twice (absent: no such dedupe). */
  transients?: RecentTransients;
}

export interface PeerSend {
  appId: string;
  from: string;
  to: string;
  cmid: string;
  message: WireMessage;
  /** Keep it for `to` while they have no connection. */
  offline: boolean;
  /** false: sent with `needReadReceipt: false` (stored with the message). Default true. */
  needReadReceipt?: boolean;
  /** The sending connection (gateway sends): it does not get its own message back. */
  via?: RoutedConnection;
}

/**
 * Stores a peer message. `peerReceived`: a connection of the receiver other than the sending one
 * is open (a self-send from a connection counts that connection as online, so it is never kept
 * offline). `storedOffline`: kept because the receiver has no connection at all.
 */
export function storePeerMessage(ctx: SendContext, send: PeerSend): Promise<StoreResult> {
  const now = ctx.now();
  const peerReceived = ctx.presence.isOnline(send.appId, send.to, send.via);
  const storedOffline = send.offline && !ctx.presence.isOnline(send.appId, send.to);
  return ctx.messages.store(
    {
      appId: send.appId,
      conv: peerConversation(send.from, send.to),
      id: newMessageId(),
      ts: now,
      from: send.from,
      to: send.to,
      cmid: send.cmid,
      message: send.message,
      ...(send.needReadReceipt === false && { needReadReceipt: false as const }),
      ack: { peerReceived, storedOffline },
      ...(storedOffline && {
        offline: { expiresAt: now + OFFLINE_MESSAGE_TTL_MS, maxPerReceiver: MAX_OFFLINE_MESSAGES_PER_RECEIVER },
      }),
    },
    now,
  );
}

/**
 * Delivers a stored peer message: to every connection of the receiver and the sender's other
 * connections (their other tabs show what they sent), never back to `via`; then, when a connection
 * of the receiver got it, a `delivered` receipt to every connection of the sender (not for notes
 * to self). A duplicate (resend of a stored cmid) is not delivered again.
 */
export function deliverPeerMessage(ctx: SendContext, send: PeerSend, result: StoreResult): void {
  const { message, duplicate, ack } = result;
  if (duplicate) return;
  const { appId, from, to } = send;
  const push = { t: 'peer.message', message, offline: false } as const;
  ctx.presence.sendToUser(appId, to, push, send.via);
  if (to === from) return;
  ctx.presence.sendToUser(appId, from, push, send.via);
  // The store moved the receiver's delivery marker with the message (same commit) when they had a
  // connection open; tell every connection of the sender.
  if (ack.peerReceived) {
    ctx.presence.sendToUser(appId, from, { t: 'receipt', kind: 'delivered', peer: to, seq: message.seq });
  }
}

export interface ChannelSend {
  appId: string;
  from: string;
  channel: string;
  cmid: string;
  message: WireMessage;
  /** false: sent with `needReadReceipt: false` (stored with the message). Default true. */
  needReadReceipt?: boolean;
  /** The sending connection (gateway sends): it does not get its own message back. */
  via?: RoutedConnection;
}

/** Stores a channel message (same idempotency as peer messages, seq per channel). */
export function storeChannelMessage(ctx: SendContext, send: ChannelSend): Promise<StoreResult> {
  const now = ctx.now();
  return ctx.messages.store(
    {
      appId: send.appId,
      conv: channelConversation(send.channel),
      id: newMessageId(),
      ts: now,
      from: send.from,
      channel: send.channel,
      cmid: send.cmid,
      message: send.message,
      ...(send.needReadReceipt === false && { needReadReceipt: false as const }),
      ack: { peerReceived: false, storedOffline: false },
    },
    now,
  );
}

/** Pushes a stored channel message to every joined connection except `via`; returns how many. */
export function deliverChannelMessage(ctx: SendContext, send: ChannelSend, result: StoreResult): number {
  if (result.duplicate) return 0;
  return ctx.presence.sendToChannel(send.appId, send.channel, { t: 'channel.message', message: result.message }, send.via);
}

import {
  MAX_TRANSIENT_IDS_REMEMBERED,
  RtmError,
  TRANSIENT_RESEND_WINDOW_MS,
  quoteOf,
  type StoredMessage,
} from '../../protocol/index.js';
import type { StoreResult } from '../storage/types.js';
import { channelConversation, peerConversation } from './conversations.js';
import type { ChannelSend, PeerSend, SendContext } from './deliver.js';
import { newMessageId } from './message-ids.js';

/**
 * Transient messages (`transient: true` on a send): delivered like any message to the connections
 * open now, and written nowhere — not to the messages table, the offline store, the search index
 * or the webhook outbox (which is on disk too; so no `message.sent` event). They have an id but no
 * place in the conversation's sequence (`seq` 0), so nothing counts them as unread or lists them.
 */

/**
 * The acks of recent transient sends by sender and client message id. A stored send is
 * idempotent through the store's cmid lookup; a transient one has no row to find, so without this
 * a resend after a lost ack (the outbox retransmits after a timeout) would reach the receiver twice.
 * In memory, bounded by {@link MAX_TRANSIENT_IDS_REMEMBERED} and {@link TRANSIENT_RESEND_WINDOW_MS}.
 */
export class RecentTransients {
  /** app + sender + cmid → the first send's result; a Map iterates oldest first. */
  readonly #acks = new Map<string, { at: number; conv: string; result: TransientResult }>();

  /**
   * The earlier result of this send (as a duplicate), if it was made within the window. Throws
   * INVALID_CLIENT_MESSAGE_ID when the id was used for another conversation.
   */
  find(appId: string, from: string, cmid: string, conv: string, now: number): TransientResult | undefined {
    const known = this.#acks.get(transientKey(appId, from, cmid));
    if (!known || now - known.at > TRANSIENT_RESEND_WINDOW_MS) return undefined;
    if (known.conv !== conv) {
      // As for stored messages: acking the other conversation's message would make this send vanish.
      throw new RtmError('INVALID_CLIENT_MESSAGE_ID', `Client message id "${cmid}" was already used for another conversation.`);
    }
    return { ...known.result, duplicate: true };
  }

  remember(appId: string, from: string, cmid: string, conv: string, now: number, result: TransientResult): void {
    const key = transientKey(appId, from, cmid);
    this.#acks.delete(key);
    this.#acks.set(key, { at: now, conv, result });
    for (const [oldest, entry] of this.#acks) {
      if (this.#acks.size <= MAX_TRANSIENT_IDS_REMEMBERED && now - entry.at <= TRANSIENT_RESEND_WINDOW_MS) break;
      this.#acks.delete(oldest);
    }
  }
}

/** A transient send's outcome; `received` (channels): users other than the sender who got it live. */
export type TransientResult = StoreResult & { received: number };

// '\n' is outside the id and cmid alphabets, so the parts cannot run into each other.
const transientKey = (appId: string, from: string, cmid: string) => `${appId}\n${from}\n${cmid}`;

/**
 * The message as it is delivered: a stored message's shape with `seq` 0 and `transient: true`. A
 * reply quotes a stored message of the same conversation (INVALID_REPLY otherwise), as a stored
 * reply does; a transient message itself can never be the original (it is not found).
 */
async function transientMessage(ctx: SendContext, send: PeerSend | ChannelSend, conv: string): Promise<StoredMessage> {
  const message: StoredMessage = {
    id: newMessageId(),
    seq: 0,
    ts: ctx.now(),
    from: send.from,
    ...('to' in send ? { to: send.to } : { channel: send.channel }),
    cmid: send.cmid,
    message: send.message,
    transient: true,
  };
  const replyTo = 'replyTo' in send.message ? send.message.replyTo : undefined;
  if (replyTo !== undefined) {
    const original = await ctx.messages.find(send.appId, replyTo);
    if (!original || original.conv !== conv) {
      throw new RtmError('INVALID_REPLY', `"replyTo" must name a stored message of this conversation; "${replyTo}" is not one.`);
    }
    message.quote = quoteOf(original.message);
  }
  return message;
}

/**
 * A send within the resend window answers with the first one's result; otherwise the message is
 * built, `delivery` says who gets it now, and the result is remembered for a resend.
 */
async function rememberedTransient(
  ctx: SendContext,
  send: PeerSend | ChannelSend,
  conv: string,
  delivery: () => Pick<TransientResult, 'ack' | 'received'>,
): Promise<TransientResult> {
  const known = ctx.transients?.find(send.appId, send.from, send.cmid, conv, ctx.now());
  if (known) return known;
  const result = { message: await transientMessage(ctx, send, conv), duplicate: false, ...delivery() };
  ctx.transients?.remember(send.appId, send.from, send.cmid, conv, ctx.now(), result);
  return result;
}

/**
 * A transient peer message: `peerReceived` when a connection of the receiver (other than the
 * sending one) is open; never `storedOffline`. Call {@link deliverTransientPeer} next, in the same
 * tick, so the connections counted are the ones that get it.
 */
export function sendTransientPeer(ctx: SendContext, send: PeerSend): Promise<TransientResult> {
  return rememberedTransient(ctx, send, peerConversation(send.from, send.to), () => {
    const peerReceived = ctx.presence.isOnline(send.appId, send.to, send.via);
    return { ack: { peerReceived, storedOffline: false }, received: peerReceived ? 1 : 0 };
  });
}

/**
 * Pushes a transient peer message like a stored one (the receiver's connections and the sender's
 * other ones), without a delivery receipt: receipts are markers over seqs, and it has none.
 */
export function deliverTransientPeer(ctx: SendContext, send: PeerSend, result: StoreResult): void {
  if (result.duplicate) return;
  const push = { t: 'peer.message', message: result.message, offline: false } as const;
  ctx.presence.sendToUser(send.appId, send.to, push, send.via);
  if (send.to !== send.from) ctx.presence.sendToUser(send.appId, send.from, push, send.via);
}

/**
 * A transient channel message; `received` counts the users of the channel other than the sender
 * with a joined connection now. Deliver it with `deliverChannelMessage` next, in the same tick.
 */
export function sendTransientChannel(ctx: SendContext, send: ChannelSend): Promise<TransientResult> {
  return rememberedTransient(ctx, send, channelConversation(send.channel), () => ({
    ack: { peerReceived: false, storedOffline: false },
    received: ctx.presence.members(send.appId, send.channel).filter((uid) => uid !== send.from).length,
  }));
}

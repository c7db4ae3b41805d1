import { RtmError, type ChannelAttributes, type ClientFrame, type MessageQuote, type ReplyResults, type WireMessage } from '../protocol/index.js';
import { attempt } from './attempt.js';
import { TypedEmitter } from './emitter.js';
import { MemberCount } from './member-count.js';
import { rememberThumbnail, unreadThumbnail } from './media/media-message.js';
import { fullCheckFor, type RtmMessage, type RtmMessageInit } from './messages.js';
import type { MessageSendFlags } from './events.js';
import type { RequestOptions } from './outbox.js';

/** Server data of a channel message, passed to `ChannelMessage` listeners. */
export interface ChannelMessageProps extends MessageSendFlags {
  /** Server receive time, ms since the epoch. */
  serverReceivedTs: number;
  /** Server message id. */
  messageId: string;
  /** Sequence number within the channel, from 1 (0 for a transient message). */
  seq: number;
  /** The sender's client message id (our addition; handy for deduplicating). */
  clientMessageId: string;
  /** Our addition: for a reply, the message it quotes as it is now. */
  quote?: MessageQuote;
}

/** Events of an {@link RtmChannel}. */
export type RtmChannelEvents = {
  /** A message from another member of the channel. */
  ChannelMessage: (message: RtmMessage, memberId: string, messageProps: ChannelMessageProps) => void;
  /** Another user joined the channel. */
  MemberJoined: (memberId: string) => void;
  /** Another user left the channel (or their last connection dropped). */
  MemberLeft: (memberId: string) => void;
  /**
   * The number of users in the channel, this one included (Agora's name): once joined (again
   * after each reconnect), then as users join and leave, at most once a second (every 3 s above
   * 512 members), with the latest count.
   */
  MemberCountUpdated: (memberCount: number) => void;
  /**
   * A member changed the channel's attributes and asked to notify the members
   * (`enableNotificationToChannelMembers`); `attributes` are all of them after the change
   * (Agora's event). This client's own writes with notification come here too.
   */
  AttributesUpdated: (attributes: ChannelAttributes) => void;
};

/** What the server assigned to a channel message this client sent. */
export interface ChannelSendResult {
  messageId: string;
  /** 0 for a transient message (it has no place in the channel's sequence). */
  seq: number;
  serverReceivedTs: number;
  /** Transient sends only: how many members other than the sender got it live. */
  received?: number;
}

/** Options of `RtmChannel.sendMessage`. */
export interface ChannelSendOptions {
  /**
   * The idempotency key (1–64 of `[A-Za-z0-9_-]`): sending again with the same id stores one
   * message and resolves with the original ack. Generated when omitted.
   */
  clientMessageId?: string;
  /** Deliver to the joined connections now and store it nowhere (see `PeerSendOptions.transient`). */
  transient?: boolean;
  /** false: no delivered or read receipts for it on the sender's devices (see `PeerSendOptions`). */
  needReadReceipt?: boolean;
}

/** What a channel needs from its client. @internal */
export interface ChannelHost {
  /** A request through the client's outbox, refused up front when the session is not usable. */
  request<T extends keyof ReplyResults>(
    build: (id: number) => ClientFrame & { t: T },
    options?: RequestOptions,
  ): Promise<ReplyResults[T]>;
  /** Validates a message and client message id for sending; throws the RtmError. */
  prepareSend(message: RtmMessageInit, clientMessageId: string | undefined): { wire: WireMessage; cmid: string };
}

/** Hooks the client uses to drive a channel; not part of the public API. @internal */
export interface ChannelInternals {
  emit<E extends keyof RtmChannelEvents>(event: E, ...args: Parameters<RtmChannelEvents[E]>): void;
  /** Another user joined (+1) or left (−1), for the member count. */
  countMember(delta: number): void;
  /** Joins again on a new socket (after a reconnect), when joined. */
  rejoin(): Promise<void>;
  /** Forgets the membership (logout). */
  reset(): void;
}

const internals = new WeakMap<RtmChannel, ChannelInternals>();

/** The client-side hooks of a channel. @internal */
export function channelInternals(channel: RtmChannel): ChannelInternals {
  return internals.get(channel)!;
}

type JoinState = 'left' | 'joining' | 'joined';

/**
 * A channel (a group conversation), created with `client.createChannel(channelId)`. Join it to
 * receive `ChannelMessage`, `MemberJoined` and `MemberLeft`; the client rejoins it by itself after
 * a reconnect until you `leave()` or log out.
 *
 * @example
 * const channel = client.createChannel('lobby');
 * channel.on('ChannelMessage', (message, memberId) => console.log(memberId, message));
 * await channel.join();
 * await channel.sendMessage({ text: 'hi all' });
 */
export class RtmChannel extends TypedEmitter<RtmChannelEvents> {
  /** The channel name. */
  readonly channelId: string;
  readonly #host: ChannelHost;
  #state: JoinState = 'left';
  #joining: Promise<void> | undefined;
  /** Bumped by leave/reset, so a join that completes afterwards knows it is stale. */
  #generation = 0;
  readonly #memberCount = new MemberCount((count) => this.emit('MemberCountUpdated', count));

  /** Use `client.createChannel(channelId)`. @internal */
  constructor(channelId: string, host: ChannelHost) {
    super();
    this.channelId = channelId;
    this.#host = host;
    internals.set(this, {
      emit: (event, ...args) => {
        if (this.#state !== 'left') this.emit(event, ...args);
      },
      countMember: (delta) => {
        if (this.#state === 'joined') this.#memberCount.change(delta);
      },
      rejoin: () => this.#rejoin(),
      reset: () => this.#reset(),
    });
  }

  /**
   * Joins the channel. Resolves when the server confirmed; calling it again while joined or
   * joining returns the same outcome without another request. Made while reconnecting, it is sent
   * after the reconnect. Joining also makes the user a lasting member (our addition): the channel
   * is among `getConversations()`, with unread counts and read receipts, until `leave()`.
   */
  join(): Promise<void> {
    if (this.#state === 'joined') return Promise.resolve();
    if (this.#joining) return this.#joining;
    const generation = this.#generation;
    this.#state = 'joining';
    const joining = this.#host
      .request<'channel.join'>((id) => ({ t: 'channel.join', id, channel: this.channelId }))
      .then(
        ({ members }) => {
          if (generation !== this.#generation) {
            // left while the join was on its way: undo it on the server
            this.#sendLeave().catch(() => {});
            return;
          }
          this.#state = 'joined';
          this.#memberCount.joined(members.length);
        },
        (error: unknown) => {
          if (generation === this.#generation) this.#state = 'left';
          throw error;
        },
      )
      .finally(() => {
        if (this.#joining === joining) this.#joining = undefined;
      });
    this.#joining = joining;
    return joining;
  }

  /**
   * Leaves the channel: no more events from it, no rejoin after reconnects, and the lasting
   * membership ends (the channel leaves `getConversations()`). Made while reconnecting, the server
   * hears it after the reconnect. Rejects with NOT_LOGGED_IN before login.
   */
  leave(): Promise<void> {
    this.#reset();
    return this.#sendLeave();
  }

  /**
   * Sends a message to the channel. Rejects at once, sending nothing, for an invalid message
   * (INVALID_MESSAGE, MESSAGE_EMPTY, MESSAGE_TOO_LARGE) or client message id, with NOT_JOINED when
   * the channel was not joined, and with MESSAGE_WEBSOCKET_DISCONNECTED after the client gave up
   * reconnecting. Otherwise delivered with the outbox rules (queued while reconnecting, one retry,
   * then SERVER_NOT_REACHABLE). With `{ transient: true }` the server stores nothing and answers
   * with `seq` 0 and `received`.
   */
  sendMessage(message: RtmMessageInit, options: ChannelSendOptions = {}): Promise<ChannelSendResult> {
    const pending = beforeSend(message);
    if (pending) return pending.then(() => this.sendMessage(message, options));
    return attempt(() => {
      const { wire, cmid } = this.#host.prepareSend(message, options.clientMessageId);
      if (this.#state === 'left') throw notJoined(this.channelId);
      return this.#host
        .request<'channel.send'>((id) => ({
          t: 'channel.send',
          id,
          channel: this.channelId,
          cmid,
          message: wire,
          transient: options.transient,
          needReadReceipt: options.needReadReceipt,
        }))
        .then((ack) => ({ messageId: ack.messageId, seq: ack.seq, serverReceivedTs: ack.ts, received: ack.received }));
    });
  }

  /** The user ids of the channel's members, from the server. Rejects with NOT_JOINED when not joined. */
  getMembers(): Promise<string[]> {
    if (this.#state !== 'joined') return Promise.reject(notJoined(this.channelId));
    return this.#host
      .request<'channel.members'>((id) => ({ t: 'channel.members', id, channel: this.channelId }))
      .then((result) => [...result.members]);
  }

  #sendLeave(): Promise<void> {
    return this.#host
      .request<'channel.leave'>((id) => ({ t: 'channel.leave', id, channel: this.channelId }))
      .then(() => undefined);
  }

  #rejoin(): Promise<void> {
    if (this.#state !== 'joined') return Promise.resolve();
    return this.#host
      .request<'channel.join'>((id) => ({ t: 'channel.join', id, channel: this.channelId }), { now: true })
      .then(({ members }) => {
        if (this.#state === 'joined') this.#memberCount.joined(members.length);
      });
  }

  #reset(): void {
    this.#generation++;
    this.#state = 'left';
    this.#joining = undefined;
    this.#memberCount.stop();
  }
}

/**
 * What a send waits for before its message can be checked, if anything: reading a thumbnail Blob,
 * or loading the full message check; the send then starts again (each runs once). Shared by
 * `sendMessage` and the client's `sendMessageToPeer` (one copy in the script-tag bundle).
 * @internal
 */
export function beforeSend(message: RtmMessageInit): Promise<unknown> | undefined {
  const unread = unreadThumbnail(message);
  return unread ? rememberThumbnail(unread) : fullCheckFor(message);
}

function notJoined(channelId: string): RtmError {
  return new RtmError('NOT_JOINED', `Join channel ${JSON.stringify(channelId)} first.`);
}

import {
  MAX_PRESENCE_QUERY,
  TYPING_MIN_INTERVAL_MS,
  RtmError,
  checkChannelName,
  checkUserId,
  type ConversationRef,
  type ConversationState,
  type MemberReadState,
  type PeerStatus,
  type ReadState,
  type StoredMessage,
} from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { ChannelHost } from './channel.js';
import type { Logger } from './log.js';
import type { ReceivedMessage } from './messages.js';
import type { RequestOptions } from './outbox.js';

/**
 * Our additions for conversations and read state: conversation list with unread counts,
 * read markers and receipts, catching up after a reconnect, typing and presence — their types,
 * argument checks, and the requests behind the client's methods ({@link ReadStateRequests}).
 */

export type { MemberReadState, PeerStatus, ReadState } from '../protocol/index.js';

/** A conversation named from this user's side: the peer conversation with `peerId`, or channel `channelId`. */
export type ConversationTarget = { peerId: string; channelId?: undefined } | { channelId: string; peerId?: undefined };

/**
 * One of this user's conversations as the server sees it (`getConversations`): kind and id, the
 * newest message, this user's read marker and the server-computed unread count, and for peer
 * conversations how far the other user has received and read this user's messages.
 */
export type RtmConversation = Omit<ConversationState, 'lastMessage'> & {
  /** The newest message, when the conversation has one. */
  lastMessage?: ReceivedMessage;
};

/** The result of `getConversations`. */
export interface RtmConversationList {
  /** Peer conversations with any message and the channels this user joined, newest activity first. */
  conversations: RtmConversation[];
  /** Unread messages over all of them. */
  totalUnread: number;
}

/** Options of `syncMessages`. */
export type SyncQuery = ConversationTarget & {
  /** Return the messages after this sequence number (the highest one the caller has). */
  afterSeq: number;
  /** At most this many, 1 to `MAX_HISTORY_PAGE`. Default `MAX_HISTORY_PAGE`. */
  limit?: number;
};

/** One page of `syncMessages`. */
export interface SyncPage {
  /** In ascending `seq`. */
  messages: ReceivedMessage[];
  /** More messages follow: call again with `afterSeq` = the last message's `seq`. */
  hasMore: boolean;
  /**
   * More than `MAX_SYNC_GAP` messages were missing: `messages` is the newest page instead, and the
   * caller should drop its copy of the conversation and start again from it.
   */
  reset: boolean;
}

/** A delivery or read receipt for this user's peer messages (event `MessageReceipt`). */
export interface RtmMessageReceipt {
  /** `delivered`: reached a device of `peerId`; `read`: `peerId`'s read marker passed them. */
  kind: 'delivered' | 'read';
  peerId: string;
  /** Covers every message of the conversation up to this sequence number. */
  seq: number;
}

/** A channel member's read marker moved (event `ChannelReadStateChanged`). */
export interface RtmChannelReadState {
  channelId: string;
  memberId: string;
  /** Every message of the channel up to this sequence number counts as read by `memberId`. */
  readSeq: number;
}

/** Someone is typing (event `TypingStarted`): show it for `expiresInMs` unless renewed. */
export interface RtmTypingIndicator {
  /** Who is typing. */
  from: string;
  /** Set for a peer conversation: the conversation with `from` (equal to `from`). */
  peerId?: string;
  /** Set for a channel conversation. */
  channelId?: string;
  expiresInMs: number;
}

/** The offline messages of one peer conversation, delivered at login (event `OfflineMessagesReceived`). */
export interface RtmOfflineMessages {
  peerId: string;
  /** Oldest first. */
  messages: ReceivedMessage[];
}

/** Online status of users, by user id (`ONLINE` or `OFFLINE`). */
export type PeersOnlineStatus = Record<string, PeerStatus>;

/** Events of our additions, merged into the client's events. */
export type ReadStateEvents = {
  /**
   * Subscribed users' online status changed (Agora's name): once with the current status right
   * after `subscribePeersOnlineStatus` (and after every reconnect), then on each change.
   */
  PeersOnlineStatusChanged: (status: PeersOnlineStatus) => void;
  /** This user's read marker of a conversation moved: by `markRead` here or on another connection. */
  ReadStateChanged: (state: ReadState) => void;
  /** This user's peer messages were delivered to or read by the peer. */
  MessageReceipt: (receipt: RtmMessageReceipt) => void;
  /** A member of a joined channel moved their read marker ("read by N of M"). */
  ChannelReadStateChanged: (state: RtmChannelReadState) => void;
  /** Another user is typing in a conversation with this user or in a joined channel. */
  TypingStarted: (typing: RtmTypingIndicator) => void;
  /**
   * The offline messages of one peer conversation, in one batch. Emitted before the
   * `MessageFromPeer` events (with `isOfflineMessage: true`) of the same messages, so a listener
   * can apply the batch at once and ignore the single events it already has.
   */
  OfflineMessagesReceived: (batch: RtmOfflineMessages) => void;
};

/** The frame's conversation for a target; throws INVALID_ARGUMENT, INVALID_USER_ID or INVALID_CHANNEL_NAME. */
export function conversationRef(target: Partial<ConversationTarget> | undefined, method: string): ConversationRef {
  const { peerId, channelId } = target ?? {};
  if ((peerId === undefined) === (channelId === undefined)) {
    throw new RtmError('INVALID_ARGUMENT', `${method} needs exactly one of peerId and channelId.`);
  }
  if (peerId !== undefined) {
    const invalid = checkUserId(peerId, 'Peer id');
    if (invalid) throw invalid;
    return { peer: peerId };
  }
  const invalid = checkChannelName(channelId);
  if (invalid) throw invalid;
  return { channel: channelId! };
}

/** A key for per-conversation bookkeeping (peer and channel names cannot collide: '\n' is outside the charset). */
export function refKey(ref: ConversationRef): string {
  return ref.peer !== undefined ? `p\n${ref.peer}` : `c\n${ref.channel}`;
}

/** Throws INVALID_ARGUMENT unless `value` is an integer ≥ `min`. */
export function checkSeq(value: unknown, name: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) {
    throw new RtmError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}.`);
  }
  return value as number;
}

/** Distinct valid user ids, at most MAX_PRESENCE_QUERY; throws INVALID_ARGUMENT or INVALID_USER_ID. */
export function checkPeerIds(peerIds: unknown, method: string): string[] {
  if (!Array.isArray(peerIds)) throw new RtmError('INVALID_ARGUMENT', `${method} needs an array of user ids.`);
  const uids = [...new Set(peerIds as unknown[])];
  if (uids.length > MAX_PRESENCE_QUERY) {
    throw new RtmError('INVALID_ARGUMENT', `${method} takes at most ${MAX_PRESENCE_QUERY} user ids.`);
  }
  for (const uid of uids) {
    const invalid = checkUserId(uid, 'Peer id');
    if (invalid) throw invalid;
  }
  return uids as string[];
}

/** What {@link ReadStateRequests} needs of the client. */
export interface ReadStateHost {
  /** A request through the client's outbox, refused up front when the session is not usable. */
  request: ChannelHost['request'];
  /** Whether the socket is logged in now. */
  ready(): boolean;
  /** Whether a session is on (logging in, connected or reconnecting). */
  active(): boolean;
  /** Stored messages as ReceivedMessages in ascending seq, skipping undecodable ones. */
  received(stored: StoredMessage[]): ReceivedMessage[];
  emit<E extends keyof ReadStateEvents>(event: E, ...args: Parameters<ReadStateEvents[E]>): void;
  readonly log: Logger;
}

/**
 * The conversation, read-state, typing and presence requests of the client (documented on its
 * methods), with the bookkeeping they keep across sockets: followed users and typing times.
 */
export class ReadStateRequests {
  readonly #host: ReadStateHost;
  /** Users whose online status this client follows; subscribed again on every new socket. */
  readonly #presenceSubscriptions = new Set<string>();
  /** When a typing notice last went out, per conversation (refKey). */
  readonly #typingSentAt = new Map<string, number>();

  constructor(host: ReadStateHost) {
    this.#host = host;
  }

  /** Forgets followed users and typing times (logout). */
  clear(): void {
    this.#presenceSubscriptions.clear();
    this.#typingSentAt.clear();
  }

  conversations(): Promise<RtmConversationList> {
    return this.#host.request<'conversations'>((id) => ({ t: 'conversations', id })).then((result) => ({
      conversations: result.conversations.map((state) => this.#conversationOf(state)),
      totalUnread: result.totalUnread,
    }));
  }

  markRead(options: ConversationTarget & { seq: number }): Promise<ReadState> {
    return attempt(() => {
      const ref = conversationRef(options, 'markRead');
      const seq = checkSeq(options.seq, 'seq', 0);
      return this.#host.request<'read'>((id) => ({ t: 'read', id, seq, ...ref })).then((state) => {
        this.#host.emit('ReadStateChanged', state);
        return state;
      });
    });
  }

  channelReceipts(channelId: string): Promise<MemberReadState[]> {
    return attempt(() => {
      const { channel } = conversationRef({ channelId }, 'getChannelReceipts');
      return this.#host.request<'channel.receipts'>((id) => ({ t: 'channel.receipts', id, channel: channel! })).then(
        (result) => result.members,
      );
    });
  }

  typing(target: ConversationTarget): Promise<void> {
    return attempt(() => {
      const ref = conversationRef(target, 'sendTypingIndicator');
      const key = refKey(ref);
      const now = Date.now();
      const tooSoon = now - (this.#typingSentAt.get(key) ?? -Infinity) < TYPING_MIN_INTERVAL_MS;
      if (this.#host.active() && (!this.#host.ready() || tooSoon)) return Promise.resolve();
      this.#typingSentAt.set(key, now);
      return this.#host.request<'typing'>((id) => ({ t: 'typing', id, ...ref }), { now: true }).then(
        () => undefined,
        (error: unknown) => {
          const reason = (error as RtmError).reason;
          if (reason === 'TOO_OFTEN' || reason === 'MESSAGE_WEBSOCKET_DISCONNECTED') return;
          throw error;
        },
      );
    });
  }

  queryPresence(peerIds: string[]): Promise<PeersOnlineStatus> {
    return attempt(() => {
      const uids = checkPeerIds(peerIds, 'queryPeersOnlineStatus');
      if (uids.length === 0) return Promise.resolve({});
      return this.#host.request<'presence.query'>((id) => ({ t: 'presence.query', id, uids })).then((result) => result.status);
    });
  }

  subscribePresence(peerIds: string[]): Promise<void> {
    return attempt(() => {
      const uids = checkPeerIds(peerIds, 'subscribePeersOnlineStatus');
      if (uids.length === 0) return Promise.resolve();
      for (const uid of uids) this.#presenceSubscriptions.add(uid);
      return this.#subscribe(uids);
    });
  }

  unsubscribePresence(peerIds: string[]): Promise<void> {
    return attempt(() => {
      const uids = checkPeerIds(peerIds, 'unsubscribePeersOnlineStatus');
      for (const uid of uids) this.#presenceSubscriptions.delete(uid);
      // Subscriptions end with their socket: while it is down there is nothing to undo.
      if (uids.length === 0 || !this.#host.ready()) return Promise.resolve();
      return this.#host.request<'presence.unsubscribe'>((id) => ({ t: 'presence.unsubscribe', id, uids })).then(() => undefined);
    });
  }

  /** On a new socket: presence subscriptions end with their socket, so subscribe afresh. */
  resubscribe(): void {
    const followed = [...this.#presenceSubscriptions];
    for (let i = 0; i < followed.length; i += MAX_PRESENCE_QUERY) {
      this.#subscribe(followed.slice(i, i + MAX_PRESENCE_QUERY), { now: true }).catch((error: unknown) =>
        this.#host.log.warn('Could not subscribe to presence again:', error),
      );
    }
  }

  #subscribe(uids: string[], options?: RequestOptions): Promise<void> {
    return this.#host.request<'presence.subscribe'>((id) => ({ t: 'presence.subscribe', id, uids }), options).then((result) => {
      // Only the users still followed: an unsubscribe may have come first.
      const status = Object.fromEntries(Object.entries(result.status).filter(([uid]) => this.#presenceSubscriptions.has(uid)));
      if (Object.keys(status).length > 0) this.#host.emit('PeersOnlineStatusChanged', status);
    });
  }

  #conversationOf({ lastMessage, ...state }: ConversationState): RtmConversation {
    const [last] = lastMessage ? this.#host.received([lastMessage]) : [];
    return last ? { ...state, lastMessage: last } : state;
  }
}

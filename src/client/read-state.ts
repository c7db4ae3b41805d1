import {
  RtmError,
  checkChannelName,
  checkUserId,
  type ConversationRef,
  type ConversationState,
  type PeerStatus,
  type ReadState,
} from '../protocol/index.js';
import type { ReceivedMessage } from './messages.js';

/**
 * Types of our additions for conversations and read state (issue 4): conversation list with
 * unread counts, read markers and receipts, catching up after a reconnect, typing and presence.
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
   * The offline messages of one peer conversation, in one batch (seed 003). Emitted before the
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

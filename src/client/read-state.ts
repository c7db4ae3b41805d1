import type { ConversationState, MemberReadState, ReadState, StoredMessage } from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { ChannelHost } from './channel.js';
import { conversationRef, type ConversationTarget } from './conversation-target.js';
import { checkSeq } from './history.js';
import type { ReceivedMessage } from './messages.js';

/**
 * Our additions for conversations and read state: the conversation list with unread counts, read
 * markers and receipts, and catching up after a reconnect — their types and events, and the
 * requests behind `getConversations`, `markRead` and `getChannelReceipts` ({@link ReadStateRequests}).
 */

export type { MemberReadState, ReadState } from '../protocol/index.js';

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
  /** The conversation's newest change number when the page was read (see `getMessageChanges`). */
  changeSeq: number;
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

/** The read marker and receipt events, merged into the client's events. */
export type ReceiptEvents = {
  /** This user's read marker of a conversation moved: by `markRead` here or on another connection. */
  ReadStateChanged: (state: ReadState) => void;
  /** This user's peer messages were delivered to or read by the peer. */
  MessageReceipt: (receipt: RtmMessageReceipt) => void;
  /** A member of a joined channel moved their read marker ("read by N of M"). */
  ChannelReadStateChanged: (state: RtmChannelReadState) => void;
};

/** What {@link ReadStateRequests} needs of the client. */
export interface ReadStateHost {
  /** A request through the client's outbox, refused up front when the session is not usable. */
  request: ChannelHost['request'];
  /** Stored messages as ReceivedMessages in ascending seq, skipping undecodable ones. */
  received(stored: StoredMessage[]): ReceivedMessage[];
  emit<E extends keyof ReceiptEvents>(event: E, ...args: Parameters<ReceiptEvents[E]>): void;
}

/** The conversation and read-state requests of the client (documented on its methods). */
export class ReadStateRequests {
  readonly #host: ReadStateHost;

  constructor(host: ReadStateHost) {
    this.#host = host;
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

  #conversationOf({ lastMessage, ...state }: ConversationState): RtmConversation {
    const [last] = lastMessage ? this.#host.received([lastMessage]) : [];
    return last ? { ...state, lastMessage: last } : state;
  }
}

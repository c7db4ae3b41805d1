import type { MessageQuote } from '../protocol/index.js';
import type { ChangeEvents } from './changes.js';
import type { RemoteInvitation } from './invitations.js';
import type { ReceivedMessage, RtmMessage } from './messages.js';
import type { PresenceEvents } from './presence.js';
import type { ReceiptEvents } from './read-state.js';
import type { ConnectionChangeReason, ConnectionState } from './states.js';
import type { TypingEvents } from './typing.js';

/**
 * The events an {@link RtmClient} emits and the server data they carry (re-exported by
 * `client.ts`; `push-router.ts` emits most of them), composed from the events of each feature.
 */

/**
 * How a message was sent (our additions; see `PeerSendOptions`): each present only when it
 * differs from the default.
 */
export interface MessageSendFlags {
  /** A transient message: delivered to the connections open then, stored nowhere; its `seq` is 0. */
  transient?: true;
  /** Sent with `needReadReceipt: false`: its sender shows no delivered or read receipt for it. */
  needReadReceipt?: false;
}

/** Server data of a peer message, passed to `MessageFromPeer` listeners. */
export interface PeerMessageProps extends MessageSendFlags {
  /** Whether it was kept while this user was offline and delivered at login. */
  isOfflineMessage: boolean;
  /** Server receive time, ms since the epoch. */
  serverReceivedTs: number;
  /** Server message id. */
  messageId: string;
  /** Sequence number within the peer conversation, from 1 (0 for a transient message). */
  seq: number;
  /** The sender's client message id (our addition; handy for deduplicating). */
  clientMessageId: string;
  /** Our addition: for a reply, the message it quotes as it is now. */
  quote?: MessageQuote;
}

/** Where a message this user sent from another tab or device went, and what the server assigned. */
export interface SyncedMessageProps extends MessageSendFlags {
  /** The receiver, for a peer message. */
  peerId?: string;
  /** The channel, for a channel message. */
  channelId?: string;
  messageId: string;
  seq: number;
  serverReceivedTs: number;
  clientMessageId: string;
  /** For a reply, the message it quotes. */
  quote?: MessageQuote;
}

/** The offline messages of one peer conversation, delivered at login (event `OfflineMessagesReceived`). */
export interface RtmOfflineMessages {
  peerId: string;
  /** Oldest first. */
  messages: ReceivedMessage[];
}

/**
 * The client's events besides the connection, message and token ones: read markers and receipts,
 * offline batches, presence and typing.
 */
export type ReadStateEvents = ReceiptEvents &
  ChangeEvents &
  PresenceEvents &
  TypingEvents & {
    /**
     * The offline messages of one peer conversation, in one batch. Emitted before the
     * `MessageFromPeer` events (with `isOfflineMessage: true`) of the same messages, so a listener
     * can apply the batch at once and ignore the single events it already has.
     */
    OfflineMessagesReceived: (batch: RtmOfflineMessages) => void;
  };

/** Events of an {@link RtmClient}. */
export type RtmClientEvents = ReadStateEvents & {
  /** The connection state changed. */
  ConnectionStateChanged: (newState: ConnectionState, reason: ConnectionChangeReason) => void;
  /**
   * A message from another user to this one (live, or kept offline and delivered at login, then
   * after the batch's `OfflineMessagesReceived`).
   */
  MessageFromPeer: (message: RtmMessage, peerId: string, messageProps: PeerMessageProps) => void;
  /**
   * Our addition: a message this user sent from another tab or device (the server pushes those
   * to every connection of the sender), so every tab shows the whole conversation.
   */
  MessageSynced: (message: RtmMessage, props: SyncedMessageProps) => void;
  /**
   * A call invitation to this user (Agora's event): every tab and device gets one; answer it with
   * `accept()` or `refuse()`, and close its prompt on any of its ending events.
   */
  RemoteInvitationReceived: (remoteInvitation: RemoteInvitation) => void;
  /** The token expires in `TOKEN_WILL_EXPIRE_MS` (30 s) or less: call `renewToken()`. */
  TokenPrivilegeWillExpire: () => void;
  /**
   * The token expired before it was renewed: the connection closed, and the client waits in
   * RECONNECTING (sends queued) for `renewToken()`, giving up after the reconnect give-up time.
   */
  TokenExpired: () => void;
};

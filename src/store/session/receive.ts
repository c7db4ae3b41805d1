import type { ReceivedMessage, RtmClient, RtmClientEvents, RtmMessage } from '../../client/index.js';
import type { ReadState } from '../../protocol/index.js';
import { historyChatMessage, storedChatMessage } from '../chat-message.js';
import { conversationKey, keyOfTarget, type ConversationKey } from '../keys.js';
import type { SessionContext } from './context.js';

/** A stored message as pushed: who sent it and where the server put it. */
type StoredProps = { from: string; messageId: string; seq: number; serverReceivedTs: number; clientMessageId: string };

/**
 * What the server pushes, into the session's stores: messages (live, synced from this user's
 * other connections, and the offline batch at login), read markers, receipts, typing and presence.
 */
export class Receiver {
  readonly #session: SessionContext;

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /**
   * Listens to the client's pushes; `extra` adds listeners of other modules (token events).
   * Returns the function that stops listening.
   */
  listen(client: RtmClient, extra: Partial<RtmClientEvents>): () => void {
    const session = this.#session;
    const { userId, list, readers, typing, presence } = session;
    const listeners: Partial<RtmClientEvents> = {
      ...extra,
      MessageFromPeer: (message, peerId, props) => {
        this.receive(conversationKey('peer', peerId), message, { ...props, from: peerId }, true);
      },
      MessageSynced: (message, props) => {
        this.receive(keyOfTarget(props), message, { ...props, from: userId }, false);
      },
      OfflineMessagesReceived: ({ peerId, messages }) => this.#receiveBatch(conversationKey('peer', peerId), messages),
      ReadStateChanged: (state) => this.#onRead(state),
      MessageReceipt: ({ kind, peerId, seq }) => list.receipt(conversationKey('peer', peerId), kind, seq),
      ChannelReadStateChanged: ({ channelId, memberId, readSeq }) => readers.read(conversationKey('channel', channelId), memberId, readSeq),
      TypingStarted: ({ from, channelId, expiresInMs }) => {
        const key = channelId !== undefined ? conversationKey('channel', channelId) : conversationKey('peer', from);
        typing.started(key, from, expiresInMs);
      },
      RemoteInvitationReceived: (remote) => session.invitations.received(remote),
      PeersOnlineStatusChanged: (status) => {
        presence.changed(status);
        for (const [uid, value] of Object.entries(status)) list.online(conversationKey('peer', uid), value === 'ONLINE');
      },
    };
    const entries = Object.entries(listeners) as [keyof RtmClientEvents, never][];
    for (const [event, listener] of entries) client.on(event, listener);
    return () => {
      for (const [event, listener] of entries) client.off(event, listener);
    };
  }

  /** A pushed message (from someone else, or this user's own from another tab or device). */
  receive(key: ConversationKey, message: RtmMessage, stored: StoredProps, notify: boolean): void {
    const session = this.#session;
    const conversation = session.conversation(key);
    const chat = storedChatMessage(key, message, stored, session.userId);
    const added = conversation.upsert(chat);
    session.list.touch(conversation, [chat]);
    session.typing.stopped(key, stored.from);
    if (notify) for (const chat of added) session.events.emit({ type: 'message', conversation: key, message: chat });
  }

  /**
   * The offline messages of one peer conversation, applied at once: one list update and one
   * render for the batch rather than one per message.
   */
  #receiveBatch(key: ConversationKey, messages: ReceivedMessage[]): void {
    const session = this.#session;
    const conversation = session.conversation(key);
    const chats = messages.map((received) => historyChatMessage(key, received, session.userId));
    const added = conversation.upsert(...chats);
    session.list.touch(conversation, chats);
    for (const chat of added) session.events.emit({ type: 'message', conversation: key, message: chat });
  }

  /** This user's read marker moved (here or in another tab). */
  #onRead(state: ReadState): void {
    const key = conversationKey(state.kind, state.id);
    this.#session.list.read(key, state.readSeq, state.unread);
    if (state.kind === 'channel') this.#session.readers.read(key, this.#session.userId, state.readSeq);
  }
}

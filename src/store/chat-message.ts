import type { ReceivedMessage, RtmMessage } from '../client/index.js';
import type { RtmError } from '../protocol/index.js';
import type { ConversationKey } from './keys.js';

/** Where a message stands: being sent, stored by the server, or failed (retry is possible). */
export type ChatMessageStatus = 'sending' | 'sent' | 'failed';

/**
 * A message as the views show it. Immutable: every change produces a new object, so views can
 * compare by identity.
 */
export interface ChatMessage {
  /** The client message id: stable from the optimistic copy to the stored one; the list key. */
  readonly localId: string;
  /** Server message id, once stored. */
  readonly id?: string;
  /** Sequence number within the conversation, once stored; messages are ordered by it. */
  readonly seq?: number;
  /** The conversation it belongs to. */
  readonly conversation: ConversationKey;
  /** Sender user id. */
  readonly from: string;
  /** Whether the session's own user sent it (from this tab or another). */
  readonly own: boolean;
  /** The text of a TEXT message; undefined for other types. */
  readonly text: string | undefined;
  /** The Agora-style message object. */
  readonly message: RtmMessage;
  /** Server receive time once stored, else the local time it was sent; ms since the epoch. */
  readonly ts: number;
  readonly status: ChatMessageStatus;
  /** Why it failed (status `failed`). */
  readonly error?: RtmError;
}

/** The text of a message object, when it is a text message. */
export function textOf(message: RtmMessage): string | undefined {
  return message.messageType === 'TEXT' ? message.text : undefined;
}

/** A stored message (live push or history) as a ChatMessage. */
export function storedChatMessage(
  conversation: ConversationKey,
  message: RtmMessage,
  stored: { from: string; messageId: string; seq: number; serverReceivedTs: number; clientMessageId: string },
  ownUid: string,
): ChatMessage {
  return {
    localId: stored.clientMessageId,
    id: stored.messageId,
    seq: stored.seq,
    conversation,
    from: stored.from,
    own: stored.from === ownUid,
    text: textOf(message),
    message,
    ts: stored.serverReceivedTs,
    status: 'sent',
  };
}

/** A history entry as a ChatMessage. */
export function historyChatMessage(conversation: ConversationKey, received: ReceivedMessage, ownUid: string): ChatMessage {
  return storedChatMessage(conversation, received.message, received, ownUid);
}

import { thumbnailDataUrl, type ReceivedMessage, type RtmMessage } from '../client/index.js';
import type { MessageQuote, ReactionSummary, RtmError, SendFlags } from '../protocol/index.js';
import type { ConversationKey } from './keys.js';

/**
 * Where a message stands: its file being uploaded (before the message itself is sent), being
 * sent, stored by the server, or failed (retry is possible: it uploads again when the upload was
 * what failed).
 */
export type ChatMessageStatus = 'uploading' | 'sending' | 'sent' | 'failed';

/** The image or file of a message, as the views show it. */
export interface ChatAttachment {
  /** `audio` is a voice message; `video` shows its thumbnail as the poster. */
  readonly kind: 'image' | 'file' | 'audio' | 'video';
  readonly fileName: string;
  /** Bytes. */
  readonly size: number;
  readonly mimeType?: string;
  /** The media id; undefined while uploading. */
  readonly mediaId?: string;
  /** Pixel size of the original (images), when known. */
  readonly width?: number;
  readonly height?: number;
  /** A `data:` URL of the message's thumbnail, or of the local preview while uploading. */
  readonly thumbnailUrl?: string;
  readonly thumbnailWidth?: number;
  readonly thumbnailHeight?: number;
  /** The caption. */
  readonly description?: string;
  /** How long a voice or video message plays, in ms. */
  readonly durationMs?: number;
}

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
  /**
   * The Agora-style message object. For a file still uploading it is an IMAGE / FILE message
   * whose `mediaId` is '' (read `attachment` instead).
   */
  readonly message: RtmMessage;
  /** The image or file, for IMAGE and FILE messages. */
  readonly attachment?: ChatAttachment;
  /** Server receive time once stored, else the local time it was sent; ms since the epoch. */
  readonly ts: number;
  readonly status: ChatMessageStatus;
  /** Why it failed (status `failed`). */
  readonly error?: RtmError;
  /** When the sender last edited it. */
  readonly editedAt?: number;
  /** When it was retracted: `message` is `{ messageType: 'RETRACTED' }`, `text` undefined. */
  readonly retractedAt?: number;
  /** The conversation's change number of its latest change; a copy with a higher one is newer. */
  readonly changeSeq?: number;
  /** Emoji reactions, in the order each emoji was first used. */
  readonly reactions?: readonly ChatReaction[];
  /** For a reply: the message it replies to, as it is now. */
  readonly quote?: MessageQuote;
  /** The session's own user is mentioned (`@uid`, or `@all` in a channel). */
  readonly mentionsMe?: boolean;
  /** Sent as transient: shown now, kept in memory only, no `seq` (see `SendOptions.transient`). */
  readonly transient?: true;
  /** Sent with `needReadReceipt: false`: it has no receipt (see `SendOptions.needReadReceipt`). */
  readonly needReadReceipt?: false;
}

/** One emoji reaction on a message as the views show it. */
export interface ChatReaction {
  readonly emoji: string;
  readonly count: number;
  /** The first users who reacted with it (the server lists up to REACTION_USERS_LISTED). */
  readonly uids: readonly string[];
  /** Whether the session's own user is among them. */
  readonly mine: boolean;
}

/** What a stored message's latest change left on it. */
export interface ChangeFields {
  editedAt?: number;
  retractedAt?: number;
  changeSeq?: number;
  reactions?: readonly ReactionSummary[];
  quote?: MessageQuote;
}

/**
 * The send flags worth keeping on a message (`transient: true`, `needReadReceipt: false`), from
 * send options or a stored message's props; one helper for both keeps the core bundle small.
 */
export function sendFlags(flags: SendFlags): Pick<ChatMessage, 'transient' | 'needReadReceipt'> {
  return { ...(flags.transient && { transient: true }), ...(flags.needReadReceipt === false && { needReadReceipt: false }) };
}

/** The text of a message object, when it is a text message. */
export function textOf(message: RtmMessage): string | undefined {
  return message.messageType === 'TEXT' ? message.text : undefined;
}

/** The attachment of an image or file message (fields without a value are left out). */
export function attachmentOf(message: RtmMessage): ChatAttachment | undefined {
  if (!('mediaId' in message)) return undefined;
  const attachment: Record<string, unknown> = {
    kind: message.messageType.toLowerCase(),
    fileName: message.fileName,
    size: message.size,
    mimeType: message.mimeType || undefined,
    mediaId: message.mediaId || undefined,
    thumbnailUrl: thumbnailDataUrl(message),
    thumbnailWidth: message.thumbnailWidth || undefined,
    thumbnailHeight: message.thumbnailHeight || undefined,
    description: message.description || undefined,
  };
  if (message.messageType === 'IMAGE' || message.messageType === 'VIDEO') Object.assign(attachment, { width: message.width, height: message.height });
  if (message.messageType === 'AUDIO' || message.messageType === 'VIDEO') attachment.durationMs = message.durationMs;
  return withoutUndefined(attachment) as unknown as ChatAttachment;
}

/** A copy without the keys whose value is undefined. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The message without its `error` (sent again, or stored after all). */
export function withoutError(message: ChatMessage): ChatMessage {
  if (!('error' in message)) return message;
  const { error: _error, ...rest } = message;
  return rest;
}

/** A stored message (live push or history) as a ChatMessage. */
export function storedChatMessage(
  conversation: ConversationKey,
  message: RtmMessage,
  stored: { from: string; messageId: string; seq: number; serverReceivedTs: number; clientMessageId: string } & ChangeFields & SendFlags,
  ownUid: string,
): ChatMessage {
  const attachment = attachmentOf(message);
  const { editedAt, retractedAt, changeSeq, reactions, quote } = stored;
  const mentioned = 'mentions' in message && (message.mentions?.includes(ownUid) || (message.mentionAll && conversation.startsWith('channel:')));
  return {
    ...(attachment && { attachment }),
    ...(quote && { quote }),
    ...(mentioned && stored.from !== ownUid && { mentionsMe: true }),
    ...(editedAt !== undefined && { editedAt }),
    ...(retractedAt !== undefined && { retractedAt }),
    ...(changeSeq !== undefined && { changeSeq }),
    ...sendFlags(stored),
    ...(reactions && reactions.length > 0 && { reactions: reactions.map((r) => ({ ...r, mine: r.uids.includes(ownUid) })) }),
    localId: stored.clientMessageId,
    id: stored.messageId,
    // A transient message's seq is 0: no place in the sequence, so it has none here.
    seq: stored.seq || undefined,
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

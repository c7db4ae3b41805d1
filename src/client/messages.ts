import {
  RtmError,
  parseWireMessage,
  type ReactionSummary,
  type StoredBody,
  type StoredMessage,
  type WireMessage,
} from '../protocol/index.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import {
  createMediaMessage,
  mediaFromWire,
  mediaToWire,
  type RtmFileMessage,
  type RtmImageMessage,
  type RtmMediaMessageInit,
} from './media/media-message.js';

/**
 * Message objects in the Agora RTM 1.x shape, and their conversion to and from the protocol's
 * {@link WireMessage}.
 */

/** A text message. */
export interface RtmTextMessage {
  messageType: 'TEXT';
  text: string;
}

/** A raw (binary) message; `description` is free text about the payload ('' when none). */
export interface RtmRawMessage {
  messageType: 'RAW';
  rawMessage: Uint8Array;
  description: string;
}

/** What a retracted message shows instead of its content (our addition; the content is gone from the server). */
export interface RtmRetractedMessage {
  messageType: 'RETRACTED';
}

/** A message as delivered to listeners. */
export type RtmMessage = RtmSendableMessage | RtmRetractedMessage;

/** A message one can send: what `createMessage` returns and the send methods accept back. */
export type RtmSendableMessage = RtmTextMessage | RtmRawMessage | RtmImageMessage | RtmFileMessage;

/**
 * What `createMessage` and the send methods accept. As in the Agora SDK, `{ text }` without a
 * `messageType` is a text message. Image and file messages name an uploaded media id (from
 * `createMediaMessageByUploading`, or one kept from earlier: media lives 7 days).
 */
export type RtmMessageInit =
  | { messageType?: 'TEXT'; text: string }
  | { messageType: 'RAW'; rawMessage: Uint8Array; description?: string }
  | RtmMediaMessageInit;

/**
 * Builds a message object. Throws an {@link RtmError} (INVALID_MESSAGE; INVALID_MEDIA_ID and
 * INVALID_FILE_NAME for media messages) when the argument has the wrong shape; emptiness and size
 * are checked when the message is sent. A media id's existence is checked by the server at send.
 *
 * @example
 * const message = createMessage({ messageType: 'TEXT', text: 'hello' });
 * const raw = createMessage({ messageType: 'RAW', rawMessage: new Uint8Array([1, 2]), description: 'two bytes' });
 * const file = createMessage({ messageType: 'FILE', mediaId, size: 1234, fileName: 'notes.pdf' });
 */
export function createMessage(init: RtmMessageInit): RtmSendableMessage {
  if (typeof init !== 'object' || init === null) {
    throw new RtmError('INVALID_MESSAGE', 'A message must be an object like { messageType: "TEXT", text: "hi" }.');
  }
  const type = init.messageType ?? 'TEXT';
  if (type === 'TEXT') {
    const text = (init as { text?: unknown }).text;
    if (typeof text !== 'string') throw new RtmError('INVALID_MESSAGE', 'A TEXT message needs a string "text".');
    return { messageType: 'TEXT', text };
  }
  if (type === 'RAW') {
    const { rawMessage, description } = init as { rawMessage?: unknown; description?: unknown };
    if (!(rawMessage instanceof Uint8Array)) {
      throw new RtmError('INVALID_MESSAGE', 'A RAW message needs "rawMessage" as a Uint8Array.');
    }
    if (description !== undefined && typeof description !== 'string') {
      throw new RtmError('INVALID_MESSAGE', 'A RAW message "description" must be a string.');
    }
    return { messageType: 'RAW', rawMessage, description: description ?? '' };
  }
  if (type === 'IMAGE' || type === 'FILE') return createMediaMessage(init as RtmMediaMessageInit);
  throw new RtmError('INVALID_MESSAGE', `Unknown messageType ${JSON.stringify(type)}.`);
}

/**
 * The wire form of a message, validated by the protocol (type, emptiness, the 32 KB cap).
 * Throws an {@link RtmError}: INVALID_MESSAGE, MESSAGE_EMPTY or MESSAGE_TOO_LARGE.
 */
export function toWireMessage(init: RtmMessageInit): WireMessage {
  const message = createMessage(init);
  if (message.messageType === 'IMAGE' || message.messageType === 'FILE') return mediaToWire(message);
  const wire: Record<string, unknown> =
    message.messageType === 'TEXT'
      ? { type: 'TEXT', text: message.text }
      : { type: 'RAW', data: bytesToBase64(message.rawMessage), description: message.description || undefined };
  return parseWireMessage(wire);
}

/** The Agora-style object for a wire message. Throws INVALID_MESSAGE for undecodable RAW data. */
export function fromWireMessage(wire: StoredBody): RtmMessage {
  if (wire.type === 'RETRACTED') return { messageType: 'RETRACTED' };
  if (wire.type === 'TEXT') return { messageType: 'TEXT', text: wire.text };
  if (wire.type === 'RAW') {
    let rawMessage: Uint8Array;
    try {
      rawMessage = base64ToBytes(wire.data);
    } catch {
      throw new RtmError('INVALID_MESSAGE', 'RAW message data is not valid base64.');
    }
    return { messageType: 'RAW', rawMessage, description: wire.description ?? '' };
  }
  if (wire.type === 'IMAGE' || wire.type === 'FILE') return mediaFromWire(wire);
  throw new RtmError('INVALID_MESSAGE', `Unknown message type ${JSON.stringify((wire as { type?: unknown }).type)}.`);
}

/**
 * A stored message as returned by `getHistory`: the message plus who sent it, where, and what the
 * server assigned to it.
 */
export interface ReceivedMessage {
  message: RtmMessage;
  /** Sender user id (may be the logged-in user). */
  from: string;
  /** For peer conversations: the other user (the receiver when `from` is the logged-in user). */
  peerId?: string;
  /** For channel conversations: the channel. */
  channelId?: string;
  /** Server message id. */
  messageId: string;
  /** Sequence number within the conversation, from 1. */
  seq: number;
  /** Server receive time, ms since the epoch. */
  serverReceivedTs: number;
  /** The sender's client message id. */
  clientMessageId: string;
  /** When the sender last edited it (ms since the epoch). */
  editedAt?: number;
  /** When it was retracted (`message` is then `{ messageType: 'RETRACTED' }`). */
  retractedAt?: number;
  /** The conversation's change number of its latest change (absent: never changed). */
  changeSeq?: number;
  /** Emoji reactions: each emoji with its count and the first users who reacted with it. */
  reactions?: ReactionSummary[];
}

/** Converts a stored message; `ownUid` decides which side of a peer conversation is the peer. */
export function toReceivedMessage(stored: StoredMessage, ownUid: string): ReceivedMessage {
  const received: ReceivedMessage = {
    message: fromWireMessage(stored.message),
    from: stored.from,
    messageId: stored.id,
    seq: stored.seq,
    serverReceivedTs: stored.ts,
    clientMessageId: stored.cmid,
  };
  if (stored.channel !== undefined) received.channelId = stored.channel;
  else received.peerId = stored.from === ownUid ? stored.to : stored.from;
  if (stored.editedAt !== undefined) received.editedAt = stored.editedAt;
  if (stored.retractedAt !== undefined) received.retractedAt = stored.retractedAt;
  if (stored.changeSeq !== undefined) received.changeSeq = stored.changeSeq;
  if (stored.reactions !== undefined) received.reactions = stored.reactions;
  return received;
}

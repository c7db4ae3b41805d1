import {
  RtmError,
  needsFullCheck,
  parseBasicWireMessage,
  type MessageQuote,
  type ReactionSummary,
  type StoredBody,
  type StoredMessage,
  type WireMessage,
} from '../protocol/index.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { importWireCheck, type WireCheckModule } from './load-wire-check.js';
import {
  createMediaMessage,
  mediaFromWire,
  mediaToWire,
  type RtmMediaMessage,
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

/** A location (our addition): a point with an optional place name and address. */
export interface RtmLocationMessage {
  messageType: 'LOCATION';
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/**
 * An app-defined message (our addition): `customType` names it, `payload` is any JSON value (the
 * whole message stays within 32 KB), `description` is what views that cannot render it show.
 */
export interface RtmCustomMessage {
  messageType: 'CUSTOM';
  customType: string;
  payload: unknown;
  description?: string;
}

/**
 * What any message may carry besides its content (our additions): the message it replies to,
 * mentions, and key-value extras (seed 003 `addExtraValue`).
 */
export interface RtmMessageFields {
  /** Server id of a message of the same conversation this one replies to (INVALID_REPLY otherwise). */
  replyTo?: string;
  /** User ids mentioned with `@uid` (at most MAX_MENTIONS). */
  mentions?: string[];
  /** `@all` in a channel. */
  mentionAll?: boolean;
  /** Up to MAX_EXTRAS keys of `[A-Za-z0-9_.-]{1,64}`, values strings, numbers or booleans. */
  extras?: Record<string, string | number | boolean>;
}

/** A message one can send: what `createMessage` returns and the send methods accept back. */
export type RtmSendableMessage = (RtmTextMessage | RtmRawMessage | RtmMediaMessage | RtmLocationMessage | RtmCustomMessage) &
  RtmMessageFields;

/**
 * What `createMessage` and the send methods accept. As in the Agora SDK, `{ text }` without a
 * `messageType` is a text message and `{ rawMessage }` a raw one. Image and file messages name an uploaded media id (from
 * `createMediaMessageByUploading`, or one kept from earlier: media lives 7 days).
 */
export type RtmMessageInit = (
  | { messageType?: 'TEXT'; text: string }
  | { messageType?: 'RAW'; rawMessage: Uint8Array; description?: string }
  | RtmMediaMessageInit
  | RtmLocationMessage
  | RtmCustomMessage
) &
  RtmMessageFields;

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
  // The reply, mentions and extras are checked by the protocol when the message is sent.
  return Object.assign(createContent(init), messageFields(init));
}

/** The reply, mentions and extras of a message object or a wire message (only those present). */
function messageFields(source: RtmMessageFields): RtmMessageFields {
  const fields: RtmMessageFields = {};
  if (source.replyTo !== undefined) fields.replyTo = source.replyTo;
  if (source.mentions !== undefined) fields.mentions = source.mentions;
  if (source.mentionAll) fields.mentionAll = true;
  if (source.extras !== undefined) fields.extras = source.extras;
  return fields;
}

function createContent(init: RtmMessageInit): RtmSendableMessage {
  // As in the Agora SDK: without a messageType, a message with rawMessage is RAW, otherwise TEXT.
  const type = init.messageType ?? ('rawMessage' in init ? 'RAW' : 'TEXT');
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
  // Checked in full when sent (the full check loads with the first of them).
  if (type === 'LOCATION' || type === 'CUSTOM') {
    const { replyTo: _r, mentions: _m, mentionAll: _a, extras: _e, ...content } = init as RtmLocationMessage & RtmMessageFields;
    return { ...content, messageType: type } as RtmSendableMessage;
  }
  if (type === 'IMAGE' || type === 'FILE' || type === 'AUDIO' || type === 'VIDEO') return createMediaMessage(init as RtmMediaMessageInit);
  throw new RtmError('INVALID_MESSAGE', `Unknown messageType ${JSON.stringify(type)}.`);
}

/**
 * The wire form of a message, validated by the protocol (type, emptiness, the 32 KB cap).
 * Throws an {@link RtmError}: INVALID_MESSAGE, MESSAGE_EMPTY or MESSAGE_TOO_LARGE.
 */
export function toWireMessage(init: RtmMessageInit): WireMessage {
  const message = createMessage(init);
  const fields = messageFields(message);
  const wire: object =
    'mediaId' in message
      ? mediaToWire(message)
      : message.messageType === 'TEXT'
        ? { type: 'TEXT', text: message.text }
        : message.messageType === 'RAW'
          ? { type: 'RAW', data: bytesToBase64(message.rawMessage), description: message.description || undefined }
          : { ...message, messageType: undefined, type: message.messageType };
  const record = { ...wire, ...fields };
  if (!needsFullCheck(record)) return parseBasicWireMessage(record);
  if (!wireCheck) throw new RtmError('INTERNAL_ERROR', 'The full message check is not loaded; await fullCheckFor(message) first.');
  return wireCheck.parseWireMessage(record);
}

let wireCheck: WireCheckModule | undefined;

/**
 * Loads the full check when `init` needs it (a location or custom message, a reply, mentions,
 * extras) and it is not loaded yet; undefined when `toWireMessage` can run now. Senders await it
 * first, as they await a thumbnail to read.
 */
export function fullCheckFor(init: RtmMessageInit): Promise<void> | undefined {
  if (wireCheck || typeof init !== 'object' || init === null) return undefined;
  const { messageType } = init;
  const needs = messageType === 'LOCATION' || messageType === 'CUSTOM' || Object.keys(messageFields(init)).length > 0;
  if (!needs) return undefined;
  return importWireCheck().then((module) => void (wireCheck = module));
}

/** The Agora-style object for a wire message. Throws INVALID_MESSAGE for undecodable RAW data. */
export function fromWireMessage(wire: StoredBody): RtmMessage {
  if (wire.type === 'RETRACTED') return { messageType: 'RETRACTED' };
  return Object.assign(contentFromWire(wire), messageFields(wire));
}

function contentFromWire(wire: WireMessage): RtmSendableMessage {
  switch (wire.type) {
    case 'TEXT':
      return { messageType: 'TEXT', text: wire.text };
    case 'RAW': {
      let rawMessage: Uint8Array;
      try {
        rawMessage = base64ToBytes(wire.data);
      } catch {
        throw new RtmError('INVALID_MESSAGE', 'RAW message data is not valid base64.');
      }
      return { messageType: 'RAW', rawMessage, description: wire.description ?? '' };
    }
    case 'LOCATION': {
      const { type: _type, replyTo: _r, mentions: _m, mentionAll: _a, extras: _e, ...rest } = wire;
      return { messageType: 'LOCATION', ...rest };
    }
    case 'CUSTOM': {
      const { type: _type, replyTo: _r, mentions: _m, mentionAll: _a, extras: _e, ...rest } = wire;
      return { messageType: 'CUSTOM', ...rest };
    }
    case 'IMAGE':
    case 'FILE':
    case 'AUDIO':
    case 'VIDEO':
      return mediaFromWire(wire);
  }
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
  /** For a reply: the message it replies to, as it is now (an excerpt, or `retracted`). */
  quote?: MessageQuote;
  /** Sent with `needReadReceipt: false`: its sender shows no delivered or read receipt for it. */
  needReadReceipt?: false;
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
  if (stored.quote !== undefined) received.quote = stored.quote;
  if (stored.needReadReceipt === false) received.needReadReceipt = false;
  return received;
}

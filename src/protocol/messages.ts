import { RtmError } from './errors.js';
import {
  MAX_IMAGE_EDGE_PX,
  MAX_MEDIA_BYTES,
  MAX_MEDIA_DURATION_MS,
  MAX_MESSAGE_BYTES,
  MIN_MEDIA_BYTES,
  QUOTE_EXCERPT_LENGTH,
} from './limits.js';
import type { ReactionSummary } from './changes.js';
import { checkFileName, checkMediaId, normalizeMediaType } from './media.js';

/**
 * A message as it travels on the wire and is stored by the server. The transport core turns the
 * RTM-style `{ messageType: 'TEXT', text }` objects into this form and back.
 *
 * - `TEXT`: `text` is the message.
 * - `RAW`: `data` is the payload, base64-encoded; `description` is optional text about it.
 * - `IMAGE` / `FILE`: an uploaded media object by id, with its display name, size, and an
 *   optional small thumbnail (base64) shown before anything is downloaded.
 * - `AUDIO` (a voice message) / `VIDEO`: media objects with their duration; a video's thumbnail is
 *   its poster frame.
 * - `LOCATION`: a point (latitude, longitude) with an optional place name and address.
 * - `CUSTOM`: an app-defined type (`customType`) with a JSON payload; views render it through a
 *   registered renderer, or as "unsupported message".
 *
 * Every type may carry the {@link WireMessageFields}: a reply, mentions, extras.
 */
export type WireMessage = (
  | WireTextMessage
  | WireRawMessage
  | WireImageMessage
  | WireFileMessage
  | WireAudioMessage
  | WireVideoMessage
  | WireLocationMessage
  | WireCustomMessage
) &
  WireMessageFields;

/** What any message may carry besides its content. */
export interface WireMessageFields {
  /** Server id of the message (of the same conversation) this one replies to. */
  replyTo?: string;
  /** Users mentioned with `@uid`, without duplicates, at most MAX_MENTIONS. */
  mentions?: string[];
  /** `@all`: mentions everyone of a channel. */
  mentionAll?: true;
  /** Key-value attributes (seed 003 `addExtraValue`): at most MAX_EXTRAS keys of `[A-Za-z0-9_.-]{1,64}`. */
  extras?: Record<string, string | number | boolean>;
}

export interface WireTextMessage {
  type: 'TEXT';
  text: string;
}

export interface WireRawMessage {
  type: 'RAW';
  /** Base64 of the raw bytes. */
  data: string;
  description?: string;
}

/** Fields shared by image and file messages. */
export interface WireMediaFields {
  /** The server-issued media id. */
  mediaId: string;
  /** Size of the media object in bytes. */
  size: number;
  /** Display file name (never used as a path). */
  fileName: string;
  /** The media type the uploader declared, e.g. `image/png`. */
  mimeType?: string;
  /** Text shown with the file (a caption). */
  description?: string;
  /** Base64 of a small JPEG/WebP/PNG preview. */
  thumbnail?: string;
  thumbnailWidth?: number;
  thumbnailHeight?: number;
}

export interface WireImageMessage extends WireMediaFields {
  type: 'IMAGE';
  /** Pixel size of the original, so views reserve the right space before it loads. */
  width?: number;
  height?: number;
}

export interface WireFileMessage extends WireMediaFields {
  type: 'FILE';
}

/** A voice message: recorded audio and how long it plays. */
export interface WireAudioMessage extends WireMediaFields {
  type: 'AUDIO';
  /** 1 … MAX_MEDIA_DURATION_MS. */
  durationMs: number;
}

/** A video with its duration; `thumbnail` is the poster frame shown before it plays. */
export interface WireVideoMessage extends WireMediaFields {
  type: 'VIDEO';
  durationMs: number;
  width?: number;
  height?: number;
}

export interface WireLocationMessage {
  type: 'LOCATION';
  /** Degrees, −90 … 90. */
  latitude: number;
  /** Degrees, −180 … 180. */
  longitude: number;
  /** A place name, e.g. "Blue Bottle Coffee". */
  name?: string;
  address?: string;
}

/** An app-defined message: `customType` names how to render it; `payload` is any JSON value. */
export interface WireCustomMessage {
  type: 'CUSTOM';
  /** A letter, then up to 63 of `[A-Za-z0-9_.-]`, e.g. `order.shipped`. */
  customType: string;
  payload: unknown;
  /** What views that cannot render the type show, and what previews say. */
  description?: string;
}

/** The message types this version understands. */
export const MESSAGE_TYPES = ['TEXT', 'RAW', 'IMAGE', 'FILE', 'AUDIO', 'VIDEO', 'LOCATION', 'CUSTOM'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

const utf8 = new TextEncoder();

/** UTF-8 length of a string, in bytes. */
export function utf8ByteLength(text: string): number {
  return utf8.encode(text).byteLength;
}

/**
 * The size the 32 KB cap applies to: the UTF-8 bytes of the message's JSON serialization (so the
 * cap covers text, payload, and for media messages file name and thumbnail, exactly as sent).
 */
export function messageByteSize(message: WireMessage): number {
  return utf8ByteLength(JSON.stringify(message));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// A high surrogate not followed by a low one, or a low one not preceded by a high one. JSON.parse
// turns "\ud800" into exactly that; no UTF-8 encoder can carry it (TextEncoder, Buffer, a
// database's text column all turn it into U+FFFD), so what was acked would not be what is read.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The problem with a string meant to be shown as text, or undefined when it is fine: it must be
 * well-formed Unicode (no lone surrogate) and hold no NUL, which C strings, PostgreSQL text and
 * many log pipelines cut or refuse. Other control characters (tabs, newlines, …) are allowed:
 * views render text as text.
 */
export function describeTextProblem(value: string): string | undefined {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) {
    const unit = lone[0].charCodeAt(0).toString(16).toUpperCase();
    return `is not well-formed Unicode: a lone surrogate (U+${unit}) at index ${lone.index}`;
  }
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `contains NUL (U+0000) at index ${nul}`;
  return undefined;
}

export function requireText(value: string, what: string): string {
  const problem = describeTextProblem(value);
  if (problem) throw new RtmError('INVALID_MESSAGE', `${what} ${problem}.`);
  return value;
}

/** Whether a message needs the full check ({@link parseWireMessage} in wire-message.ts): a LOCATION or CUSTOM message, or any reply, mention or extra. */
export function needsFullCheck(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.type === 'LOCATION' ||
    record.type === 'CUSTOM' ||
    record.replyTo !== undefined ||
    record.mentions !== undefined ||
    record.mentionAll !== undefined ||
    record.extras !== undefined
  );
}

/**
 * Validates an untrusted value as a TEXT, RAW or media message without reply, mentions or extras
 * (what a browser checks at once; the rest is {@link needsFullCheck}). Returns the message (with
 * only known fields kept) or throws an {@link RtmError}: INVALID_MESSAGE for an unknown type or
 * wrong field types, MESSAGE_EMPTY for no content, MESSAGE_TOO_LARGE over {@link MAX_MESSAGE_BYTES}.
 */
export function parseBasicWireMessage(value: unknown): WireMessage {
  const message = parseContent(value, undefined);
  checkMessageSize(message);
  return message;
}

/** Richer content types, parsed by wire-message.ts; absent: refused as unknown. */
export type RichContentParser = (record: Record<string, unknown>) => WireMessage | undefined;

/** The content of a message of any type `rich` knows besides the basic ones (no size check, no fields). */
export function parseContent(value: unknown, rich: RichContentParser | undefined): WireMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RtmError('INVALID_MESSAGE', 'Message must be an object like {"type":"TEXT","text":"hi"}.');
  }
  const record = value as Record<string, unknown>;
  switch (record.type) {
    case 'TEXT': {
      if (typeof record.text !== 'string') {
        throw new RtmError('INVALID_MESSAGE', 'A TEXT message needs a string "text".');
      }
      if (record.text.length === 0) throw new RtmError('MESSAGE_EMPTY', 'Message text must not be empty.');
      return { type: 'TEXT', text: requireText(record.text, 'Message text') };
    }
    case 'RAW': {
      if (typeof record.data !== 'string' || !BASE64.test(record.data) || record.data.length % 4 !== 0) {
        throw new RtmError('INVALID_MESSAGE', 'A RAW message needs "data" as a base64 string.');
      }
      if (record.description !== undefined && typeof record.description !== 'string') {
        throw new RtmError('INVALID_MESSAGE', 'A RAW message "description" must be a string.');
      }
      if (record.data.length === 0) throw new RtmError('MESSAGE_EMPTY', 'Raw message data must not be empty.');
      const message: WireMessage = { type: 'RAW', data: record.data };
      if (record.description) message.description = requireText(record.description, 'The "description"');
      return message;
    }
    case 'IMAGE':
    case 'FILE':
    case 'AUDIO':
    case 'VIDEO':
      return parseMediaMessage(record, record.type);
  }
  const message = rich?.(record);
  if (message) return message;
  throw new RtmError(
    'INVALID_MESSAGE',
    `Unknown message type ${JSON.stringify(record.type)}; expected one of ${MESSAGE_TYPES.join(', ')}.`,
  );
}

function optionalDimension(record: Record<string, unknown>, key: string): number | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_IMAGE_EDGE_PX) {
    throw new RtmError('INVALID_MESSAGE', `"${key}" must be an integer from 1 to ${MAX_IMAGE_EDGE_PX}.`);
  }
  return value as number;
}

export function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new RtmError('INVALID_MESSAGE', `"${key}" must be a string.`);
  return value;
}

type WireMediaMessage = WireImageMessage | WireFileMessage | WireAudioMessage | WireVideoMessage;

function parseMediaMessage(record: Record<string, unknown>, type: WireMediaMessage['type']): WireMediaMessage {
  const invalidId = checkMediaId(record.mediaId);
  if (invalidId) throw invalidId;
  const size = record.size;
  if (!Number.isInteger(size) || (size as number) < MIN_MEDIA_BYTES || (size as number) > MAX_MEDIA_BYTES) {
    throw new RtmError('INVALID_MESSAGE', `"size" must be an integer from ${MIN_MEDIA_BYTES} to ${MAX_MEDIA_BYTES}.`);
  }
  const invalidName = checkFileName(record.fileName);
  if (invalidName) throw invalidName;
  const message = { type, mediaId: record.mediaId as string, size: size as number, fileName: record.fileName as string } as WireMediaMessage;
  const mimeType = optionalString(record, 'mimeType');
  if (mimeType !== undefined) {
    const normalized = normalizeMediaType(mimeType);
    if (!normalized || normalized !== mimeType.trim().toLowerCase()) {
      throw new RtmError('INVALID_MESSAGE', '"mimeType" must look like type/subtype.');
    }
    message.mimeType = normalized;
  }
  const description = optionalString(record, 'description');
  if (description) message.description = requireText(description, 'The "description"');
  const thumbnail = optionalString(record, 'thumbnail');
  if (thumbnail !== undefined) {
    if (thumbnail.length === 0 || !BASE64.test(thumbnail) || thumbnail.length % 4 !== 0) {
      throw new RtmError('INVALID_MESSAGE', '"thumbnail" must be non-empty base64.');
    }
    message.thumbnail = thumbnail;
  }
  const thumbnailWidth = optionalDimension(record, 'thumbnailWidth');
  const thumbnailHeight = optionalDimension(record, 'thumbnailHeight');
  if (thumbnailWidth !== undefined) message.thumbnailWidth = thumbnailWidth;
  if (thumbnailHeight !== undefined) message.thumbnailHeight = thumbnailHeight;
  if (type === 'IMAGE' || type === 'VIDEO') {
    const width = optionalDimension(record, 'width');
    const height = optionalDimension(record, 'height');
    if (width !== undefined) (message as WireImageMessage).width = width;
    if (height !== undefined) (message as WireImageMessage).height = height;
  }
  if (type === 'AUDIO' || type === 'VIDEO') (message as WireAudioMessage).durationMs = requireDurationMs(record.durationMs, type);
  return message;
}

/**
 * `durationMs` when it is how long a voice (AUDIO) or video message may play, an integer from 1
 * to MAX_MEDIA_DURATION_MS; throws INVALID_MESSAGE otherwise.
 */
export function requireDurationMs(durationMs: unknown, type: 'AUDIO' | 'VIDEO'): number {
  if (!Number.isInteger(durationMs) || (durationMs as number) < 1 || (durationMs as number) > MAX_MEDIA_DURATION_MS) {
    throw new RtmError('INVALID_MESSAGE', `A${type === 'AUDIO' ? 'n AUDIO' : ' VIDEO'} message needs "durationMs", an integer from 1 to ${MAX_MEDIA_DURATION_MS}.`);
  }
  return durationMs as number;
}

/** Throws MESSAGE_TOO_LARGE when the message is over the cap. */
export function checkMessageSize(message: WireMessage): void {
  const size = messageByteSize(message);
  if (size > MAX_MESSAGE_BYTES) {
    throw new RtmError(
      'MESSAGE_TOO_LARGE',
      `Message is ${size} bytes serialized; the limit is ${MAX_MESSAGE_BYTES} bytes (32 KB).`,
    );
  }
}

/** What a retracted message holds instead of its content (which is gone from the server). */
export interface RetractedBody {
  type: 'RETRACTED';
}

/** A stored message's body: what was sent (edits included), or the retracted placeholder. */
export type StoredBody = WireMessage | RetractedBody;

/**
 * A message as the server stored it, as delivered to clients and returned by history.
 * `seq` counts up by one per conversation; `id` is unique per app.
 */
export interface StoredMessage {
  /** Server message id. */
  id: string;
  /** Sequence number within the conversation, from 1. */
  seq: number;
  /** Server receive time, ms since the epoch. */
  ts: number;
  /** Sender user id. */
  from: string;
  /** Receiver user id, for peer messages. */
  to?: string;
  /** Channel name, for channel messages. */
  channel?: string;
  /** The sender's client message id (idempotency key). */
  cmid: string;
  message: StoredBody;
  /** When the sender last edited it (ms since the epoch). */
  editedAt?: number;
  /** When it was retracted; `message` is then `{ type: 'RETRACTED' }`. */
  retractedAt?: number;
  /** The conversation's change sequence number of the latest change to it; absent when never changed. */
  changeSeq?: number;
  /** Emoji reactions, in the order each emoji was first used. */
  reactions?: ReactionSummary[];
  /** What `message.replyTo` names, as it is now (a retracted original says so, with no content). */
  quote?: MessageQuote;
  /**
   * A transient message (see `SendFlags.transient`): delivered to connections that were open,
   * stored nowhere; its `seq` is 0.
   */
  transient?: true;
  /** Sent with `needReadReceipt: false`: its sender's clients show no delivered or read receipt for it. */
  needReadReceipt?: false;
}

/** The message a reply quotes: who sent it, its type and a short excerpt of its current content. */
export interface MessageQuote {
  id: string;
  seq: number;
  from: string;
  type: StoredBody['type'];
  /** Up to QUOTE_EXCERPT_LENGTH characters: the text, a file name, a place, a description. */
  excerpt?: string;
  /** The original was retracted. */
  retracted?: true;
}

/** The quote of `original`, as a reply to it shows it. */
export function quoteOf(original: Pick<StoredMessage, 'id' | 'seq' | 'from' | 'message'>): MessageQuote {
  const body = original.message;
  const quote: MessageQuote = { id: original.id, seq: original.seq, from: original.from, type: body.type };
  if (body.type === 'RETRACTED') {
    quote.retracted = true;
    return quote;
  }
  const text =
    body.type === 'TEXT'
      ? body.text
      : body.type === 'RAW' || body.type === 'CUSTOM'
        ? body.description
        : body.type === 'LOCATION'
          ? (body.name ?? body.address)
          : body.fileName;
  if (text) quote.excerpt = [...text].slice(0, QUOTE_EXCERPT_LENGTH).join('');
  return quote;
}

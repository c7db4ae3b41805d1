import {
  RtmError,
  imageTypeOf,
  parseBasicWireMessage,
  type WireAudioMessage,
  type WireFileMessage,
  type WireImageMessage,
  type WireVideoMessage,
} from '../../protocol/index.js';
import { base64ToBytes, bytesToBase64 } from '../base64.js';

/** Fields of image and file messages (Agora's `RtmImageMessage` / `RtmFileMessage`). */
export interface RtmMediaMessageFields {
  /** The server-issued media id: download it with `client.downloadMedia(mediaId)`. */
  mediaId: string;
  /** Bytes of the media object. */
  size: number;
  /** Display name (never a path). */
  fileName: string;
  /** Caption; '' when none. */
  description: string;
  /** The type the uploader declared, e.g. `image/png`; '' when unknown. */
  mimeType: string;
  /** A small preview (WebP, JPEG or PNG), carried in the message itself. */
  thumbnail?: Blob;
  /** Pixel size of the thumbnail; 0 when there is none. */
  thumbnailWidth: number;
  thumbnailHeight: number;
}

/** An image message. */
export interface RtmImageMessage extends RtmMediaMessageFields {
  messageType: 'IMAGE';
  /** Pixel size of the original (EXIF orientation applied), when known. */
  width?: number;
  height?: number;
}

/** A file message. */
export interface RtmFileMessage extends RtmMediaMessageFields {
  messageType: 'FILE';
}

/** A voice message (our addition): recorded audio and how long it plays. */
export interface RtmAudioMessage extends RtmMediaMessageFields {
  messageType: 'AUDIO';
  durationMs: number;
}

/** A video message (our addition); its thumbnail is the poster frame. */
export interface RtmVideoMessage extends RtmMediaMessageFields {
  messageType: 'VIDEO';
  durationMs: number;
  width?: number;
  height?: number;
}

/** Every message that names an uploaded media object. */
export type RtmMediaMessage = RtmImageMessage | RtmFileMessage | RtmAudioMessage | RtmVideoMessage;

type WireMedia = WireImageMessage | WireFileMessage | WireAudioMessage | WireVideoMessage;

/** What `createMessage` accepts to build a media message from an uploaded media id. */
export interface RtmMediaMessageInit {
  messageType: RtmMediaMessage['messageType'];
  mediaId: string;
  size: number;
  fileName: string;
  description?: string;
  mimeType?: string;
  thumbnail?: Blob | Uint8Array;
  thumbnailWidth?: number;
  thumbnailHeight?: number;
  /** Images and videos. */
  width?: number;
  height?: number;
  /** Voice and video messages: how long they play (required for them). */
  durationMs?: number;
}

/**
 * Base64 of the thumbnails this module made or read, so sending stays synchronous (a Blob is read
 * asynchronously) and the store can show a thumbnail as a data: URL right away.
 */
const thumbnailBase64 = new WeakMap<Blob, string>();

/** A thumbnail Blob for bytes, typed from its header. */
export function thumbnailBlob(bytes: Uint8Array, base64 = bytesToBase64(bytes)): Blob {
  const blob = new Blob([bytes as BlobPart], { type: imageTypeOf(bytes) ?? '' });
  thumbnailBase64.set(blob, base64);
  return blob;
}

/** Reads a thumbnail Blob made elsewhere, so the message can be serialized. */
export async function rememberThumbnail(blob: Blob): Promise<void> {
  if (!thumbnailBase64.has(blob)) thumbnailBase64.set(blob, bytesToBase64(new Uint8Array(await blob.arrayBuffer())));
}

/** The thumbnail Blob that still has to be read before the message can be sent, if any. */
export function unreadThumbnail(message: unknown): Blob | undefined {
  const thumbnail = (message as { thumbnail?: unknown } | null)?.thumbnail;
  return thumbnail instanceof Blob && !thumbnailBase64.has(thumbnail) ? thumbnail : undefined;
}

/**
 * The thumbnail of an image or file message as a `data:` URL (no object URL to revoke), or
 * undefined when it has none (or carries a Blob this client has not serialized yet).
 *
 * @example
 * img.src = thumbnailDataUrl(message) ?? placeholder;
 */
export function thumbnailDataUrl(message: { thumbnail?: Blob } | undefined): string | undefined {
  const blob = message?.thumbnail;
  const base64 = blob && thumbnailBase64.get(blob);
  return base64 && `data:${blob!.type || 'application/octet-stream'};base64,${base64}`;
}

const asNumber = (value: number | undefined): number => value ?? 0;

/** Builds an image or file message; throws INVALID_MEDIA_ID, INVALID_FILE_NAME or INVALID_MESSAGE. */
export function createMediaMessage(init: RtmMediaMessageInit): RtmMediaMessage {
  const { thumbnail } = init;
  if (thumbnail !== undefined && !(thumbnail instanceof Blob) && !(thumbnail instanceof Uint8Array)) {
    throw new RtmError('INVALID_MESSAGE', '"thumbnail" must be a Blob or a Uint8Array.');
  }
  // The protocol's checks, on everything but the thumbnail (its size is checked at send).
  const wire = parseBasicWireMessage(wireFields(init, undefined)) as WireMedia;
  const message = fromWireFields(wire);
  if (thumbnail !== undefined) {
    message.thumbnail = thumbnail instanceof Blob ? thumbnail : thumbnailBlob(thumbnail);
    message.thumbnailWidth = asNumber(init.thumbnailWidth);
    message.thumbnailHeight = asNumber(init.thumbnailHeight);
  }
  return message;
}

/** The wire form (unvalidated) of a media message; `thumbnail` is its base64. */
export function wireFields(message: RtmMediaMessageInit, thumbnail: string | undefined): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    type: message.messageType,
    mediaId: message.mediaId,
    size: message.size,
    fileName: message.fileName,
    mimeType: message.mimeType || undefined,
    description: message.description || undefined,
  };
  if (thumbnail) {
    wire.thumbnail = thumbnail;
    wire.thumbnailWidth = message.thumbnailWidth || undefined;
    wire.thumbnailHeight = message.thumbnailHeight || undefined;
  }
  if (message.messageType === 'IMAGE' || message.messageType === 'VIDEO') {
    wire.width = message.width;
    wire.height = message.height;
  }
  if (message.messageType === 'AUDIO' || message.messageType === 'VIDEO') wire.durationMs = message.durationMs;
  return wire;
}

/** The wire form of a media message, validated (with its thumbnail, whose Blob must have been read). */
export function mediaToWire(message: RtmMediaMessageInit): WireMedia {
  const thumbnail = message.thumbnail;
  const base64 =
    thumbnail instanceof Uint8Array ? bytesToBase64(thumbnail) : thumbnail ? thumbnailBase64.get(thumbnail) : undefined;
  return parseBasicWireMessage(wireFields(message, base64)) as WireMedia;
}

/** The Agora-style object of a wire image or file message (thumbnail base64 → Blob). */
export function mediaFromWire(wire: WireMedia): RtmMediaMessage {
  const message = fromWireFields(wire);
  if (wire.thumbnail) {
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(wire.thumbnail);
    } catch {
      throw new RtmError('INVALID_MESSAGE', 'Thumbnail is not valid base64.');
    }
    message.thumbnail = thumbnailBlob(bytes, wire.thumbnail);
    message.thumbnailWidth = asNumber(wire.thumbnailWidth);
    message.thumbnailHeight = asNumber(wire.thumbnailHeight);
  }
  return message;
}

function fromWireFields(wire: WireMedia): RtmMediaMessage {
  const fields: RtmMediaMessageFields = {
    mediaId: wire.mediaId,
    size: wire.size,
    fileName: wire.fileName,
    description: wire.description ?? '',
    mimeType: wire.mimeType ?? '',
    thumbnailWidth: 0,
    thumbnailHeight: 0,
  };
  if (wire.type === 'FILE') return { messageType: 'FILE', ...fields };
  if (wire.type === 'AUDIO') return { messageType: 'AUDIO', ...fields, durationMs: wire.durationMs };
  const sized: RtmImageMessage | RtmVideoMessage =
    wire.type === 'VIDEO' ? { messageType: 'VIDEO', ...fields, durationMs: wire.durationMs } : { messageType: 'IMAGE', ...fields };
  if (wire.width !== undefined) sized.width = wire.width;
  if (wire.height !== undefined) sized.height = wire.height;
  return sized;
}

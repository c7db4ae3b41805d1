import { RtmError } from './errors.js';
import { MAX_FILE_NAME_LENGTH, MAX_MEDIA_BYTES, MIN_MEDIA_BYTES } from './limits.js';

/**
 * Media: the HTTP side of image and file messages. A file is uploaded once, gets
 * a server-generated media id, and is kept for MEDIA_TTL_MS; messages carry the id, never bytes
 * (except a small thumbnail). See docs/protocol.md, "Media".
 */

/** Media ids: 22–64 characters of `[A-Za-z0-9_-]` (the server issues 128 random bits, base64url). */
const MEDIA_ID = /^[A-Za-z0-9_-]{22,64}$/;

/** The error for a malformed media id, or undefined when it is well-formed. */
export function checkMediaId(value: unknown): RtmError | undefined {
  if (typeof value === 'string' && MEDIA_ID.test(value)) return undefined;
  return new RtmError('INVALID_MEDIA_ID', 'Media id must be 22–64 characters from A-Z a-z 0-9 _ -.');
}

// C0 and C1 controls, DEL, and the bidirectional overrides/isolates that can disguise an extension
// ("photo\u202Egpj.exe").
const FILE_NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// Not well-formed Unicode: encodeURIComponent (a signed URL's ?name=) throws on it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The error for an unusable display file name, or undefined when it is fine. */
export function checkFileName(value: unknown): RtmError | undefined {
  if (typeof value !== 'string' || value.trim().length === 0) {
    return new RtmError('INVALID_FILE_NAME', 'File name must be a non-empty string.');
  }
  if (value.length > MAX_FILE_NAME_LENGTH) {
    return new RtmError('INVALID_FILE_NAME', `File name must be at most ${MAX_FILE_NAME_LENGTH} characters.`);
  }
  if (FILE_NAME_FORBIDDEN.test(value)) {
    return new RtmError('INVALID_FILE_NAME', 'File name must not contain control or text-direction characters.');
  }
  if (LONE_SURROGATE.test(value)) {
    return new RtmError('INVALID_FILE_NAME', 'File name must be well-formed Unicode (it has a lone surrogate).');
  }
  return undefined;
}

/**
 * The name a browser is told to save a download as (`Content-Disposition`): the display name with
 * no way to name a directory — `/`, `\` and `:` become `_`, leading dots and spaces are dropped
 * (`../../etc/passwd` → `_.._etc_passwd`, `C:\x` → `C__x`) — or `fallback` when nothing is left.
 * A display name may look like a path (it is only ever shown as text); a saved name may not.
 *
 * @example
 * saveAsFileName('../../etc/passwd', 'id'); // '_.._etc_passwd'
 * saveAsFileName('report.pdf', 'id');       // 'report.pdf'
 */
export function saveAsFileName(name: string, fallback: string): string {
  const safe = name.replace(/[/\\:]/g, '_').replace(/^[.\s]+/, '');
  return safe === '' ? fallback : safe;
}

// The rule a message's "mimeType" follows (messages.ts): RFC 6838 restricted names, type/subtype.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The essence of a declared media type — `type/subtype`, trimmed, lowercased, parameters dropped —
 * or undefined when it has another shape. The server stores an upload's type this way, so it always
 * fits a message's `mimeType`; a client can use it on `Blob.type` before sending.
 *
 * @example
 * normalizeMediaType('Text/Plain; charset=UTF-8'); // 'text/plain'
 * normalizeMediaType('not a type');                // undefined
 */
export function normalizeMediaType(value: string): string | undefined {
  const essence = value.split(';', 1)[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(essence) ? essence : undefined;
}

/**
 * Raster image types a browser may show inline. Everything else — SVG and HTML above all — is
 * served as an attachment in a sandbox, since it could run script on the server's origin.
 */
export const INLINE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif'];

/** HTTP paths of the media API, relative to the server's base URL. */
export const MediaPaths = {
  /** POST raw bytes (the body is the file) → {@link UploadResult}. `?appId=` names the app. */
  upload: '/api/media',
  /**
   * A resumable upload (the tus 1.0 protocol: docs/protocol.md, "Resumable uploads"): POST here
   * with `Upload-Length` creates one and answers its URL in `Location`, the upload's id being the
   * media id the file will have.
   */
  resumableUploads: '/api/media/uploads',
  /** HEAD → `Upload-Offset`; PATCH the bytes from there (the last answers {@link UploadResult}); DELETE cancels. */
  resumableUpload: (uploadId: string) => `/api/media/uploads/${uploadId}`,
  /** GET the bytes (Range, ETag); HEAD for the headers only. */
  object: (mediaId: string) => `/api/media/${mediaId}`,
  /** GET → {@link MediaInfo} (is the id still valid, what is it). */
  info: (mediaId: string) => `/api/media/${mediaId}/info`,
  /** POST → {@link SignedMediaUrl}: a URL that works without headers, for `<img src>` and links. */
  signedUrl: (mediaId: string) => `/api/media/${mediaId}/url`,
} as const;

/** Image dimensions read from a file header. */
export interface ImageSize {
  width: number;
  height: number;
}

/** What the server knows about a media object. */
export interface MediaInfo {
  mediaId: string;
  /** Bytes. */
  size: number;
  /** The type the uploader declared (`application/octet-stream` when none). */
  contentType: string;
  /** For JPEG, PNG, BMP, GIF and WebP files, read from the header. */
  width?: number;
  height?: number;
  /** Upload time and expiry, ms since the epoch. */
  uploadedAt: number;
  expiresAt: number;
}

/** The answer to an upload. */
export type UploadResult = MediaInfo;

/** A short-lived download URL. */
export interface SignedMediaUrl {
  url: string;
  expiresAt: number;
}

/** MEDIA_EMPTY or MEDIA_TOO_LARGE for a file size outside 1 byte – 30 MB. */
export function checkMediaSize(size: number): RtmError | undefined {
  if (size < MIN_MEDIA_BYTES) return new RtmError('MEDIA_EMPTY', 'The file is empty.');
  if (size > MAX_MEDIA_BYTES) return new RtmError('MEDIA_TOO_LARGE', `The file is over ${MAX_MEDIA_BYTES} bytes.`);
  return undefined;
}

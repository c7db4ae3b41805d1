import {
  MAX_CONCURRENT_TRANSFERS,
  MAX_IMAGE_EDGE_PX,
  MAX_MEDIA_BYTES,
  MAX_MESSAGE_BYTES,
  MIN_MEDIA_BYTES,
  MediaPaths,
  RtmError,
  THUMBNAIL_MAX_EDGE_PX,
  checkFileName,
  checkMediaId,
  messageByteSize,
  normalizeMediaType,
  type MediaInfo,
  type SignedMediaUrl,
  type WireMessage,
} from '../../protocol/index.js';
import { download } from './download.js';
import { requestJson, type MediaEndpoint } from './http.js';
import { imageSize } from './image-info.js';
import { imageWork } from './images-on-demand.js';
import {
  mediaFromWire,
  mediaToWire,
  rememberThumbnail,
  wireFields,
  type RtmFileMessage,
  type RtmImageMessage,
  type RtmMediaMessageInit,
} from './media-message.js';
import type { ImageThumbnail } from './thumbnail.js';
import { TransferQueue, cancelled } from './transfer-queue.js';
import { upload, type MediaOperationProgress } from './upload.js';

/**
 * How a caller follows and cancels one upload or download (Agora's `transHandler`, plus a request
 * id for `cancelMediaUpload` / `cancelMediaDownload`).
 */
export interface MediaTransferHandler {
  /** Abort it to cancel: a waiting transfer never starts, a running one is aborted (CANCELLED). */
  cancelSignal?: AbortSignal;
  /**
   * Progress in bytes: `{ 0, total }` when the request starts (it may first wait for one of the
   * client's MAX_CONCURRENT_TRANSFERS slots), then as bytes move, ending at `{ total, total }`.
   */
  onOperationProgress?: (progress: MediaOperationProgress) => void;
  /**
   * Our addition: the request id, called before the method returns. Pass it to
   * `cancelMediaUpload` / `cancelMediaDownload` (an alternative to `cancelSignal`).
   */
  onRequestId?: (requestId: number) => void;
}

/** The upload's handler: a transfer handler that also hears about the generated thumbnail. */
export interface MediaUploadHandler extends MediaTransferHandler {
  /** Our addition: the thumbnail made for an image, as soon as it exists (for a local preview). */
  onThumbnail?: (thumbnail: ImageThumbnail) => void;
}

/** The parameters of `createMediaMessageByUploading`. */
export interface MediaMessageParams {
  messageType: 'IMAGE' | 'FILE';
  /** Display name; default: the File's name, else "image" / "file". */
  fileName?: string;
  description?: string;
  /**
   * A thumbnail of your own. Without one, an image gets a generated thumbnail (WebP or JPEG, at
   * most THUMBNAIL_MAX_EDGE_PX and THUMBNAIL_TARGET_BYTES); a file gets none.
   */
  thumbnail?: Blob | Uint8Array;
  thumbnailWidth?: number;
  thumbnailHeight?: number;
  /** Images: the pixel size to announce; default: read from the file. Yours wins. */
  width?: number;
  height?: number;
}

type Kind = 'upload' | 'download';

/** The longest media id the protocol allows: stands in for the id until the server issues it. */
const PLACEHOLDER_ID = 'A'.repeat(64);
/** The largest pixel size the protocol allows: stands in for one found only by decoding. */
const PLACEHOLDER_EDGE = MAX_IMAGE_EDGE_PX;

/** Calls a caller's callback; its exceptions surface without breaking the transfer. */
function notify<A>(callback: ((arg: A) => void) | undefined, arg: A): void {
  try {
    callback?.(arg);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

/**
 * The media side of a client: uploads and downloads through one queue of
 * MAX_CONCURRENT_TRANSFERS slots, request ids for cancelling, and the small media API requests.
 * @internal
 */
export class MediaClient {
  readonly #endpoint: MediaEndpoint;
  readonly #queue = new TransferQueue(MAX_CONCURRENT_TRANSFERS);
  readonly #requests = new Map<number, { kind: Kind; controller: AbortController }>();
  #lastRequestId = 0;

  constructor(endpoint: MediaEndpoint) {
    this.#endpoint = endpoint;
  }

  /** Uploads `blob` and resolves with the image or file message that names it. */
  upload(blob: Blob, params: MediaMessageParams, handler: MediaUploadHandler = {}): Promise<RtmImageMessage | RtmFileMessage> {
    let draft: RtmMediaMessageInit;
    try {
      draft = uploadDraft(blob, params);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#track('upload', handler, (signal) => this.#upload(blob, draft, handler, signal));
  }

  /** Downloads a media object as a Blob. */
  download(mediaId: string, handler: MediaTransferHandler = {}): Promise<Blob> {
    const invalid = checkMediaId(mediaId);
    if (invalid) return Promise.reject(invalid);
    return this.#track('download', handler, (signal) =>
      this.#queue.run(() => download(this.#endpoint, mediaId, signal, (p) => notify(handler.onOperationProgress, p)), signal),
    );
  }

  /** Cancels a waiting or running transfer; NOTHING_TO_CANCEL when it is not (any more). */
  cancel(kind: Kind, requestId: number): Promise<void> {
    const request = this.#requests.get(requestId);
    if (request?.kind !== kind) {
      return Promise.reject(new RtmError('NOTHING_TO_CANCEL', `No ${kind} ${requestId} in progress.`));
    }
    request.controller.abort();
    return Promise.resolve();
  }

  /** Cancels every transfer (logout). */
  cancelAll(): void {
    for (const { controller } of this.#requests.values()) controller.abort();
  }

  info(mediaId: string): Promise<MediaInfo> {
    const invalid = checkMediaId(mediaId);
    return invalid ? Promise.reject(invalid) : requestJson<MediaInfo>(this.#endpoint, 'GET', MediaPaths.info(mediaId));
  }

  /** A signed URL (absolute) that works without headers, e.g. in `<img src>`; `fileName` names a saved file. */
  async signedUrl(mediaId: string, fileName?: string): Promise<string> {
    const invalid = checkMediaId(mediaId) ?? (fileName === undefined ? undefined : checkFileName(fileName));
    if (invalid) throw invalid;
    const query = fileName === undefined ? '' : `?name=${encodeURIComponent(fileName)}`;
    const signed = await requestJson<SignedMediaUrl>(this.#endpoint, 'POST', MediaPaths.signedUrl(mediaId) + query);
    return new URL(signed.url, this.#endpoint.server).toString();
  }

  /** Runs a transfer under a new request id, cancellable by `handler.cancelSignal` and by id. */
  #track<T>(kind: Kind, handler: MediaTransferHandler, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const id = ++this.#lastRequestId;
    const controller = new AbortController();
    const external = handler.cancelSignal;
    const abort = (): void => controller.abort();
    if (external?.aborted) abort();
    external?.addEventListener('abort', abort, { once: true });
    this.#requests.set(id, { kind, controller });
    notify(handler.onRequestId, id);
    return run(controller.signal).finally(() => {
      this.#requests.delete(id);
      external?.removeEventListener('abort', abort);
    });
  }

  async #upload(
    blob: Blob,
    draft: RtmMediaMessageInit,
    handler: MediaUploadHandler,
    signal: AbortSignal,
  ): Promise<RtmImageMessage | RtmFileMessage> {
    const image = draft.messageType === 'IMAGE';
    // Without the image work (it could not be loaded) the image goes without a thumbnail.
    const work = image ? await imageWork() : undefined;
    let sniffed = await work?.sniffImage(blob);
    // A header may claim any size; a message may carry at most PLACEHOLDER_EDGE per edge.
    if (sniffed && Math.max(sniffed.width, sniffed.height) > PLACEHOLDER_EDGE) sniffed = undefined;
    draft.mimeType ||= sniffed?.type;
    if (draft.thumbnail instanceof Blob) await rememberThumbnail(draft.thumbnail);
    const generate = work !== undefined && draft.thumbnail === undefined;
    // Everything is checked before a byte is sent, with the largest values the unknowns can take.
    const probe: RtmMediaMessageInit = { ...draft };
    if (image) {
      probe.width ??= sniffed?.width ?? PLACEHOLDER_EDGE;
      probe.height ??= sniffed?.height ?? PLACEHOLDER_EDGE;
    }
    mediaToWire(probe);
    // Room for a generated thumbnail: 4 base64 characters per 3 bytes (measured with a 4-character one).
    const withThumbnail = { ...probe, thumbnailWidth: THUMBNAIL_MAX_EDGE_PX, thumbnailHeight: THUMBNAIL_MAX_EDGE_PX };
    const budget = Math.floor((MAX_MESSAGE_BYTES + 4 - messageByteSize(wireFields(withThumbnail, 'AAAA') as unknown as WireMessage)) / 4) * 3;
    if (signal.aborted) throw cancelled();

    const thumbnail: Promise<ImageThumbnail | undefined> =
      generate && budget > 0
        ? work.thumbnailOf(blob, budget, sniffed, signal)
            .then(async (made) => {
              if (made) {
                await rememberThumbnail(made.thumbnail);
                notify(handler.onThumbnail, made);
              }
              return made;
            })
            .catch(() => undefined)
        : Promise.resolve(undefined);
    // No thumbnail made: the pixel size comes from decoding when the header had none.
    const decoded =
      image && !(generate && budget > 0) && !sniffed && (draft.width === undefined || draft.height === undefined)
        ? imageSize(blob)
        : Promise.resolve(undefined);
    const uploading = this.#queue.run(
      () => upload(this.#endpoint, blob, draft.mimeType, signal, (p) => notify(handler.onOperationProgress, p)),
      signal,
    );
    const [result, made, size] = await Promise.all([uploading, thumbnail, decoded]);
    if (signal.aborted) throw cancelled();

    const message: RtmMediaMessageInit = { ...draft, mediaId: result.mediaId, size: result.size ?? blob.size };
    if (image) {
      const shown = made ?? size ?? sniffed;
      message.width ??= shown?.width;
      message.height ??= shown?.height;
    }
    if (made) {
      message.thumbnail = made.thumbnail;
      message.thumbnailWidth = made.thumbnailWidth;
      message.thumbnailHeight = made.thumbnailHeight;
    }
    return mediaFromWire(mediaToWire(message));
  }
}

/** The checks that need no I/O, and the message as far as it is known before the upload. */
function uploadDraft(blob: Blob, params: MediaMessageParams): RtmMediaMessageInit {
  if (!(blob instanceof Blob)) throw new RtmError('INVALID_ARGUMENT', 'Upload a Blob or File.');
  const messageType = params?.messageType;
  if (messageType !== 'IMAGE' && messageType !== 'FILE') {
    throw new RtmError('INVALID_ARGUMENT', 'messageType must be "IMAGE" or "FILE".');
  }
  const refused = checkMediaSize(blob.size);
  if (refused) throw refused;
  const fileName = params.fileName ?? ((blob as Partial<File>).name || messageType.toLowerCase());
  const badName = checkFileName(fileName);
  if (badName) throw badName;
  return {
    ...params,
    messageType,
    mediaId: PLACEHOLDER_ID,
    size: blob.size,
    fileName,
    mimeType: normalizeMediaType(blob.type) ?? '',
  };
}

/** MEDIA_EMPTY or MEDIA_TOO_LARGE for a file size outside 1 byte – 30 MB. */
export function checkMediaSize(size: number): RtmError | undefined {
  if (size < MIN_MEDIA_BYTES) return new RtmError('MEDIA_EMPTY', 'The file is empty.');
  if (size > MAX_MEDIA_BYTES) return new RtmError('MEDIA_TOO_LARGE', `The file is over ${MAX_MEDIA_BYTES} bytes.`);
  return undefined;
}

import {
  RtmError,
  checkFileName,
  checkMediaId,
  checkMediaSize,
  normalizeMediaType,
  type MediaInfo,
} from '../../protocol/index.js';
import { importMediaTransfers } from './load-media-transfers.js';
import type { MediaEndpoint } from './http.js';
import type { MediaTransfers } from './media-transfers.js';
import type { RtmMediaMessage, RtmMediaMessageInit } from './media-message.js';
import type { ImageThumbnail } from './thumbnail.js';
import type { MediaOperationProgress } from './upload.js';
import { notify } from './notify.js';

export { checkMediaSize };

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
  /**
   * Our addition: the thumbnail made for an image, or the poster frame made for a video, as soon
   * as it exists (for a local preview).
   */
  onThumbnail?: (thumbnail: ImageThumbnail) => void;
}

/** The parameters of `createMediaMessageByUploading`. */
export interface MediaMessageParams {
  /** AUDIO (a voice message) and VIDEO are our additions; they carry `durationMs`. */
  messageType: 'IMAGE' | 'FILE' | 'AUDIO' | 'VIDEO';
  /**
   * How long a voice or video message plays, in whole ms (1 … MAX_MEDIA_DURATION_MS). Default:
   * read by the browser from the file (a detached media element; MediaRecorder's WebM included).
   * When it cannot be read (a file the browser cannot decode, a Worker) the upload is refused with
   * INVALID_MESSAGE before a byte is sent: pass it yourself, or send the file as FILE.
   */
  durationMs?: number;
  /** Display name; default: the File's name, else "image" / "file". */
  fileName?: string;
  description?: string;
  /**
   * A thumbnail of your own. Without one, an image gets a generated thumbnail and a video a poster
   * frame from a little after its start (WebP or JPEG, at most THUMBNAIL_MAX_EDGE_PX and
   * THUMBNAIL_TARGET_BYTES; a video the browser cannot decode goes without); a file gets none.
   */
  thumbnail?: Blob | Uint8Array;
  thumbnailWidth?: number;
  thumbnailHeight?: number;
  /** Images and videos: the pixel size to announce; default: read from the file. Yours wins. */
  width?: number;
  height?: number;
}

type Kind = 'upload' | 'download';

/** The longest media id the protocol allows: stands in for the id until the server issues it. */
const PLACEHOLDER_ID = 'A'.repeat(64);
/** The largest pixel size the protocol allows: stands in for one found only by decoding. */

/**
 * The media side of a client: request ids for cancelling (given before a method returns) and the
 * checks that need no I/O, here; the transfers themselves — one queue of MAX_CONCURRENT_TRANSFERS
 * slots, uploads with thumbnails, downloads, the small media API requests — load on first use
 * (media-transfers.ts), since a page that only shows and sends text never needs them.
 * @internal
 */
export class MediaClient {
  readonly #endpoint: MediaEndpoint;
  readonly #requests = new Map<number, { kind: Kind; controller: AbortController }>();
  #lastRequestId = 0;
  #transfers: Promise<MediaTransfers> | undefined;

  constructor(endpoint: MediaEndpoint) {
    this.#endpoint = endpoint;
  }

  /** Uploads `blob` and resolves with the image or file message that names it. */
  upload(blob: Blob, params: MediaMessageParams, handler: MediaUploadHandler = {}): Promise<RtmMediaMessage> {
    let draft: RtmMediaMessageInit;
    try {
      draft = uploadDraft(blob, params);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#track('upload', handler, async (signal) => (await this.#load()).upload(blob, draft, handler, signal));
  }

  /** Downloads a media object as a Blob. */
  download(mediaId: string, handler: MediaTransferHandler = {}): Promise<Blob> {
    const invalid = checkMediaId(mediaId);
    if (invalid) return Promise.reject(invalid);
    return this.#track('download', handler, async (signal) => (await this.#load()).download(mediaId, handler, signal));
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
    return invalid ? Promise.reject(invalid) : this.#load().then((transfers) => transfers.info(mediaId));
  }

  /** A signed URL (absolute) that works without headers, e.g. in `<img src>`; `fileName` names a saved file. */
  async signedUrl(mediaId: string, fileName?: string): Promise<string> {
    const invalid = checkMediaId(mediaId) ?? (fileName === undefined ? undefined : checkFileName(fileName));
    if (invalid) throw invalid;
    return (await this.#load()).signedUrl(mediaId, fileName);
  }

  /** The transfers, loaded once (again after a failed load). */
  #load(): Promise<MediaTransfers> {
    return (this.#transfers ??= importMediaTransfers().then(
      (module) => module.createMediaTransfers(this.#endpoint),
      (error: unknown) => {
        this.#transfers = undefined;
        throw new RtmError('MEDIA_TRANSFER_FAILED', `Could not load the media transfers: ${String(error)}`);
      },
    ));
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
}

/** The checks that need no I/O, and the message as far as it is known before the upload. */
function uploadDraft(blob: Blob, params: MediaMessageParams): RtmMediaMessageInit {
  if (!(blob instanceof Blob)) throw new RtmError('INVALID_ARGUMENT', 'Upload a Blob or File.');
  const messageType = params?.messageType;
  if (messageType !== 'IMAGE' && messageType !== 'FILE' && messageType !== 'AUDIO' && messageType !== 'VIDEO') {
    throw new RtmError('INVALID_ARGUMENT', 'messageType must be "IMAGE", "FILE", "AUDIO" or "VIDEO".');
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

import {
  MAX_CONCURRENT_TRANSFERS,
  MAX_IMAGE_EDGE_PX,
  MAX_MESSAGE_BYTES,
  MediaPaths,
  THUMBNAIL_MAX_EDGE_PX,
  messageByteSize,
  type MediaInfo,
  type SignedMediaUrl,
  type WireMessage,
} from '../../protocol/index.js';
import { download } from './download.js';
import { requestJson, type MediaEndpoint } from './http.js';
import { imageSize } from './image-info.js';
import { imageWork } from './images-on-demand.js';
import type { MediaTransferHandler, MediaUploadHandler } from './media-client.js';
import {
  mediaFromWire,
  mediaToWire,
  rememberThumbnail,
  wireFields,
  type RtmMediaMessage,
  type RtmMediaMessageInit,
} from './media-message.js';
import { notify } from './notify.js';
import type { ImageThumbnail } from './thumbnail.js';
import { TransferQueue, cancelled } from './transfer-queue.js';
import { upload } from './upload.js';

/** A header may claim any size; a message may carry at most this per edge. */
const PLACEHOLDER_EDGE = MAX_IMAGE_EDGE_PX;

/**
 * A client's media transfers, loaded on its first media call (media-client.ts keeps the request
 * ids and the checks that need no I/O): uploads (with the image's size and a generated
 * thumbnail; a video's size, duration and poster frame; a recording's duration) and downloads through one queue of MAX_CONCURRENT_TRANSFERS slots, and the media
 * info and signed-URL requests. In the script-tag build this is the companion file
 * dist/rtm-chat.media.js.
 */
export interface MediaTransfers {
  upload(blob: Blob, draft: RtmMediaMessageInit, handler: MediaUploadHandler, signal: AbortSignal): Promise<RtmMediaMessage>;
  download(mediaId: string, handler: MediaTransferHandler, signal: AbortSignal): Promise<Blob>;
  info(mediaId: string): Promise<MediaInfo>;
  signedUrl(mediaId: string, fileName: string | undefined): Promise<string>;
}

export function createMediaTransfers(endpoint: MediaEndpoint): MediaTransfers {
  const queue = new TransferQueue(MAX_CONCURRENT_TRANSFERS);

  async function uploadWithThumbnail(
    blob: Blob,
    draft: RtmMediaMessageInit,
    handler: MediaUploadHandler,
    signal: AbortSignal,
  ): Promise<RtmMediaMessage> {
    const type = draft.messageType;
    const image = type === 'IMAGE';
    const video = type === 'VIDEO';
    const generate = draft.thumbnail === undefined;
    // A recording's duration and a video's poster frame come from a media element, in the image
    // work too; a caller who passed both needs neither.
    const probe = (type === 'AUDIO' || video) && (draft.durationMs === undefined || (video && generate));
    // Without the image work (it could not be loaded) the image or video goes without a thumbnail.
    const work = image || probe ? await imageWork() : undefined;
    const media = probe ? await work?.probeMedia(blob, signal) : undefined;
    try {
      // A cancelled probe finds no duration: say CANCELLED, not that the duration is missing.
      if (signal.aborted) throw cancelled();
      let sniffed = image ? await work?.sniffImage(blob) : undefined;
      // A header may claim any size; a message may carry at most PLACEHOLDER_EDGE per edge.
      if (sniffed && Math.max(sniffed.width, sniffed.height) > PLACEHOLDER_EDGE) sniffed = undefined;
      draft.mimeType ||= sniffed?.type;
      // Still none (a browser that cannot decode it, a Worker): the check below refuses it with
      // INVALID_MESSAGE before a byte is sent.
      draft.durationMs ??= media?.durationMs;
      if (video) {
        draft.width ??= media?.size?.width;
        draft.height ??= media?.size?.height;
      }
      if (draft.thumbnail instanceof Blob) await rememberThumbnail(draft.thumbnail);
      // Everything is checked before a byte is sent, with the largest values the unknowns can take.
      const check: RtmMediaMessageInit = { ...draft };
      if (image) {
        check.width ??= sniffed?.width ?? PLACEHOLDER_EDGE;
        check.height ??= sniffed?.height ?? PLACEHOLDER_EDGE;
      }
      mediaToWire(check);
      // Room for a generated thumbnail: 4 base64 characters per 3 bytes (measured with a 4-character one).
      const withThumbnail = { ...check, thumbnailWidth: THUMBNAIL_MAX_EDGE_PX, thumbnailHeight: THUMBNAIL_MAX_EDGE_PX };
      const budget = Math.floor((MAX_MESSAGE_BYTES + 4 - messageByteSize(wireFields(withThumbnail, 'AAAA') as unknown as WireMessage)) / 4) * 3;
      if (signal.aborted) throw cancelled();

      // A poster that cannot be made (a video the browser cannot decode) leaves the video without one.
      const making = !generate || budget <= 0 ? undefined : image ? work?.thumbnailOf(blob, budget, sniffed, signal) : media?.poster(budget, signal);
      const thumbnail: Promise<ImageThumbnail | undefined> = making
        ? making
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
        image && !(work && generate && budget > 0) && !sniffed && (draft.width === undefined || draft.height === undefined)
          ? imageSize(blob)
          : Promise.resolve(undefined);
      const uploading = queue.run(
        () => upload(endpoint, blob, draft.mimeType, signal, (p) => notify(handler.onOperationProgress, p)),
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
    } finally {
      media?.close();
    }
  }

  return {
    upload: uploadWithThumbnail,
    download: (mediaId, handler, signal) =>
      queue.run(() => download(endpoint, mediaId, signal, (p) => notify(handler.onOperationProgress, p)), signal),
    info: (mediaId) => requestJson<MediaInfo>(endpoint, 'GET', MediaPaths.info(mediaId)),
    async signedUrl(mediaId, fileName) {
      const query = fileName === undefined ? '' : `?name=${encodeURIComponent(fileName)}`;
      const signed = await requestJson<SignedMediaUrl>(endpoint, 'POST', MediaPaths.signedUrl(mediaId) + query);
      return new URL(signed.url, endpoint.server).toString();
    },
  };
}

import { importImageWork, type ImageWork } from './load-image-work.js';
import type { ImageThumbnail } from './thumbnail.js';

let loading: Promise<ImageWork | undefined> | undefined;

/**
 * The image work of sending, loaded once per page when the first image is sent. Undefined, after
 * one warning, when it cannot be loaded: images are then sent without a thumbnail, with the size
 * the browser decodes.
 */
export function imageWork(): Promise<ImageWork | undefined> {
  return (loading ??= importImageWork().catch((error: unknown) => {
    console.warn('rtm-chat: rtm-chat.images.js did not load; images are sent without a thumbnail', error);
    return undefined;
  }));
}

/**
 * Makes a small thumbnail of an image, at most THUMBNAIL_MAX_EDGE_PX on its longest edge and at
 * most `maxBytes` (default THUMBNAIL_TARGET_BYTES), keeping the aspect ratio. The decoding and
 * the downscale run off the main thread (`createImageBitmap` with `resizeWidth`/`resizeHeight`),
 * the small bitmap is drawn to an OffscreenCanvas (a canvas element where there is none) and
 * encoded with falling quality, then falling size, until it fits. Resolves undefined when the
 * image cannot be decoded or no thumbnail fits (or the thumbnail maker could not be loaded).
 *
 * @example
 * const thumb = await createThumbnail(file);
 * if (thumb) img.src = URL.createObjectURL(thumb.thumbnail);
 */
export async function createThumbnail(image: Blob, maxBytes?: number): Promise<ImageThumbnail | undefined> {
  return (await imageWork())?.thumbnailOf(image, maxBytes);
}

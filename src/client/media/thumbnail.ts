import { THUMBNAIL_MAX_EDGE_PX, THUMBNAIL_TARGET_BYTES, type ImageSize } from '../../protocol/index.js';
import { sniffImage } from './image-header.js';
import { decodeImage, imageSize } from './image-info.js';
import { TransferQueue } from './transfer-queue.js';

/** A generated thumbnail. */
export interface ImageThumbnail {
  /** WebP (JPEG where the browser cannot encode WebP). */
  thumbnail: Blob;
  thumbnailWidth: number;
  thumbnailHeight: number;
  /** The picture's own size as decoded (EXIF orientation applied). */
  width: number;
  height: number;
}

/** Encoder qualities tried in turn at each size, before the size shrinks. */
const QUALITIES = [0.8, 0.6, 0.4, 0.25];
/** How much the longest edge shrinks per step once no quality fits the budget. */
const SHRINK = 0.7;
/** Below this edge a thumbnail shows nothing worth the bytes: send none. */
const MIN_EDGE_PX = 24;

/**
 * Decoding a 12-megapixel photo takes ~50 MB: decode two at a time however many files are sent
 * (video posters take their turn here too).
 */
export const decoding = new TransferQueue(2);

/**
 * Makes a thumbnail of at most `maxBytes` (THUMBNAIL_TARGET_BYTES at most): see createThumbnail in
 * images-on-demand.ts. `size`: the header's, when read already; `signal` takes it out of the line.
 */
export function thumbnailOf(
  image: Blob,
  maxBytes = THUMBNAIL_TARGET_BYTES,
  size?: ImageSize,
  signal?: AbortSignal,
): Promise<ImageThumbnail | undefined> {
  return decoding.run(() => generate(image, Math.min(maxBytes, THUMBNAIL_TARGET_BYTES), size), signal);
}

async function generate(image: Blob, maxBytes: number, size: ImageSize | undefined): Promise<ImageThumbnail | undefined> {
  // Without a size from the header, decode once just for it: resizing an ImageBitmap runs on the
  // main thread (~17 ms for 12 megapixels), decoding a Blob does not.
  size ??= (await sniffImage(image)) ?? (await imageSize(image));
  if (!size) return undefined;
  const small = await decodeImage(image, { ...thumbnailResize(size), resizeQuality: 'medium' });
  if (!small) return undefined;
  // EXIF may turn the picture: report the size as shown.
  const rotated = (size.width - size.height) * (small.width - small.height) < 0;
  try {
    return await encodeThumbnail(small, rotated ? { width: size.height, height: size.width } : size, maxBytes);
  } finally {
    small.close();
  }
}

/**
 * The decode options that scale a picture of `size` to THUMBNAIL_MAX_EDGE_PX at most. Only the
 * longest edge is named: the other follows the decoded picture's own aspect ratio, which differs
 * from the header's when EXIF rotates it.
 */
export function thumbnailResize(size: ImageSize): ImageBitmapOptions {
  const scale = Math.min(1, THUMBNAIL_MAX_EDGE_PX / Math.max(size.width, size.height));
  return size.width >= size.height
    ? { resizeWidth: Math.max(1, Math.round(size.width * scale)) }
    : { resizeHeight: Math.max(1, Math.round(size.height * scale)) };
}

/**
 * Encodes a small bitmap (already at most THUMBNAIL_MAX_EDGE_PX, see thumbnailResize) as a
 * thumbnail of at most `maxBytes`: WebP (JPEG where the browser has no WebP encoder) with falling
 * quality, then falling size, until it fits. `size` is the original's, reported as width/height.
 * Undefined when nothing fits. The caller closes `small`.
 */
export async function encodeThumbnail(small: ImageBitmap, size: ImageSize, maxBytes: number): Promise<ImageThumbnail | undefined> {
  let type = 'image/webp';
  let edge = Math.min(THUMBNAIL_MAX_EDGE_PX, Math.max(small.width, small.height));
  for (;;) {
    const ratio = edge / Math.max(small.width, small.height);
    const w = Math.max(1, Math.round(small.width * ratio));
    const h = Math.max(1, Math.round(small.height * ratio));
    const canvas = makeCanvas(w, h);
    if (!canvas) return undefined;
    canvas.draw(small);
    for (const quality of QUALITIES) {
      let blob = await canvas.encode(type, quality);
      // A browser without a WebP encoder hands back PNG: use JPEG from then on.
      if (blob && blob.type !== type) blob = await canvas.encode((type = 'image/jpeg'), quality);
      if (!blob) return undefined;
      if (blob.size <= maxBytes) {
        return { thumbnail: blob, thumbnailWidth: w, thumbnailHeight: h, width: size.width, height: size.height };
      }
    }
    if (edge <= MIN_EDGE_PX) return undefined;
    edge = Math.max(MIN_EDGE_PX, Math.floor(edge * SHRINK));
  }
}

interface Canvas {
  draw(bitmap: ImageBitmap): void;
  encode(type: string, quality: number): Promise<Blob | null>;
}

/** An OffscreenCanvas (pages and Workers), else a canvas element, else undefined. */
function makeCanvas(width: number, height: number): Canvas | undefined {
  let canvas: OffscreenCanvas | HTMLCanvasElement;
  if (typeof OffscreenCanvas === 'function') canvas = new OffscreenCanvas(width, height);
  else if (typeof document === 'object') {
    canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
  } else return undefined;
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!context) return undefined;
  context.imageSmoothingQuality = 'high';
  return {
    draw: (bitmap) => context.drawImage(bitmap, 0, 0, width, height),
    encode: (type, quality) =>
      'convertToBlob' in canvas
        ? canvas.convertToBlob({ type, quality }).catch(() => null)
        : new Promise((resolve) => canvas.toBlob(resolve, type, quality)),
  };
}

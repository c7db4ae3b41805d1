import type { ImageSize } from '../../protocol/index.js';

/** Decodes `blob` (off the main thread) to an ImageBitmap; undefined when the browser cannot. */
export async function decodeImage(blob: Blob, options?: ImageBitmapOptions): Promise<ImageBitmap | undefined> {
  if (typeof createImageBitmap !== 'function') return undefined;
  try {
    return await createImageBitmap(blob, options);
  } catch {
    return undefined;
  }
}

/** The pixel size from decoding the image; undefined when the browser cannot. */
export async function imageSize(blob: Blob): Promise<ImageSize | undefined> {
  const bitmap = await decodeImage(blob);
  if (!bitmap) return undefined;
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close(); // a closed bitmap reports 0 × 0
  return size;
}

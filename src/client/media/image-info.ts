import { IMAGE_SIZE_SNIFF_BYTES, readImageSize, type ImageSize, type SniffedImage } from '../../protocol/index.js';

/** Type and pixel size from the file header (no decoding), or undefined when the header says nothing. */
export async function sniffImage(blob: Blob): Promise<SniffedImage | undefined> {
  return readImageSize(new Uint8Array(await blob.slice(0, IMAGE_SIZE_SNIFF_BYTES).arrayBuffer()));
}

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

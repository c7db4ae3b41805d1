import { IMAGE_SIZE_SNIFF_BYTES, readImageSize, type SniffedImage } from '../../protocol/index.js';

/** Type and pixel size from the file header (no decoding), or undefined when the header says nothing. */
export async function sniffImage(blob: Blob): Promise<SniffedImage | undefined> {
  return readImageSize(new Uint8Array(await blob.slice(0, IMAGE_SIZE_SNIFF_BYTES).arrayBuffer()));
}

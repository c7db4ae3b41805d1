import { ascii, imageTypeOf, startsWith, type SniffedImageType } from './image-type.js';
import type { ImageSize } from './media.js';

/**
 * Image dimensions from file headers, without decoding a pixel. The server fills `width`/`height`
 * of an upload with it, and the client uses it before an upload so the view can reserve space.
 * Isomorphic: only Uint8Array and DataView.
 */

/** What {@link readImageSize} returns: the size plus the type the header proves. */
export type SniffedImage = ImageSize & { type: SniffedImageType };

/**
 * How many leading bytes to hand {@link readImageSize}. PNG, GIF, BMP and WebP need at most 30;
 * a JPEG needs everything up to its SOF segment, which comes after any APPn metadata (EXIF with an
 * embedded preview, ICC profiles, XMP). 64 KiB — one APPn segment's maximum — covers nearly all
 * photos; a JPEG whose SOF lies further in yields `undefined` from a prefix this long, and the
 * caller may retry with more bytes (or the whole file).
 */
export const IMAGE_SIZE_SNIFF_BYTES = 64 * 1024;

/**
 * Reads the pixel size of a JPEG, PNG, GIF, BMP or WebP (VP8, VP8L, VP8X) from its first bytes.
 * Returns `undefined` for any other format, for a truncated header, and for a header whose size is
 * zero or nonsensical — never throws.
 *
 * @example
 * const head = new Uint8Array(await file.slice(0, IMAGE_SIZE_SNIFF_BYTES).arrayBuffer());
 * const image = readImageSize(head); // { type: 'image/png', width: 640, height: 480 } | undefined
 */
export function readImageSize(bytes: Uint8Array): SniffedImage | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = imageTypeOf(bytes);
  const size = type && sizeReaders[type](bytes, view);
  if (!type || !size || !isDimension(size.width) || !isDimension(size.height)) return undefined;
  return { type, width: size.width, height: size.height };
}

/** Reads the size from a header whose signature is its type's; undefined for a truncated or broken one. */
type SizeReader = (bytes: Uint8Array, view: DataView) => ImageSize | undefined;

// 2^31 - 1: PNG's own ceiling, and far above anything real; rejects sign-flipped garbage.
const MAX_DIMENSION = 0x7fffffff;

function isDimension(value: number): boolean {
  return Number.isInteger(value) && value > 0 && value <= MAX_DIMENSION;
}

const IHDR = ascii('IHDR');

// The first chunk must be IHDR (length 13): width and height as big-endian uint32.
const readPngSize: SizeReader = (bytes, view) => {
  if (bytes.length < 24 || !startsWith(bytes, IHDR, 12)) return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

// The logical screen descriptor follows the 6-byte signature: little-endian uint16 each.
const readGifSize: SizeReader = (bytes, view) => {
  if (bytes.length < 10) return undefined;
  return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
};

// After the 14-byte file header comes the DIB header, whose first field is its own size.
const readBmpSize: SizeReader = (bytes, view) => {
  if (bytes.length < 18) return undefined;
  const headerSize = view.getUint32(14, true);
  if (headerSize === 12) {
    // BITMAPCOREHEADER (OS/2 1.x): unsigned 16-bit width and height.
    if (bytes.length < 22) return undefined;
    return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  }
  // BITMAPINFOHEADER (40) and its V4/V5 and OS/2 2.x (16–64) relatives: signed 32-bit; a
  // negative height means the rows are stored top-down — the picture is the same size.
  if (headerSize < 16 || bytes.length < 26) return undefined;
  return { width: view.getInt32(18, true), height: Math.abs(view.getInt32(22, true)) };
};

// The first chunk after "WEBP" says which bitstream follows; its payload starts at byte 20.
const readWebpSize: SizeReader = (bytes, view) => {
  if (startsWith(bytes, ascii('VP8 '), 12)) {
    // Lossy: a 3-byte frame tag (bit 0 clear on a key frame), start code 9D 01 2A, then 14-bit
    // width and height (the top 2 bits are a scaling hint, not size).
    if (bytes.length < 30 || (bytes[20]! & 1) !== 0 || !startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) return undefined;
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (startsWith(bytes, ascii('VP8L'), 12)) {
    // Lossless: signature byte 0x2F, then width-1 and height-1 as 14-bit fields, LSB first.
    if (bytes.length < 25 || bytes[20] !== 0x2f) return undefined;
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (startsWith(bytes, ascii('VP8X'), 12)) {
    // Extended: flags and 3 reserved bytes, then canvas width-1 and height-1 as 24-bit LE.
    if (bytes.length < 30) return undefined;
    return { width: uint24(bytes, 24) + 1, height: uint24(bytes, 27) + 1 };
  }
  return undefined;
};

function uint24(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
}

/**
 * Walks the marker segments after SOI until a start-of-frame. Markers are 0xFF plus a code, and
 * any number of extra 0xFF fill bytes may precede the code. Standalone markers (TEM, RST0–7, SOI)
 * carry no length; every other segment has a big-endian length that counts itself.
 */
function readJpegSize(bytes: Uint8Array, view: DataView): ImageSize | undefined {
  let at = 2;
  while (at < bytes.length) {
    // Like libjpeg, tolerate stray bytes between segments by scanning to the next 0xFF.
    if (bytes[at] !== 0xff) {
      at += 1;
      continue;
    }
    while (at < bytes.length && bytes[at] === 0xff) at += 1; // fill bytes
    if (at >= bytes.length) return undefined;
    const marker = bytes[at]!;
    at += 1;
    if (marker === 0x00) continue; // a stuffed 0xFF00 is data, not a marker
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    // EOI, or SOS: entropy-coded data follows; a frame header should have come before either.
    if (marker === 0xd9 || marker === 0xda) return undefined;
    if (at + 2 > bytes.length) return undefined;
    const length = view.getUint16(at);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      // SOFn: length, sample precision (1 byte), height, width. Height 0 means "defined later
      // by a DNL segment" — unknown from the header, so undefined.
      if (length < 7 || at + 7 > bytes.length) return undefined;
      return { width: view.getUint16(at + 5), height: view.getUint16(at + 3) };
    }
    at += length;
  }
  return undefined;
}

/** SOF0–SOF15, except C4 (DHT), C8 (JPG extension) and CC (DAC), which share that range. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

const sizeReaders: Record<SniffedImageType, SizeReader> = {
  'image/png': readPngSize,
  'image/jpeg': readJpegSize,
  'image/gif': readGifSize,
  'image/webp': readWebpSize,
  'image/bmp': readBmpSize,
};

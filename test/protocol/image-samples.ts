/**
 * Minimal image files built byte by byte, for the header sniffer and the media upload tests.
 * Each is a valid header of its format (enough for any header reader), followed by a little filler
 * instead of real pixel data.
 */

function bytes(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((part) =>
    typeof part === 'string' ? Uint8Array.from(part, (ch) => ch.charCodeAt(0)) : Uint8Array.from(part),
  );
  const out = new Uint8Array(arrays.reduce((sum, a) => sum + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

const u16be = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const u16le = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff];
const filler = (n: number) => new Uint8Array(n).fill(0x5a);

/** PNG signature + IHDR chunk (8-bit RGBA) + IEND. */
export function png(width: number, height: number): Uint8Array {
  return bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    u32be(13), 'IHDR', u32be(width), u32be(height), [8, 6, 0, 0, 0], u32be(0 /* CRC, not checked */),
    u32be(0), 'IEND', [0xae, 0x42, 0x60, 0x82],
  );
}

/** GIF89a header and logical screen descriptor, then the trailer. */
export function gif(width: number, height: number, version: '87a' | '89a' = '89a'): Uint8Array {
  return bytes(`GIF${version}`, u16le(width), u16le(height), [0, 0, 0], [0x3b]);
}

/** BMP with a 40-byte BITMAPINFOHEADER; a negative height is a top-down bitmap. */
export function bmp(width: number, height: number): Uint8Array {
  const info = bytes(u32le(40), u32le(width >>> 0), u32le(height >>> 0), u16le(1), u16le(24), u32le(0), u32le(0), u32le(2835), u32le(2835), u32le(0), u32le(0));
  return bytes('BM', u32le(14 + 40 + 16), [0, 0, 0, 0], u32le(54), info, filler(16));
}

/** BMP with the 12-byte OS/2 BITMAPCOREHEADER (16-bit width and height). */
export function bmpCore(width: number, height: number): Uint8Array {
  return bytes('BM', u32le(14 + 12 + 8), [0, 0, 0, 0], u32le(26), u32le(12), u16le(width), u16le(height), u16le(1), u16le(24), filler(8));
}

function riff(chunk: string, payload: Uint8Array): Uint8Array {
  const padded = payload.length % 2 ? bytes(payload, [0]) : payload;
  return bytes('RIFF', u32le(4 + 8 + padded.length), 'WEBP', chunk, u32le(payload.length), padded);
}

/** Lossy WebP: a VP8 key frame header. */
export function webpLossy(width: number, height: number): Uint8Array {
  const frameTag = [0x10, 0x02, 0x00]; // key frame (bit 0 = 0), version 0, shown
  return riff('VP8 ', bytes(frameTag, [0x9d, 0x01, 0x2a], u16le(width), u16le(height), filler(10)));
}

/** Lossless WebP: VP8L signature and the packed 14-bit sizes. */
export function webpLossless(width: number, height: number): Uint8Array {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14); // alpha and version bits 0
  return riff('VP8L', bytes([0x2f], u32le(bits >>> 0), filler(6)));
}

/** Extended WebP: a VP8X chunk with the canvas size, then a (tiny) VP8L chunk. */
export function webpExtended(width: number, height: number): Uint8Array {
  const vp8x = bytes([0x10, 0, 0, 0], u24le(width - 1), u24le(height - 1));
  const inner = webpLossless(1, 1).subarray(12);
  return bytes('RIFF', u32le(4 + 8 + vp8x.length + inner.length), 'WEBP', 'VP8X', u32le(vp8x.length), vp8x, inner);
}

function segment(marker: number, payload: Uint8Array | number[]): Uint8Array {
  const body = Uint8Array.from(payload);
  return bytes([0xff, marker], u16be(body.length + 2), body);
}

export interface JpegOptions {
  /** SOF marker: 0xC0 baseline (default), 0xC2 progressive, … */
  sof?: number;
  /** Payload bytes of an APP1 (EXIF-like) segment placed before the frame header (≤ 65533). */
  app1Bytes?: number;
  /** How many such APP1 segments (default 1). */
  app1Count?: number;
  /** 0xFF fill bytes before the SOF marker code. */
  fillBytes?: number;
}

/** SOI, JFIF APP0, optional APP1, DQT, DHT (0xC4 — looks like a SOF but is not), SOFn, SOS, EOI. */
export function jpeg(width: number, height: number, options: JpegOptions = {}): Uint8Array {
  const app0 = segment(0xe0, bytes('JFIF\0', [1, 1, 0], u16be(72), u16be(72), [0, 0]));
  const one = options.app1Bytes ? segment(0xe1, bytes('Exif\0\0', filler(options.app1Bytes - 6))) : new Uint8Array(0);
  const app1 = bytes(...Array.from({ length: options.app1Count ?? 1 }, () => one));
  const dqt = segment(0xdb, bytes([0], filler(64)));
  const dht = segment(0xc4, bytes([0], new Uint8Array(16), []));
  const sofBody = bytes([8], u16be(height), u16be(width), [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const fill = new Uint8Array(options.fillBytes ?? 0).fill(0xff);
  const sof = bytes(fill, segment(options.sof ?? 0xc0, sofBody));
  const sos = segment(0xda, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]);
  return bytes([0xff, 0xd8], app0, app1, dqt, dht, sof, sos, filler(32), [0xff, 0xd9]);
}

/** An SVG document (text, not a raster: never served inline). */
export const svg = (): Uint8Array =>
  new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');

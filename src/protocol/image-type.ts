/**
 * Which image format a file is, from its first bytes (its signature), without reading any size.
 * Small on purpose: the widget types every received thumbnail with it, while the header parser
 * that also reads the size (image-size.ts) is needed only when sending an image.
 */

/** The image types the signatures identify. */
export type SniffedImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/bmp' | 'image/webp';

/** Whether `bytes` holds `prefix` at `at`. @internal */
export function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

/** The character codes of ASCII `text`. @internal */
export function ascii(text: string): number[] {
  return [...text].map((ch) => ch.charCodeAt(0));
}

const signatures: ReadonlyArray<readonly [SniffedImageType, (bytes: Uint8Array) => boolean]> = [
  ['image/png', (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', (bytes) => startsWith(bytes, [0xff, 0xd8])],
  ['image/gif', (bytes) => startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))],
  ['image/webp', (bytes) => startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)],
  ['image/bmp', (bytes) => startsWith(bytes, ascii('BM'))],
];

/**
 * The type a JPEG, PNG, GIF, BMP or WebP signature proves; undefined for anything else.
 *
 * @example
 * imageTypeOf(new Uint8Array([0xff, 0xd8, 0xff])); // 'image/jpeg'
 */
export function imageTypeOf(bytes: Uint8Array): SniffedImageType | undefined {
  return signatures.find(([, matches]) => matches(bytes))?.[0];
}

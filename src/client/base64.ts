/**
 * Base64 for RAW message payloads, with `btoa`/`atob` only (no Node `Buffer`), so it works in pages
 * and Workers alike.
 */

// String.fromCharCode(...bytes) overflows the call stack for large arrays; 32 KB is the message cap,
// so chunking is only a guard, but a cheap one.
const CHUNK = 0x8000;

/** Base64 (standard alphabet, padded) of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** The bytes of a base64 string. Throws a DOMException for invalid base64. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

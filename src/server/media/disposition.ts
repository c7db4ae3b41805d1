/**
 * `Content-Disposition` with a display file name (RFC 6266): an ASCII-only `filename` for old
 * clients and `filename*` (RFC 8187/5987, UTF-8, percent-encoded) that current browsers prefer.
 * The name was validated with checkFileName (no controls, no bidi overrides); what is left to do is
 * keep it from breaking the header's syntax.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  return `${kind}; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

/**
 * Printable ASCII except `"` and `\` (quoted-string specials) and `%` (some clients percent-decode
 * `filename`); anything else becomes `_`. Astral characters count as one.
 */
function asciiFallback(name: string): string {
  return [...name].map((ch) => (/^[\x20-\x7e]$/.test(ch) && !'"\\%'.includes(ch) ? ch : '_')).join('');
}

/** encodeURIComponent leaves `'()*` alone, but they are not RFC 8187 attr-chars. */
function encodeRfc8187(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

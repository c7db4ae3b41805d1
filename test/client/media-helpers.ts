// Browser-test helpers for media: a tap on XMLHttpRequest (the upload boundary) that counts
// requests in flight, images generated with OffscreenCanvas, and byte comparison.

/** What the XHR tap saw. */
export interface XhrTap {
  /** Requests sent so far (each `send()`). */
  readonly sent: number;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  /** How each request ended: 'load' with its status, 'abort' or 'error'. */
  readonly ended: string[];
  /**
   * Called in each `send()`, before the request goes out, with the count so far: a test can act
   * at an exact request without polling (a poll can miss a count that lasts a few milliseconds).
   */
  onSend: ((sent: number) => void) | undefined;
  /** Puts the real XMLHttpRequest back. */
  restore(): void;
}

/** Replaces the global XMLHttpRequest with a counting subclass until `restore()`. */
export function tapXhr(): XhrTap {
  const Original = globalThis.XMLHttpRequest;
  const tap: XhrTap & { sent: number; inFlight: number; maxInFlight: number } = {
    sent: 0,
    inFlight: 0,
    maxInFlight: 0,
    ended: [],
    onSend: undefined,
    restore: () => (globalThis.XMLHttpRequest = Original),
  };
  class CountingXhr extends Original {
    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      tap.sent++;
      tap.onSend?.(tap.sent);
      tap.inFlight++;
      tap.maxInFlight = Math.max(tap.maxInFlight, tap.inFlight);
      // Done at readyState 4, which comes before the load/abort/error events: the client's own
      // onload (registered first) may start the next request before a load listener here runs.
      this.addEventListener('readystatechange', () => {
        if (this.readyState === 4) tap.inFlight--;
      });
      for (const end of ['load', 'abort', 'error'] as const) {
        this.addEventListener(end, () => tap.ended.push(end === 'load' ? `load ${this.status}` : end));
      }
      super.send(body);
    }
  }
  globalThis.XMLHttpRequest = CountingXhr;
  return tap;
}

/** `size` pseudo-random bytes (xorshift: fast, and incompressible enough). */
export function randomBytes(size: number, seed = 0x9e3779b9): Uint8Array {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < size; i++) bytes[i] = i & 0xff;
  return bytes;
}

/** A file of random bytes. */
export function randomFile(size: number, name = 'data.bin', type = 'application/octet-stream'): File {
  return new File([randomBytes(size) as BlobPart], name, { type });
}

/** An image of per-pixel noise (compresses badly), encoded by the browser. */
export async function noiseImage(width: number, height: number, type = 'image/jpeg', quality = 0.92): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(width, height);
  const words = new Uint32Array(pixels.data.buffer);
  const noise = randomBytes(words.length * 4);
  const noiseWords = new Uint32Array(noise.buffer);
  // Opaque: alpha 255 in every pixel (little-endian RGBA).
  for (let i = 0; i < words.length; i++) words[i] = noiseWords[i]! | 0xff000000;
  context.putImageData(pixels, 0, 0);
  return canvas.convertToBlob({ type, quality });
}

/** A small flat-colour PNG. */
export async function smallPng(width = 64, height = 48, colour = '#3a7'): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  context.fillStyle = colour;
  context.fillRect(0, 0, width, height);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** SHA-256 of a Blob or bytes, hex. */
export async function sha256(data: Blob | Uint8Array): Promise<string> {
  const buffer = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The pixel size of an encoded image, by decoding it. */
export async function decodedSize(blob: Blob): Promise<{ width: number; height: number }> {
  const bitmap = await createImageBitmap(blob);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

/**
 * A JPEG whose frame header lies beyond the first IMAGE_SIZE_SNIFF_BYTES (big APP15 segments
 * after SOI), so the header sniff finds no size but the browser still decodes it.
 */
export async function jpegWithFarFrameHeader(width: number, height: number, padding = 80 * 1024): Promise<Blob> {
  const jpeg = new Uint8Array(await (await noiseImage(width, height)).arrayBuffer());
  const segments: Uint8Array[] = [jpeg.subarray(0, 2)];
  for (let left = padding; left > 0; left -= 65533) {
    const length = Math.min(65533, left);
    const segment = new Uint8Array(length + 2);
    segment.set([0xff, 0xef, (length + 2) >> 8, (length + 2) & 0xff]);
    segments.push(segment.subarray(0, 4), new Uint8Array(length - 2));
  }
  segments.push(jpeg.subarray(2));
  return new Blob(segments as BlobPart[], { type: 'image/jpeg' });
}

/**
 * A real WebM video made in the page: a canvas whose colour and frame number change, captured
 * with `captureStream()` and recorded with MediaRecorder for about `ms`. Like any MediaRecorder
 * WebM its header has no duration (a media element says Infinity until it has read to the end).
 */
export async function recordedVideo(ms = 1500, width = 640, height = 360): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const draw = (): void => {
    context.fillStyle = `hsl(${(frame * 12) % 360} 70% 50%)`;
    context.fillRect(0, 0, width, height);
    context.fillStyle = '#fff';
    context.font = `${Math.round(height / 4)}px sans-serif`;
    context.fillText(String(frame++), width / 8, height / 2);
  };
  draw();
  const stream = canvas.captureStream(30);
  const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const timer = setInterval(draw, 33);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start(100);
  await new Promise((resolve) => setTimeout(resolve, ms));
  recorder.stop();
  await stopped;
  clearInterval(timer);
  for (const track of stream.getTracks()) track.stop();
  return new Blob(chunks, { type: 'video/webm' });
}

/**
 * A WAV file of a sine tone lasting exactly `ms` (8 kHz mono, 16-bit PCM), written byte by byte:
 * headless Chromium keeps an AudioContext suspended without a user gesture, so nothing can be
 * recorded from one.
 */
export function toneWav(ms = 1500, name = 'tone.wav'): File {
  const rate = 8000;
  const samples = Math.round((rate * ms) / 1000);
  const view = new DataView(new ArrayBuffer(44 + samples * 2));
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), true);
  return new File([view.buffer], name, { type: 'audio/wav' });
}

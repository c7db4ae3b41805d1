import type { ImageSize } from '../../protocol/index.js';
import { decoding, encodeThumbnail, thumbnailResize, type ImageThumbnail } from './thumbnail.js';

/** An audio or video file opened in a detached media element: what its metadata says, and its poster. */
export interface ProbedMedia {
  /** How long it plays, in whole ms (at least 1); undefined when the browser cannot tell. */
  readonly durationMs: number | undefined;
  /** The video's pixel size; undefined for audio (or a video track the browser cannot decode). */
  readonly size: ImageSize | undefined;
  /**
   * A poster frame a little after the start (min(1 s, a tenth of it): the very first frame of a
   * recording is often black), as a thumbnail of at most `maxBytes` with the image thumbnail
   * rules. Undefined when there is no picture or it cannot be drawn; never rejects.
   */
  poster(maxBytes: number, signal?: AbortSignal): Promise<ImageThumbnail | undefined>;
  /** Lets go of the element and its object URL. */
  close(): void;
}

/**
 * How long one step (metadata, a seek, a frame) may take. A blob: URL answers in milliseconds;
 * this only bounds a file the decoder chokes on without saying so.
 */
const STEP_TIMEOUT_MS = 10_000;

/** Past any real end: Chromium then reads the whole file and learns how long it is. */
const FAR_PAST_THE_END_S = 1e101;

/**
 * Opens an audio or video Blob in a detached, muted `<video>` (it plays audio too) to read its
 * duration, pixel size and a poster frame. Undefined when the browser cannot decode it, or where
 * there is no DOM (a Worker); never rejects.
 */
export async function probeMedia(blob: Blob, signal?: AbortSignal): Promise<ProbedMedia | undefined> {
  if (typeof document !== 'object') return undefined;
  const video = document.createElement('video');
  const url = URL.createObjectURL(blob);
  const close = (): void => {
    video.removeAttribute('src');
    video.load(); // frees the decoder now rather than at garbage collection
    URL.revokeObjectURL(url);
  };
  try {
    video.muted = true;
    video.preload = 'metadata';
    video.src = url;
    if ((await step(video, 'loadedmetadata', signal)) !== 'loadedmetadata') {
      close();
      return undefined;
    }
    // MediaRecorder's WebM has no duration in its header: the element says Infinity (NaN for
    // some streams) until a seek far past the end has made it read to the end.
    if (!Number.isFinite(video.duration)) {
      video.currentTime = FAR_PAST_THE_END_S;
      await step(video, 'seeked', signal);
    }
    const seconds = video.duration;
    const durationMs = Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.round(seconds * 1000)) : undefined;
    const size = video.videoWidth > 0 && video.videoHeight > 0 ? { width: video.videoWidth, height: video.videoHeight } : undefined;
    return {
      durationMs,
      size,
      close,
      poster: (maxBytes, posterSignal) =>
        size
          ? decoding.run(() => posterOf(video, size, durationMs, maxBytes, posterSignal), posterSignal).catch(() => undefined)
          : Promise.resolve(undefined),
    };
  } catch {
    close();
    return undefined;
  }
}

async function posterOf(
  video: HTMLVideoElement,
  size: ImageSize,
  durationMs: number | undefined,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<ImageThumbnail | undefined> {
  video.currentTime = Math.min(1, (durationMs ?? 0) / 10_000);
  if ((await step(video, 'seeked', signal)) !== 'seeked') return undefined;
  // HAVE_CURRENT_DATA: the frame at the new position is there to draw.
  if (video.readyState < 2 && (await step(video, 'loadeddata', signal)) !== 'loadeddata') return undefined;
  const small = await createImageBitmap(video, { ...thumbnailResize(size), resizeQuality: 'medium' });
  try {
    return await encodeThumbnail(small, size, maxBytes);
  } finally {
    small.close();
  }
}

/**
 * Waits for `event` on the element: resolves its name; 'error' when the element fails, 'emptied'
 * when it was closed meanwhile; undefined on timeout or abort.
 */
function step(video: HTMLVideoElement, event: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    const listening = new AbortController();
    const done = (name?: string): void => {
      listening.abort();
      clearTimeout(timer);
      resolve(name);
    };
    for (const name of [event, 'error', 'emptied']) video.addEventListener(name, () => done(name), { signal: listening.signal });
    signal?.addEventListener('abort', () => done(), { signal: listening.signal });
    const timer = setTimeout(done, STEP_TIMEOUT_MS);
    if (signal?.aborted) done();
  });
}

import { MAX_MEDIA_BYTES, MediaPaths, RtmError, checkMediaId } from '../../protocol/index.js';
import { httpError, mediaHeaders, mediaUrl, transferFailed, type MediaEndpoint } from './http.js';
import { cancelled } from './transfer-queue.js';
import type { MediaOperationProgress } from './upload.js';

/**
 * GETs a media object: fetch, reading the body stream for progress (total from Content-Length).
 * Reports `{ 0, total }` once the response headers arrived and `{ total, total }` at the end;
 * aborting `signal` aborts the request (CANCELLED).
 */
export async function download(
  endpoint: MediaEndpoint,
  mediaId: string,
  signal: AbortSignal,
  onProgress: (progress: MediaOperationProgress) => void,
): Promise<Blob> {
  const invalid = checkMediaId(mediaId);
  if (invalid) throw invalid;
  try {
    const response = await fetch(mediaUrl(endpoint, MediaPaths.object(mediaId)), { headers: mediaHeaders(endpoint), signal });
    if (!response.ok) throw httpError(response.status, await response.text());
    const type = response.headers.get('content-type') ?? '';
    let totalSize = Number(response.headers.get('content-length')) || 0;
    const chunks: Uint8Array[] = [];
    let currentSize = 0;
    onProgress({ currentSize, totalSize });
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        currentSize += value.byteLength;
        if (currentSize > MAX_MEDIA_BYTES) {
          await reader.cancel();
          throw transferFailed('response larger than any media object');
        }
        totalSize = Math.max(totalSize, currentSize);
        onProgress({ currentSize, totalSize });
      }
    }
    if (currentSize !== totalSize) throw transferFailed(`response ended after ${currentSize} of ${totalSize} bytes`);
    if (currentSize === 0) onProgress({ currentSize, totalSize });
    return new Blob(chunks as BlobPart[], { type });
  } catch (error) {
    if (signal.aborted) throw cancelled();
    throw error instanceof RtmError ? error : transferFailed(String(error));
  }
}

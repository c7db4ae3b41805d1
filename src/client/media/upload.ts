import { MediaPaths, type UploadResult } from '../../protocol/index.js';
import { httpError, mediaHeaders, mediaUrl, transferFailed, type MediaEndpoint } from './http.js';
import { cancelled } from './transfer-queue.js';

/** Progress of an upload or download, in bytes. */
export interface MediaOperationProgress {
  currentSize: number;
  totalSize: number;
}

/**
 * POSTs `blob` to the media API. XMLHttpRequest, not fetch: fetch reports no upload progress. It
 * exists in pages and dedicated Workers alike. Reports `{ 0, total }` when the request starts and
 * `{ total, total }` before it resolves; aborting `signal` aborts the request (CANCELLED).
 */
export function upload(
  endpoint: MediaEndpoint,
  blob: Blob,
  contentType: string | undefined,
  signal: AbortSignal,
  onProgress: (progress: MediaOperationProgress) => void,
): Promise<UploadResult> {
  return new Promise<UploadResult>((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const totalSize = blob.size;
    const xhr = new XMLHttpRequest();
    const abort = (): void => xhr.abort();
    const done = (): void => signal.removeEventListener('abort', abort);
    signal.addEventListener('abort', abort, { once: true });
    xhr.open('POST', mediaUrl(endpoint, MediaPaths.upload));
    for (const [name, value] of Object.entries(mediaHeaders(endpoint))) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('content-type', contentType || 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress({ currentSize: Math.min(event.loaded, totalSize), totalSize });
    xhr.onload = () => {
      done();
      if (xhr.status !== 201 && xhr.status !== 200) return reject(httpError(xhr.status, xhr.responseText));
      try {
        const result = JSON.parse(xhr.responseText) as UploadResult;
        onProgress({ currentSize: totalSize, totalSize });
        resolve(result);
      } catch {
        reject(transferFailed('bad upload reply'));
      }
    };
    xhr.onerror = xhr.ontimeout = () => {
      done();
      reject(transferFailed('network error'));
    };
    xhr.onabort = () => {
      done();
      reject(cancelled());
    };
    onProgress({ currentSize: 0, totalSize });
    xhr.send(blob);
  });
}

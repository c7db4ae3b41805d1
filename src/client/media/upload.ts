import {
  MediaPaths,
  RECONNECT_BASE_DELAY_MS,
  RECONNECT_GIVE_UP_MS,
  RECONNECT_MAX_DELAY_MS,
  type UploadResult,
} from '../../protocol/index.js';
import { backoffDelay, retryPause } from '../backoff.js';
import { httpError, mediaHeaders, mediaUrl, requestJson, transferFailed, type MediaEndpoint } from './http.js';
import { cancelled } from './transfer-queue.js';

/** Progress of an upload or download, in bytes. */
export interface MediaOperationProgress {
  currentSize: number;
  totalSize: number;
}

const TUS_VERSION = { 'tus-resumable': '1.0.0' };

/** The connection broke before an answer came (not an HTTP error): worth resuming. */
class ConnectionLost extends Error {}

interface Answer {
  status: number;
  header(name: string): string | null;
  text: string;
}

/**
 * Uploads `blob` as a resumable upload (tus 1.0: docs/protocol.md, "Resumable uploads"): creates
 * it, then PATCHes the bytes. When the connection breaks part-way, it waits (the reconnect
 * backoff, or less once the browser is back online), asks the server how far it got (HEAD) and
 * sends only the rest, for up to RECONNECT_GIVE_UP_MS; an HTTP error is final.
 *
 * XMLHttpRequest, not fetch: fetch reports no upload progress. Reports `{ 0, total }` when it
 * starts and `{ total, total }` before it resolves, never going back; aborting `signal` aborts the request, asks the server to discard what it has,
 * and rejects with CANCELLED.
 */
export async function upload(
  endpoint: MediaEndpoint,
  blob: Blob,
  contentType: string | undefined,
  signal: AbortSignal,
  onProgress: (progress: MediaOperationProgress) => void,
): Promise<UploadResult> {
  if (signal.aborted) throw cancelled();
  const totalSize = blob.size;
  let shown = 0;
  const progress = (currentSize: number) => {
    shown = Math.max(shown, Math.min(currentSize, totalSize));
    onProgress({ currentSize: shown, totalSize });
  };
  onProgress({ currentSize: 0, totalSize });
  const headers = () => ({ ...mediaHeaders(endpoint), ...TUS_VERSION });

  const uploads = mediaUrl(endpoint, MediaPaths.resumableUploads);
  const created = await send('POST', uploads, signal, {
    ...headers(),
    'upload-length': String(totalSize),
    'upload-metadata': `filetype ${btoa(contentType || 'application/octet-stream')}`,
  }).catch((error: unknown) => {
    throw error instanceof ConnectionLost ? transferFailed('network error') : error;
  });
  if (created.status !== 201 || !created.header('location')) throw httpError(created.status, created.text);
  const location = new URL(created.header('location')!, uploads).href;
  const mediaId = location.slice(location.lastIndexOf('/') + 1);
  const abandon = () => {
    // Termination: the server drops what it has. Best effort: the upload expires anyway.
    void fetch(location, { method: 'DELETE', headers: headers(), keepalive: true }).catch(() => undefined);
  };

  const started = Date.now();
  let offset = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      if (attempt > 0) {
        // An abort during the pause is seen by the next request, which rejects with CANCELLED.
        await retryPause(backoffDelay(attempt - 1, { baseDelayMs: RECONNECT_BASE_DELAY_MS, maxDelayMs: RECONNECT_MAX_DELAY_MS }), signal);
        const where = await send('HEAD', location, signal, headers());
        // Gone: its last answer was lost after the server had stored it, or it expired meanwhile.
        if (where.status === 404) return await requestJson<UploadResult>(endpoint, 'GET', MediaPaths.info(mediaId));
        if (where.status !== 200) throw httpError(where.status, where.text);
        offset = Number(where.header('upload-offset'));
      }
      const sent = await send(
        'PATCH',
        location,
        signal,
        { ...headers(), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        blob.slice(offset),
        (loaded) => progress(offset + loaded),
      );
      // The last PATCH answers the stored file (200); a 409 (offset moved) is resolved by a HEAD.
      if (sent.status === 200) {
        progress(totalSize);
        return JSON.parse(sent.text) as UploadResult;
      }
      if (sent.status !== 204 && sent.status !== 409) throw httpError(sent.status, sent.text);
    } catch (error) {
      if (signal.aborted) {
        abandon();
        throw cancelled();
      }
      if (!(error instanceof ConnectionLost)) throw error;
      if (Date.now() - started >= RECONNECT_GIVE_UP_MS) throw transferFailed('network error');
    }
  }
}

/** One request; rejects with ConnectionLost when no answer comes, CANCELLED when `signal` aborts it. */
function send(
  method: string,
  url: string,
  signal: AbortSignal,
  headers: Record<string, string>,
  body?: Blob,
  onUploaded?: (loaded: number) => void,
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const xhr = new XMLHttpRequest();
    const abort = (): void => xhr.abort();
    const done = (): void => signal.removeEventListener('abort', abort);
    signal.addEventListener('abort', abort, { once: true });
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onUploaded) xhr.upload.onprogress = (event) => onUploaded(event.loaded);
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, header: (name) => xhr.getResponseHeader(name), text: xhr.responseText });
    };
    xhr.onerror = xhr.ontimeout = () => {
      done();
      reject(new ConnectionLost());
    };
    xhr.onabort = () => {
      done();
      reject(cancelled());
    };
    xhr.send(body ?? null);
  });
}

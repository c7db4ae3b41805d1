import { atom } from 'nanostores';
import { MEDIA_URL_TTL_MS, RtmError } from '../../protocol/index.js';
import { asRtmError } from '../errors.js';
import { compositeKey } from '../keys.js';
import type { ChatDownload, TransferSnapshot } from '../transfer.js';
import type { SessionContext } from './context.js';

/** Getting media: downloads with progress and cancel, and signed URLs cached until near expiry. */
export class Downloads {
  readonly #session: SessionContext;
  readonly #urls = new Map<string, { url: Promise<string>; renewAt: number }>();

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** Downloads a media object (see ChatSession.download). */
  download(mediaId: string): ChatDownload {
    const $transfer = atom<TransferSnapshot>({ direction: 'download', state: 'queued', currentSize: 0, totalSize: 0 });
    const set = (change: Partial<TransferSnapshot>): void => $transfer.set({ ...$transfer.get(), ...change });
    const controller = new AbortController();
    const client = this.#session.client;
    const result = (
      client
        ? client.downloadMedia(mediaId, {
            cancelSignal: controller.signal,
            onOperationProgress: (p) => set({ state: 'active', ...p }),
          })
        : Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call start() first.'))
    ).then(
      (blob) => {
        set({ state: 'done', currentSize: blob.size, totalSize: blob.size });
        return blob;
      },
      (caught: unknown) => {
        const error = asRtmError(caught, 'INTERNAL_ERROR');
        set({ state: error.reason === 'CANCELLED' ? 'cancelled' : 'failed', error });
        throw error;
      },
    );
    return { transfer: $transfer, result, cancel: () => controller.abort() };
  }

  /** A signed URL of a media object (see ChatSession.mediaUrl). */
  mediaUrl(mediaId: string, fileName?: string): Promise<string> {
    const key = fileName === undefined ? mediaId : compositeKey(mediaId, fileName);
    const cached = this.#urls.get(key);
    if (cached && Date.now() < cached.renewAt) return cached.url;
    const client = this.#session.client;
    if (!client) return Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call start() first.'));
    // Renewed a minute before the server's expiry, so a URL handed out is still good for a while.
    const renewAt = Date.now() + MEDIA_URL_TTL_MS - 60_000;
    const url = client.getMediaUrl(mediaId, fileName);
    this.#urls.set(key, { url, renewAt });
    url.catch(() => {
      if (this.#urls.get(key)?.url === url) this.#urls.delete(key);
    });
    return url;
  }
}

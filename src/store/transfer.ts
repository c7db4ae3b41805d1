import type { ReadableAtom } from 'nanostores';
import type { RtmError } from '../protocol/index.js';

/** An upload or download as the views show it: progress, and how it ended. */
export interface TransferSnapshot {
  readonly direction: 'upload' | 'download';
  /** Waiting for one of the client's transfer slots, moving bytes, or ended. */
  readonly state: 'queued' | 'active' | 'done' | 'failed' | 'cancelled';
  /** Bytes moved so far, of `totalSize` (0 while a download's size is not known yet). */
  readonly currentSize: number;
  readonly totalSize: number;
  /** Why it failed or was cancelled (CANCELLED). */
  readonly error?: RtmError;
}

/** A download started by `session.download(mediaId)`. */
export interface ChatDownload {
  /** Its progress; ends `done`, `failed` or `cancelled`. */
  readonly transfer: ReadableAtom<TransferSnapshot>;
  /** The file; rejects with the RtmError (CANCELLED after `cancel()`). */
  readonly result: Promise<Blob>;
  /** Cancels it (no effect once it ended). */
  cancel(): void;
}

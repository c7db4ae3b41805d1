import { RtmError } from '../../protocol/index.js';
import { attempt } from '../attempt.js';

/** The error of a transfer cancelled by its caller (signal, cancel by request id, logout). */
export function cancelled(): RtmError {
  return new RtmError('CANCELLED', 'The transfer was cancelled.');
}

interface Waiting {
  start: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A FIFO of jobs with at most `limit` running at once (uploads plus downloads per client:
 * MAX_CONCURRENT_TRANSFERS). A job whose signal aborts while it waits leaves the queue and rejects
 * with CANCELLED without ever starting; a running job watches the signal itself (it aborts its
 * request and rejects).
 */
export class TransferQueue {
  readonly #limit: number;
  readonly #waiting: Waiting[] = [];
  #running = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Runs `job` once a slot is free (FIFO), and settles like it. */
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.#running++;
        attempt(job).then(resolve, reject).finally(() => {
          this.#running--;
          this.#next();
        });
      };
      if (this.#running < this.#limit) {
        start();
        return;
      }
      if (!signal) {
        this.#waiting.push({ start });
        return;
      }
      const onAbort = (): void => {
        const at = this.#waiting.indexOf(waiting);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(cancelled());
      };
      const waiting: Waiting = { start, signal, onAbort };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiting);
    });
  }

  #next(): void {
    while (this.#running < this.#limit && this.#waiting.length > 0) {
      const waiting = this.#waiting.shift()!;
      waiting.signal?.removeEventListener('abort', waiting.onAbort!);
      waiting.start();
    }
  }
}

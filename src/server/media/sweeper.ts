import type { FastifyBaseLogger } from 'fastify';
import { MEDIA_ORPHAN_GRACE_MS } from '../../protocol/index.js';
import type { MediaObjects, MediaStore } from '../storage/types.js';

/** Expired objects deleted per round trip: bounds one transaction and one burst of unlinks. */
const SWEEP_BATCH = 500;

/**
 * Deletes media objects once they expire (MEDIA_TTL_MS after upload).
 *
 * Order: the files first, then the rows. A crash in between leaves rows whose files are gone; those
 * rows are already expired, so reads answer MEDIA_EXPIRED from the row alone, and the next sweep
 * deletes the (missing — not an error) files again and then the rows. The other order could leave
 * files that no row points to, which nothing would ever find.
 *
 * Several nodes may share the objects and the rows (one media directory, one PostgreSQL) and run
 * all of this at the same time: deleting a file or row another node already deleted is not an
 * error, and the start-up cleanup leaves young leftovers alone (MEDIA_ORPHAN_GRACE_MS) because they
 * may be another node's upload in progress.
 */
export class MediaSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly store: MediaStore,
    private readonly objects: MediaObjects,
    private readonly now: () => number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Start-up cleanup: temp files of uploads a crash cut short, and committed files whose row was
   * never written (a crash between the rename and the insert), both only once untouched for
   * MEDIA_ORPHAN_GRACE_MS. Then one sweep of expired objects. Returns how many files and rows it
   * removed. `wallNow` is the real clock, not the injectable one: file times are the real clock's.
   */
  async recover(wallNow = Date.now()): Promise<number> {
    const writtenBefore = wallNow - MEDIA_ORPHAN_GRACE_MS;
    let removed = await this.objects.removeIncomplete(writtenBefore);
    let batch: string[] = [];
    const flush = async () => {
      const known = await this.store.existing(batch);
      for (const id of batch) {
        if (known.has(id)) continue;
        await this.objects.delete(id);
        removed += 1;
      }
      batch = [];
    };
    for await (const id of this.objects.list(writtenBefore)) {
      batch.push(id);
      if (batch.length >= SWEEP_BATCH) await flush();
    }
    await flush();
    return removed + (await this.sweep());
  }

  /** Runs a sweep every `intervalMs` until {@link stop}; failures are logged and retried next time. */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.log.error({ err }, 'media sweep failed'));
    }, intervalMs);
    this.#timer.unref();
  }

  /** Deletes every object expired by now; returns how many. Sweeps never overlap. */
  sweep(): Promise<number> {
    const run = this.#running.catch(() => 0).then(() => this.#sweepOnce());
    this.#running = run;
    return run;
  }

  async #sweepOnce(): Promise<number> {
    const now = this.now();
    let deleted = 0;
    for (;;) {
      const ids = await this.store.listExpired(now, SWEEP_BATCH);
      for (const id of ids) await this.objects.delete(id);
      deleted += await this.store.delete(ids);
      if (ids.length < SWEEP_BATCH) return deleted;
    }
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running.catch(() => {});
  }
}

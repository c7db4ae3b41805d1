import { MAX_GROUP_COMMIT_MESSAGES } from '../../../protocol/index.js';
import type { SqliteDatabase } from './driver.js';

/**
 * Group commit: many write requests, one `BEGIN IMMEDIATE … COMMIT`, so one fsync (WAL,
 * synchronous=FULL) serves a whole batch instead of one per message. "Committed before acked"
 * holds exactly as before: a caller's promise settles only after the COMMIT of its batch returned.
 *
 * - Collecting: a request joins the batch of the current turn of the event loop; the batch runs
 *   in a `setImmediate` callback. Not `queueMicrotask`: Node drains the microtask queue after
 *   every single I/O callback, so a microtask batch would only hold the requests of one socket's
 *   read. `setImmediate` runs in the check phase, after the poll phase has dispatched every socket
 *   that had data in this iteration, so it gathers the sends of all connections — and it waits for
 *   nothing but the end of the current iteration (no timer, no added latency under low load).
 * - Isolation: a batch first runs without savepoints (they cost about a fifth of a message
 *   store); if any request throws, the whole transaction is rolled back and the batch runs again
 *   with each request in its own SAVEPOINT (better-sqlite3 turns a nested `db.transaction` into
 *   one). There, a request that throws (an RtmError such as a duplicate cmid in
 *   another conversation, or any other error that leaves the transaction open) is rolled back to
 *   its savepoint and rejected alone; the others of the batch commit. If SQLite itself ended the
 *   transaction (SQLITE_FULL, an I/O error) or COMMIT fails, nothing of the batch is stored and
 *   every caller of the batch is rejected with that error.
 * - Order: requests run in the order they were issued, so idempotency checks and per-conversation
 *   seq (MAX + 1) see the earlier requests of the same batch exactly as if they had committed.
 * - Bound: a batch holds at most MAX_GROUP_COMMIT_MESSAGES requests; the rest wait for the next
 *   iteration of the loop (so acks and reads get a turn in between), in order.
 *
 * A worker thread for the writer was considered and left out: better-sqlite3 is synchronous, so a
 * worker would take the fsync off the event loop, but every request would then pay a structured
 * clone and a message round trip each way, the message store's reads (history, sync, idempotency)
 * would need their own connection, and errors (RtmError) would have to be re-created across the
 * thread boundary. With group commit the event loop blocks for one fsync per batch rather than per
 * message, which removes most of what a worker would win. Taking only the fsync off the loop (commit
 * with synchronous=NORMAL, fdatasync the WAL on the thread pool, then ack) was measured and
 * removed: no gain at 1,000 clients, slower acks at 32 in flight (docs/bench.md).
 */
export interface GroupCommit {
  /**
   * Runs `work` (synchronous better-sqlite3 calls) inside the next batch's transaction, isolated
   * from the others of the batch as if in its own savepoint; resolves with its result once the
   * batch is committed. `work` may run twice (when another request of its batch throws), so it
   * must touch nothing but the database.
   */
  run<T>(work: () => T): Promise<T>;
  /** Resolves when every request issued so far has settled (before closing the database). */
  drain(): Promise<void>;
  /** Batches committed and requests they held (failed batches are not counted): for tests and metrics. */
  readonly stats: { readonly commits: number; readonly requests: number };
}

export interface GroupCommitOptions {
  /** Requests per transaction at most (tests make it small). */
  maxBatch?: number;
  /** Called after each COMMIT with the number of requests it held (an observation hook). */
  onCommit?: (requests: number) => void;
}

interface Request {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createGroupCommit(db: SqliteDatabase, options: GroupCommitOptions = {}): GroupCommit {
  const maxBatch = options.maxBatch ?? MAX_GROUP_COMMIT_MESSAGES;
  const queue: Request[] = [];
  let scheduled = false;
  let idle: { promise: Promise<void>; resolve(): void } | undefined;
  const stats = { commits: 0, requests: 0 };

  // Called while the batch's transaction is open, this is a SAVEPOINT … RELEASE (ROLLBACK TO on throw).
  const inSavepoint = db.transaction((work: () => unknown) => work());
  const runBatch = db.transaction((batch: readonly Request[]): Outcome[] =>
    batch.map((request): Outcome => {
      try {
        return { ok: true, value: inSavepoint(request.work) };
      } catch (error) {
        // SQLite rolled the whole transaction back: the earlier requests are gone too.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  // The usual batch, where nothing throws, needs no savepoints (a SAVEPOINT and a RELEASE per
  // request cost about a fifth of a message store). If anything throws, SQLite rolls all of it
  // back and the batch runs again with a savepoint per request, so a failing request is still
  // rejected alone. Works only read and write the database, so running one twice is safe.
  const runPlain = db.transaction((batch: readonly Request[]): Outcome[] =>
    batch.map((request): Outcome => ({ ok: true, value: request.work() })),
  );
  const commit = (batch: readonly Request[]): Outcome[] => {
    try {
      return runPlain.immediate(batch);
    } catch {
      return runBatch.immediate(batch);
    }
  };

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) schedule();
    let outcomes: Outcome[];
    try {
      outcomes = commit(batch);
    } catch (error) {
      for (const request of batch) request.reject(error);
      settleIdle();
      return;
    }
    stats.commits += 1;
    stats.requests += batch.length;
    options.onCommit?.(batch.length);
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i]!.resolve(outcome.value);
      else batch[i]!.reject(outcome.error);
    });
    settleIdle();
  }

  function settleIdle(): void {
    if (queue.length === 0 && idle) {
      idle.resolve();
      idle = undefined;
    }
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    drain() {
      if (queue.length === 0) return Promise.resolve();
      if (!idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        idle = { promise, resolve };
      }
      return idle.promise;
    },
    stats,
  };
}

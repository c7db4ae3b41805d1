import { closeSync, fdatasync, openSync } from 'node:fs';
import type { SqliteDatabase } from './driver.js';

/**
 * Makes committed WAL frames durable off the event loop. A group-commit batch commits with
 * synchronous=NORMAL — SQLite writes the frames to the `-wal` file but does not fsync them — and
 * its callers are settled only after `durable()` resolved: an `fdatasync` of the `-wal` file, run
 * on libuv's thread pool. Acked messages are therefore on disk exactly as with synchronous=FULL
 * (which fsyncs the same file inside COMMIT), but while the disk works the event loop keeps
 * reading sockets, fanning out and answering heartbeats, and the sends that arrive meanwhile
 * commit as the next batch.
 *
 * Why this is sound: fsync covers the whole file, so one that starts after a commit returned
 * covers that commit's frames. A WAL that SQLite restarts after a checkpoint is no exception: a
 * checkpoint copies frames into the database file and syncs it first (NORMAL does sync at
 * checkpoints), so frames it overwrites are already durable elsewhere. After a power loss,
 * recovery replays the synced frames and drops any later, unsynced ones (their checksums do not
 * match) — those belong to batches nobody was acked for.
 *
 * At most one fdatasync runs at a time; calls made while one is in flight share the next one.
 */
export interface WalSync {
  /** Resolves once everything committed before the call is on disk; rejects with the I/O error. */
  durable(): Promise<void>;
  close(): void;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** A WalSync for `db`, or undefined when it has no WAL file (not WAL mode, or in memory). */
export function createWalSync(db: SqliteDatabase): WalSync | undefined {
  if (db.memory || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined;
  const walFile = `${db.name}-wal`;
  let fd: number | undefined;
  let waiting: Waiter[] = [];
  let inFlight = false;

  function start(): void {
    const batch = waiting;
    waiting = [];
    inFlight = true;
    const finish = (error: unknown) => {
      inFlight = false;
      for (const waiter of batch) {
        if (error) waiter.reject(error);
        else waiter.resolve();
      }
      if (waiting.length > 0) start();
    };
    try {
      // The WAL file exists from the first write on and lives as long as the connection.
      fd ??= openSync(walFile, 'r');
    } catch (error) {
      finish(error);
      return;
    }
    fdatasync(fd, (error) => finish(error ?? undefined));
  }

  return {
    durable() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!inFlight) start();
      });
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

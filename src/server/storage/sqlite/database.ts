import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteFile, type SqliteDatabase } from './driver.js';
import { migrate } from './migrations.js';

/** The database file inside the data directory. */
export const DATABASE_FILE = 'rtm.sqlite';

/** How long a statement waits for another writer's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `<dataDir>/rtm.sqlite`, creating the directory and the schema when needed.
 *
 * - WAL: readers never block the writer, and a crash cannot corrupt committed data.
 * - synchronous=FULL: a commit is on disk before we ack it (the "commit before ack" promise
 *   survives power loss and SIGKILL, not only process crashes).
 * - foreign_keys=ON: SQLite leaves them off by default.
 */
export function openDatabase(dataDir: string, now = Date.now()): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = openSqliteFile(join(dataDir, DATABASE_FILE));
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, undefined, now);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens an existing database read-only (the CLI's `token` command, while a server may be running). */
export function openDatabaseReadOnly(dataDir: string): SqliteDatabase {
  const db = openSqliteFile(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

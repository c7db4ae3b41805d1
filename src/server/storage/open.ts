import { createPostgresStorage } from './postgres/index.js';
import { createSqliteStorage } from './sqlite/index.js';
import type { Storage } from './types.js';

/** URL schemes that select the PostgreSQL adapter. */
const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/**
 * The storage a server starts with: PostgreSQL when `databaseUrl` is given (RTM_DATABASE_URL),
 * else the embedded SQLite file in `dataDir`. Rejects a URL of any other kind rather than
 * silently falling back to SQLite (a node that writes to its own file splits the cluster).
 */
export async function openStorage(options: { databaseUrl?: string; dataDir: string; now: number }): Promise<Storage> {
  const { databaseUrl, dataDir, now } = options;
  if (databaseUrl === undefined || databaseUrl === '') return createSqliteStorage(dataDir, now);
  checkDatabaseUrl(databaseUrl);
  return createPostgresStorage(databaseUrl, { now });
}

/** Throws, saying what is expected, unless `databaseUrl` is a postgres:// or postgresql:// URL. */
export function checkDatabaseUrl(databaseUrl: string): void {
  let protocol: string;
  try {
    protocol = new URL(databaseUrl).protocol;
  } catch {
    throw new Error('RTM_DATABASE_URL is not a URL (expected postgres://user:password@host:port/database).');
  }
  if (!POSTGRES_PROTOCOLS.has(protocol)) {
    throw new Error(`RTM_DATABASE_URL must be a postgres:// or postgresql:// URL, got "${protocol}//…".`);
  }
}

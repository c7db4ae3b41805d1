import { ConfigError } from '../config.js';
import { DEFAULT_POOL_SIZE } from './postgres/database.js';
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
export async function openStorage(options: { databaseUrl?: string; databasePoolSize?: number; dataDir: string; now: number }): Promise<Storage> {
  const { databaseUrl, dataDir, now } = options;
  // Checked with SQLite too, where it is unused: a bad setting is an error wherever it is given.
  const poolSize = options.databasePoolSize ?? DEFAULT_POOL_SIZE;
  checkPoolSize(poolSize, 'databasePoolSize');
  if (databaseUrl === undefined || databaseUrl === '') return createSqliteStorage(dataDir, now);
  checkDatabaseUrl(databaseUrl);
  return createPostgresStorage(databaseUrl, { now, poolSize });
}

/** Throws ConfigError unless `size` is a whole number of connections, at least 1 (`given` as the user wrote it). */
function checkPoolSize(size: number, name: string, given: string = String(size)): void {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new ConfigError(`${name} must be a whole number of connections, at least 1 (default ${DEFAULT_POOL_SIZE}); got ${JSON.stringify(given)}.`);
  }
}

/**
 * RTM_DATABASE_POOL_SIZE as the CLI reads it: unset or empty = the default; anything but digits
 * (`10.5`, `ten`, `-1`) or 0 is a ConfigError naming the variable.
 */
export function parseDatabasePoolSize(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const size = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  checkPoolSize(size, 'RTM_DATABASE_POOL_SIZE', value);
  return size;
}
/** Whether `url` selects the PostgreSQL storage (a postgres:// or postgresql:// URL). */
export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && URL.canParse(url) && POSTGRES_PROTOCOLS.has(new URL(url).protocol);
}

/** Throws, saying what is expected, unless `databaseUrl` is a postgres:// or postgresql:// URL. */
export function checkDatabaseUrl(databaseUrl: string): void {
  if (!URL.canParse(databaseUrl)) {
    throw new Error('RTM_DATABASE_URL is not a URL (expected postgres://user:password@host:port/database).');
  }
  const { protocol } = new URL(databaseUrl);
  if (!isPostgresUrl(databaseUrl)) {
    throw new Error(`RTM_DATABASE_URL must be a postgres:// or postgresql:// URL, got "${protocol}//…".`);
  }
}

import pg from 'pg';
import { migratePostgres } from './migrations.js';

/**
 * Connections per server process. Every store call holds one for a single short transaction, so a
 * handful serve many sockets; 10 × nodes must stay under the cluster's `max_connections` (100 by
 * default), which leaves room for several nodes and an operator's psql.
 */
export const DEFAULT_POOL_SIZE = 10;

/** How long a store call waits for a free connection before failing, rather than hanging a send. */
const CONNECTION_TIMEOUT_MS = 10_000;

/** Transactions that lost a race (serialization failure, deadlock) are retried this many times. */
const TRANSACTION_ATTEMPTS = 5;

const INT8_OID = 20;

/**
 * BIGINT (ms timestamps, counts, row keys) as a JS number: every value we store stays far below
 * 2^53, and the stores' interfaces speak numbers. Per pool, not `pg.types` globally.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** What a query runs on: the pool (autocommit) or a transaction's client. */
export type Queryable = Pick<pg.Pool, 'query'>;

export interface PostgresOptions {
  poolSize?: number;
  now?: number;
}

/** A pool to `url` with the stores' type parsing, not migrated (tools that only read use it as is). */
export function openPostgresPool(url: string, poolSize = DEFAULT_POOL_SIZE): PgPool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS, types });
  // An idle client losing its connection (server restart) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on('error', () => {});
  return pool;
}

/** Opens a pool to `url` and migrates the schema to the newest version. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PgPool> {
  const pool = openPostgresPool(url, options.poolSize);
  try {
    await migratePostgres(pool, undefined, options.now);
    return pool;
  } catch (error) {
    await pool.end();
    // "connect ECONNREFUSED 127.0.0.1:5432" alone does not say which setting to fix.
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open the PostgreSQL database ${databaseLabel(url)} (RTM_DATABASE_URL): ${reason}`, { cause: error });
  }
}

/** host:port/database of a connection URL, without the user or password (for messages and logs). */
function databaseLabel(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname}:${port || '5432'}${pathname || '/'}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

/** A deadlock or serialization failure: the transaction (or statement) can simply run again. */
export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string }).code ?? '');
}

export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ READ ONLY';

/**
 * Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it
 * rejects. A serialization failure or deadlock (another node raced us) reruns it from the start.
 */
export async function inTransaction<T>(
  pool: PgPool,
  work: (client: PgClient) => Promise<T>,
  isolation: Isolation = 'READ COMMITTED',
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (attempt < TRANSACTION_ATTEMPTS && isRetryable(error)) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * Turns `@name` placeholders into `$n` (the SQL reads like the SQLite stores'), binding each name
 * once. Only names present in `params` are replaced, so operators like `@>` are left alone.
 */
export function named(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const positions = new Map<string, number>();
  const text = sql.replace(/@([A-Za-z_]\w*)/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    let position = positions.get(name);
    if (position === undefined) {
      values.push(params[name]);
      positions.set(name, (position = values.length));
    }
    return `$${position}`;
  });
  return { text, values };
}

/** Runs a named-parameter query and returns its rows. */
export async function rows<T>(db: Queryable, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const { text, values } = named(sql, params);
  return (await db.query(text, values)).rows as T[];
}

/**
 * As {@link rows}, as a prepared statement called `name`: each connection parses and plans it
 * once, then only binds and executes. For the hot-path calls (a store, a change, a read marker),
 * whose text never varies.
 */
export async function preparedRows<T>(db: Queryable, name: string, sql: string, params: Record<string, unknown>): Promise<T[]> {
  const { text, values } = named(sql, params);
  return (await db.query({ name, text, values })).rows as T[];
}

/** Runs a named-parameter statement and returns how many rows it touched. */
export async function run(db: Queryable, sql: string, params: Record<string, unknown> = {}): Promise<number> {
  const { text, values } = named(sql, params);
  return (await db.query(text, values)).rowCount ?? 0;
}

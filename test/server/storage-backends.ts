import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresStorage } from '../../src/server/storage/postgres/index.js';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import type { Storage } from '../../src/server/storage/types.js';

/**
 * The storage implementations the conformance suite runs against. PostgreSQL needs a server:
 * `RTM_TEST_DATABASE_URL` (set by `.ci/run` from scripts/local-services.sh); without it the
 * PostgreSQL runs are skipped, and say so.
 */
export interface StorageBackend {
  name: 'sqlite' | 'postgres';
  /** Why this backend does not run here, if it does not. */
  skip?: string;
  /** A fresh, empty, migrated storage and how to throw it away. */
  open(now?: number): Promise<{ storage: Storage; dispose(): Promise<void> }>;
}

export const TEST_DATABASE_URL = process.env.RTM_TEST_DATABASE_URL;

const sqlite: StorageBackend = {
  name: 'sqlite',
  async open(now) {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-conformance-'));
    const storage = createSqliteStorage(dir, now);
    return {
      storage,
      async dispose() {
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

/** `url` with another database name. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh, empty database on the test server (CREATE DATABASE with a unique name) and how to
 * drop it. Needs RTM_TEST_DATABASE_URL.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (TEST_DATABASE_URL === undefined) throw new Error('RTM_TEST_DATABASE_URL is not set (scripts/local-services.sh prints one).');
  const admin = TEST_DATABASE_URL;
  const name = `rtm_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const onAdmin = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await onAdmin(`CREATE DATABASE ${name}`);
  return { url: withDatabase(admin, name), drop: () => onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Each open is its own database, dropped by dispose. */
const postgres: StorageBackend = {
  name: 'postgres',
  ...(TEST_DATABASE_URL === undefined && {
    skip: 'RTM_TEST_DATABASE_URL is not set (scripts/local-services.sh prints one): PostgreSQL runs SKIPPED',
  }),
  async open(now) {
    const database = await createTestDatabase();
    const storage = await createPostgresStorage(database.url, now === undefined ? {} : { now });
    return {
      storage,
      async dispose() {
        await storage.close();
        await database.drop();
      },
    };
  },
};

export const STORAGE_BACKENDS: readonly StorageBackend[] = [sqlite, postgres];

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

/** Each open is its own database (CREATE DATABASE with a unique name), dropped by dispose. */
const postgres: StorageBackend = {
  name: 'postgres',
  ...(TEST_DATABASE_URL === undefined && {
    skip: 'RTM_TEST_DATABASE_URL is not set (scripts/local-services.sh prints one): PostgreSQL runs SKIPPED',
  }),
  async open(now) {
    const admin = TEST_DATABASE_URL!;
    const name = `rtm_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const adminClient = new pg.Client({ connectionString: admin });
    await adminClient.connect();
    try {
      await adminClient.query(`CREATE DATABASE ${name}`);
    } finally {
      await adminClient.end();
    }
    const storage = await createPostgresStorage(withDatabase(admin, name), now === undefined ? {} : { now });
    return {
      storage,
      async dispose() {
        await storage.close();
        const client = new pg.Client({ connectionString: admin });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

export const STORAGE_BACKENDS: readonly StorageBackend[] = [sqlite, postgres];

/**
 * RTM_DATABASE_POOL_SIZE / ServerOptions.databasePoolSize: validated wherever it is given (CLI
 * environment, startServer), and on PostgreSQL the number of connections a server opens.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { ConfigError } from '../../src/server/config.js';
import { startServer } from '../../src/server/index.js';
import { parseDatabasePoolSize } from '../../src/server/storage/open.js';
import { startTestServer } from './helpers.js';
import { basic, demoCredentials, historyPath } from './rest-helpers.js';
import { createTestDatabase, TEST_DATABASE_URL } from './storage-backends.js';

describe('database pool size', () => {
  it('reads RTM_DATABASE_POOL_SIZE: unset or empty is the default, a whole number ≥ 1 is taken, anything else is a ConfigError naming it', () => {
    assert.equal(parseDatabasePoolSize(undefined), undefined);
    assert.equal(parseDatabasePoolSize(''), undefined);
    assert.equal(parseDatabasePoolSize('25'), 25);
    assert.equal(parseDatabasePoolSize(' 3 '), 3);
    for (const bad of ['0', '-1', '2.5', 'ten', '1e3', '0x10', '99999999999999999999']) {
      assert.throws(
        () => parseDatabasePoolSize(bad),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.code === 'INVALID_CONFIG' &&
          error.message.includes('RTM_DATABASE_POOL_SIZE must be a whole number of connections, at least 1') &&
          error.message.includes(JSON.stringify(bad)),
        bad,
      );
    }
  });

  it('startServer refuses a bad databasePoolSize, with SQLite too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-pool-'));
    try {
      for (const bad of [0, -3, 1.5, Number.NaN]) {
        await assert.rejects(startServer({ port: 0, dataDir: dir, databasePoolSize: bad }), (error: unknown) => {
          return error instanceof ConfigError && error.code === 'INVALID_CONFIG' && /databasePoolSize must be a whole number/.test(error.message);
        });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the CLI exits 1 before listening, naming the variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-pool-cli-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'start'], {
        env: { ...process.env, RTM_DATA_DIR: dir, PORT: '0', RTM_DATABASE_POOL_SIZE: 'lots' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /RTM_DATABASE_POOL_SIZE must be a whole number of connections, at least 1 \(default 10\); got "lots"/);
      assert.doesNotMatch(run.stdout, /listening/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL, a server opens at most databasePoolSize connections however busy it is', { skip: TEST_DATABASE_URL === undefined && 'RTM_TEST_DATABASE_URL is not set' }, async () => {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const t = await startTestServer({ databaseUrl: database.url, databasePoolSize: 2 });
      try {
        const { restKey, restSecret } = demoCredentials(t);
        const headers = { authorization: basic(restKey, restSecret) };
        const asks = Array.from({ length: 30 }, (_, i) => fetch(`${t.url}${historyPath(`u${i}`, { peer: 'bob' })}`, { headers }).then((r) => r.status));
        let most = 0;
        const watch = (async () => {
          for (let i = 0; i < 20; i++) {
            const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
            most = Math.max(most, Number(rows[0]!.n));
          }
        })();
        assert.deepEqual(new Set(await Promise.all(asks)), new Set([200]));
        await watch;
        assert.ok(most >= 1 && most <= 2, `connections seen: ${most}`);
      } finally {
        await t.close();
      }
    } finally {
      await admin.end();
      await database.drop();
    }
  });
});

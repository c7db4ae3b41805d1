import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyToken } from '../../src/server/index.js';
import { startTestServer } from './helpers.js';
import { createTestDatabase, TEST_DATABASE_URL } from './storage-backends.js';

/** Runs `rtm-chat-server <args>` from source with `env`; returns its exit status and output. */
function cli(args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

describe('rtm-chat-server token', () => {
  let dataDir = '';
  let secret = '';
  before(async () => {
    // A first start creates the data dir with the demo app; the CLI reads its secret from there.
    const t = await startTestServer();
    ({ dataDir, demoSecret: secret } = t);
    await t.server.close();
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('prints a token for --app/--uid/--expire that the server accepts', async () => {
    const run = cli(['token', '--app', 'demo', '--uid', 'alice', '--expire', '3600'], { RTM_DATA_DIR: dataDir });
    assert.equal(run.status, 0, run.stderr);
    const verified = await verifyToken({ token: run.stdout, appId: 'demo', uid: 'alice', secret });
    assert.equal(verified.expiresAt - verified.issuedAt, 3600);
  });

  it('explains a missing uid, a bad lifetime and an unknown app, exiting 1', () => {
    const cases: [string[], RegExp][] = [
      [['token', '--app', 'demo'], /--uid is required/],
      [['token', '--uid', 'alice', '--expire', 'soon'], /expiresInSeconds must be a positive whole number/],
      [['token', '--uid', 'alice', '--app', 'nope'], /No app "nope"/],
    ];
    for (const [args, message] of cases) {
      const run = cli(args, { RTM_DATA_DIR: dataDir });
      assert.equal(run.status, 1, args.join(' '));
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    }
  });

  it('prints the usage for --help', () => {
    const run = cli(['token', '--help'], { RTM_DATA_DIR: dataDir });
    assert.equal(run.status, 0);
    assert.match(run.stdout, /rtm-chat-server token --uid <uid>/);
  });
});

const noPostgres = TEST_DATABASE_URL === undefined ? 'RTM_TEST_DATABASE_URL is not set: the token CLI on PostgreSQL SKIPPED' : false;
if (noPostgres) console.log(`# ${noPostgres}`);

describe('rtm-chat-server token with RTM_DATABASE_URL', { skip: noPostgres }, () => {
  let database: { url: string; drop(): Promise<void> };
  let emptyDir = '';
  let secret = '';
  before(async () => {
    database = await createTestDatabase();
    // The server creates the demo app in PostgreSQL; the CLI must find it there.
    const t = await startTestServer({ databaseUrl: database.url });
    secret = t.demoSecret;
    await t.close();
    // A data dir with no database: the app can only come from PostgreSQL.
    emptyDir = await mkdtemp(join(tmpdir(), 'rtm-cli-empty-'));
  });
  after(async () => {
    await rm(emptyDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('reads the app from PostgreSQL and prints a token the server accepts', async () => {
    const run = cli(['token', '--uid', 'alice', '--expire', '600'], { RTM_DATA_DIR: emptyDir, RTM_DATABASE_URL: database.url });
    assert.equal(run.status, 0, run.stderr);
    const verified = await verifyToken({ token: run.stdout, appId: 'demo', uid: 'alice', secret });
    assert.equal(verified.expiresAt - verified.issuedAt, 600);
  });

  it('explains an unknown app, a database no server has set up, and a URL that is not postgres://', async () => {
    const blank = await createTestDatabase();
    try {
      const cases: [string, string, RegExp][] = [
        ['nope', database.url, /No app "nope" in the database of RTM_DATABASE_URL/],
        ['demo', blank.url, /has no apps yet: run "rtm-chat-server start" with it once/],
        ['demo', 'mysql://localhost/x', /RTM_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/],
      ];
      for (const [appId, url, message] of cases) {
        const run = cli(['token', '--uid', 'alice', '--app', appId], { RTM_DATA_DIR: emptyDir, RTM_DATABASE_URL: url });
        assert.equal(run.status, 1, `${appId} ${url}`);
        assert.match(run.stderr, message);
        assert.equal(run.stdout, '');
      }
    } finally {
      await blank.drop();
    }
  });
});

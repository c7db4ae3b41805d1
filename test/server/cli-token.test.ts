import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { verifyToken } from '../../src/server/index.js';
import { startTestServer } from './helpers.js';

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

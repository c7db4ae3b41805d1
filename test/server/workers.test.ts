/**
 * RTM_WORKERS=N: the CLI as a node:cluster primary with N workers sharing one port. The refusals
 * need nothing; the rest needs RTM_TEST_DATABASE_URL and RTM_TEST_REDIS_URL
 * (scripts/local-services.sh prints both) and is skipped, saying so, without them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { UploadResult } from '../../src/protocol/index.js';
import { createToken } from '../../src/server/index.js';
import { dropClusterKeys, nodesHoldingUser } from './cluster/state.js';
import { spawnCli, TestClient, text, type CliServer } from './helpers.js';
import { mediaHeaders, sha256 } from './media-helpers.js';
import { createTestDatabase, TEST_DATABASE_URL } from './storage-backends.js';

const redisUrl = process.env.RTM_TEST_REDIS_URL;
const skip =
  TEST_DATABASE_URL === undefined || !redisUrl
    ? 'RTM_TEST_DATABASE_URL and RTM_TEST_REDIS_URL are not both set (scripts/local-services.sh prints them): RTM_WORKERS cluster test SKIPPED'
    : false;
if (skip) console.log(`# ${skip}`);

/** One request on a connection of its own: node:cluster hands each new connection to the next worker. */
function once(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer }): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('RTM_WORKERS refusals', () => {
  it('refuses more than one worker without PostgreSQL and Redis, and a count that is not 1–64, exiting 1', async () => {
    await assert.rejects(
      spawnCli({ RTM_WORKERS: '2', RTM_DATABASE_URL: '', RTM_REDIS_URL: '' }),
      (error: Error) =>
        /exited \(1\)/.test(error.message) &&
        error.message.includes('RTM_WORKERS=2 needs RTM_DATABASE_URL=postgres://… (SQLite is one process per data directory) and RTM_REDIS_URL=redis://…'),
    );
    await assert.rejects(spawnCli({ RTM_WORKERS: '2', RTM_DATABASE_URL: 'postgres://x@127.0.0.1:1/x', RTM_REDIS_URL: '' }), /needs RTM_REDIS_URL=redis:\/\//);
    for (const value of ['0', '65', '1.5']) {
      await assert.rejects(spawnCli({ RTM_WORKERS: value }), new RegExp(`RTM_WORKERS must be a whole number from 1 to 64, got "${value.replace('.', '\\.')}"`));
    }
  });
});

describe('RTM_WORKERS=2 on one PostgreSQL and Redis', { skip }, () => {
  it('shares one port; REST, media and sockets work on either worker; a killed worker is replaced; SIGTERM stops all', async () => {
    const database = await createTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'rtm-workers-'));
    const prefix = `workers-${randomBytes(4).toString('hex')}`;
    let cli: CliServer | undefined;
    const clients: TestClient[] = [];
    try {
      cli = await spawnCli({ RTM_WORKERS: '2', RTM_DATABASE_URL: database.url, RTM_REDIS_URL: redisUrl!, RTM_REDIS_PREFIX: prefix, RTM_DATA_DIR: dataDir });
      const workerPids = [...cli.output().matchAll(/^rtm-chat worker \d+ \(pid (\d+)\) listening on /gm)].map((m) => Number(m[1]));
      assert.equal(workerPids.length, 2, cli.output());
      assert.match(cli.output(), /stored in the database \(RTM_DATABASE_URL\)/);
      const secret = /tokenSecret: +(\w+)/.exec(cli.output())![1]!;
      const token = (uid: string) => createToken({ appId: 'demo', uid, secret });

      // Each request on a new connection, so the workers take turns: uploads and downloads land on
      // both, and an object uploaded through one is read through the other.
      const headers = mediaHeaders(await token('alice'));
      for (let i = 0; i < 4; i++) {
        const bytes = randomBytes(64 * 1024 + i);
        const put = await once(`${cli.url}/api/media`, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: bytes });
        assert.equal(put.status, 201, put.body.toString());
        const { mediaId } = JSON.parse(put.body.toString()) as UploadResult;
        for (let j = 0; j < 2; j++) {
          const got = await once(`${cli.url}/api/media/${mediaId}`, { headers });
          assert.deepEqual([got.status, sha256(got.body)], [200, sha256(bytes)]);
        }
        const rest = await once(`${cli.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"uid":"carol"}') });
        assert.equal(rest.status, 200);
      }

      // Alice and Bob on different workers (round-robin; retry Bob's socket until it is so).
      const connect = async (uid: string) => {
        const client = await TestClient.open(cli!.wsUrl);
        clients.push(client);
        await client.requestOk({ t: 'login', appId: 'demo', uid, token: await token(uid) });
        return client;
      };
      const alice = await connect('alice');
      const aliceNode = await until(async () => (await nodesHoldingUser(redisUrl!, prefix, 'alice'))[0], "alice's node in Redis");
      let bob = await connect('bob');
      for (let attempt = 0; ; attempt++) {
        const bobNodes = await until(async () => {
          const nodes = await nodesHoldingUser(redisUrl!, prefix, 'bob');
          return nodes.length > 0 ? nodes : undefined;
        }, "bob's node in Redis");
        if (bobNodes[0]!.pid !== aliceNode.pid) break;
        assert.ok(attempt < 4, 'round-robin should put a new socket on the other worker');
        bob.terminate();
        bob = await connect('bob');
        await until(async () => ((await nodesHoldingUser(redisUrl!, prefix, 'bob')).some((n) => n.pid === aliceNode.pid) ? undefined : true), 'bob gone');
      }
      assert.ok(workerPids.includes(aliceNode.pid));
      const ack = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'w-1', message: text('across workers'), offline: false });
      assert.equal(ack.hasPeerReceived, true);
      assert.equal((await bob.next('peer.message')).message.id, ack.messageId);

      // Kill Alice's worker: the primary logs it and forks a replacement; the port keeps answering.
      process.kill(aliceNode.pid, 'SIGKILL');
      await until(() => (/died \(signal SIGKILL\); starting a replacement/.test(cli!.errors()) ? true : undefined), 'the death line', 5000);
      const replacement = await until(() => /^rtm-chat worker 3 \(pid (\d+)\) listening on /m.exec(cli!.output())?.[1], 'a replacement worker');
      assert.ok(!workerPids.includes(Number(replacement)));
      for (let i = 0; i < 4; i++) assert.equal((await once(`${cli.url}/healthz`, {})).status, 200);

      cli.child.kill('SIGTERM');
      const exit = await cli.exited;
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.match(cli.output(), /SIGTERM: stopping 2 workers…/);
      assert.equal(cli.output().match(/primary stopping: closing connections and the database…/g)?.length, 2);
    } finally {
      for (const client of clients) client.terminate();
      if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
      await database.drop();
      await dropClusterKeys(redisUrl!, prefix);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

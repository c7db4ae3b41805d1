// Several nodes end to end: the real server as separate processes on one fresh PostgreSQL database,
// one Redis and one media directory, with Alice's browser on one node and Bob's on another; then
// RTM_WORKERS=2 behind one port, where the worker holding Alice is SIGKILLed mid-conversation.
// Needs RTM_TEST_DATABASE_URL and RTM_TEST_REDIS_URL (scripts/local-services.sh prints them; CI sets
// them); skipped, saying so, without them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Browser, Locator } from 'playwright-core';
// @ts-expect-error -- a plain ESM script shared with the browser test config
import { createServerProcess } from '../../scripts/server-process.mjs';
import { dropClusterKeys, nodesHoldingUser } from '../server/cluster/state.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../server/storage-backends.js';
import { collectPageErrors, expectInLog, launchChromium, sendText, type RtmServerProcess } from './helpers.js';

const redisUrl = process.env.RTM_TEST_REDIS_URL;
const skip =
  TEST_DATABASE_URL === undefined || !redisUrl
    ? 'RTM_TEST_DATABASE_URL and RTM_TEST_REDIS_URL are not both set (scripts/local-services.sh prints them): cluster e2e SKIPPED'
    : false;
if (skip) console.log(`# ${skip}`);

type ServerProcess = RtmServerProcess & { readonly output: string };

describe('two nodes on one PostgreSQL and Redis', { skip }, () => {
  let database: { url: string; drop(): Promise<void> };
  let mediaDir: string;
  let browser: Browser;
  const started: ServerProcess[] = [];
  const run = Date.now().toString(36);

  /** A server process of the cluster: same database, Redis, prefix and media directory. */
  const node = (name: string, prefix: string, env: Record<string, string> = {}): ServerProcess => {
    const server = createServerProcess({
      name,
      env: { RTM_DATABASE_URL: database.url, RTM_REDIS_URL: redisUrl!, RTM_REDIS_PREFIX: prefix, RTM_MEDIA_DIR: mediaDir, ...env },
    }) as ServerProcess;
    started.push(server);
    return server;
  };

  /** A user's page on `server`: the script-tag embed with one conversation open, in its own context. */
  const openAs = async (server: RtmServerProcess, user: string, target: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/embed.html?user=${user}&${target}`);
    const conversation = page.locator('rtm-channel');
    await conversation.getByRole('textbox', { name: 'Message' }).waitFor();
    return { context, page, errors, conversation, close: () => context.close() };
  };

  before(async () => {
    database = await createTestDatabase();
    mediaDir = mkdtempSync(join(tmpdir(), 'rtm-e2e-cluster-media-'));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const server of started) await server.stop();
    await database?.drop();
    for (const prefix of [`e2e-${run}-ports`, `e2e-${run}-workers`]) await dropClusterKeys(redisUrl!, prefix);
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it('Alice on node A and Bob on node B: peer messages both ways, a channel message, a read receipt, presence', async () => {
    const prefix = `e2e-${run}-ports`;
    const nodeA = node('cluster-a', prefix);
    const nodeB = node('cluster-b', prefix);
    await nodeA.start(); // first: it migrates the database and creates the demo app
    await nodeB.start();
    assert.notEqual(nodeA.port, nodeB.port);

    const alice = await openAs(nodeA, 'alice', 'peer=bob');
    const bob = await openAs(nodeB, 'bob', 'peer=alice');
    const aliceLobby = await openAs(nodeA, 'alice', 'channel=lobby');
    const bobLobby = await openAs(nodeB, 'bob', 'channel=lobby');
    try {
      // Bob sees Alice online although she is connected to the other node.
      await bob.conversation.locator('[part="presence"].online').waitFor({ timeout: 10_000 });

      const hello = `hello bob from A ${run}`;
      await sendText(alice.conversation, hello);
      await expectInLog(bob.conversation, hello);
      const reply = `hi alice from B ${run}`;
      await sendText(bob.conversation, reply);
      await expectInLog(alice.conversation, reply);
      // Bob's page shows Alice's message on screen, so it is read; the receipt crosses back to A.
      await alice.conversation.getByRole('log').getByText('Read', { exact: true }).first().waitFor({ timeout: 10_000 });

      for (const lobby of [aliceLobby, bobLobby]) await lobby.page.getByRole('status').waitFor({ state: 'hidden', timeout: 15_000 });
      const news = `lobby news from B ${run}`;
      await sendText(bobLobby.conversation, news);
      await expectInLog(aliceLobby.conversation, news);

      assert.deepEqual([...alice.errors, ...bob.errors, ...aliceLobby.errors, ...bobLobby.errors], []);

      // Alice leaves (both her pages close): node B tells Bob she is offline.
      await alice.close();
      await aliceLobby.close();
      await bob.conversation.locator('[part="presence"].offline').waitFor({ timeout: 10_000 });
    } finally {
      for (const opened of [alice, bob, aliceLobby, bobLobby]) await opened.close();
      await nodeA.stop();
      await nodeB.stop();
    }
  });

  it("RTM_WORKERS=2 on one port: SIGKILL of Alice's worker loses no acked message and duplicates none", async () => {
    const prefix = `e2e-${run}-workers`;
    const server = node('cluster-workers', prefix, { RTM_WORKERS: '2' });
    await server.start();
    const workerPids = [...server.output.matchAll(/^rtm-chat worker \d+ \(pid (\d+)\) listening on /gm)].map((m) => Number(m[1]));
    assert.equal(workerPids.length, 2, server.output);

    const alice = await openAs(server, 'alice', 'peer=bob');
    const bob = await openAs(server, 'bob', 'peer=alice');
    try {
      const texts = { alice: [] as string[], bob: [] as string[] };
      const send = async (who: 'alice' | 'bob', label: string) => {
        const text = `${label} ${run}`;
        texts[who].push(text);
        await sendText((who === 'alice' ? alice : bob).conversation, text);
      };

      await send('alice', 'before the kill, from alice');
      await send('bob', 'before the kill, from bob');
      await expectInLog(bob.conversation, texts.alice[0]!);
      await expectInLog(alice.conversation, texts.bob[0]!);

      // Which worker holds Alice's socket, from the cluster state in Redis (node ids carry the pid).
      const holding = await nodesHoldingUser(redisUrl!, prefix, 'alice');
      assert.equal(holding.length, 1, JSON.stringify(holding));
      const victim = holding[0]!.pid;
      assert.ok(workerPids.includes(victim), `${victim} is one of the workers ${workerPids.join(', ')}`);
      const bobShared = (await nodesHoldingUser(redisUrl!, prefix, 'bob')).some((n) => n.pid === victim);

      process.kill(victim, 'SIGKILL');
      // Sent while Alice's socket is dying or down (queued in her outbox), and while the cluster
      // still counts the dead worker's users as online (its heartbeat key lives 6 s).
      await send('alice', 'right after the kill, from alice');
      await send('bob', 'right after the kill, from bob');

      // Alice's widget reconnects to the surviving or the replacement worker and sends her queue.
      await alice.page.getByRole('status').waitFor({ state: 'hidden', timeout: 20_000 });
      await send('alice', 'after reconnecting, from alice');
      await send('bob', 'after reconnecting, from bob');

      const log = (conversation: Locator) => conversation.getByRole('log');
      for (const page of [alice, bob]) {
        for (const text of [...texts.alice, ...texts.bob]) await expectInLog(page.conversation, text, 20_000);
      }
      // Every message is acked (no "Sending…", no "Not sent") and shown exactly once on both sides.
      for (const page of [alice, bob]) {
        await log(page.conversation).getByText('Sending…').waitFor({ state: 'detached', timeout: 15_000 });
        assert.equal(await log(page.conversation).getByText('Not sent').count(), 0);
        for (const text of [...texts.alice, ...texts.bob]) {
          assert.equal(await log(page.conversation).getByText(text, { exact: true }).count(), 1, `${text} once`);
        }
      }
      // … and stored exactly once.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        for (const text of [...texts.alice, ...texts.bob]) {
          const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE body LIKE $1', [`%${text}%`]);
          assert.equal(Number(rows[0]!.n), 1, `${text} stored once`);
        }
      } finally {
        await client.end();
      }

      assert.match(server.output, new RegExp(`worker \\d+ \\(pid ${victim}\\) died \\(signal SIGKILL\\); starting a replacement`));
      // The replacement may still be starting: Alice reconnected to the surviving worker meanwhile.
      for (let waited = 0; !/^rtm-chat worker 3 \(pid \d+\) listening on /m.test(server.output); waited += 100) {
        assert.ok(waited < 15_000, `no replacement worker:\n${server.output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      console.log(`# killed worker pid ${victim} (held alice${bobShared ? ' and bob' : '; bob on the other worker'})`);
      const pageErrors = [...alice.errors, ...bob.errors].filter((e) => !/WebSocket|ERR_CONNECTION|net::/.test(e));
      assert.deepEqual(pageErrors, []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});

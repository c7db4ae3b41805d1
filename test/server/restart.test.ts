import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloseCodes } from '../../src/protocol/index.js';
import { fullHistory, spawnCli, TestClient, text, type CliServer } from './helpers.js';

async function devToken(url: string, uid: string): Promise<string> {
  const response = await fetch(`${url}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uid }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}

async function login(server: CliServer, uid: string, token: string): Promise<TestClient> {
  const client = await TestClient.open(server.wsUrl);
  await client.requestOk({ t: 'login', appId: 'demo', uid, token });
  return client;
}

describe('the CLI server', () => {
  let dataDir: string;
  let running: CliServer | undefined;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rtm-cli-'));
  });
  after(async () => {
    running?.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acked message exactly once across a SIGKILL and restart', async () => {
    running = await spawnCli({ RTM_DATA_DIR: dataDir });
    assert.match(running.output(), /Created app "demo"/);
    assert.match(running.output(), /tokenSecret: [0-9a-f]{64}/);
    const token = await devToken(running.url, 'alice');
    const alice = await login(running, 'alice', token);

    // Pipeline many sends and kill the server in the middle of them.
    const N = 80;
    const KILL_AFTER = 40;
    const acks = new Map<string, string>(); // cmid → messageId
    const killed = new Promise<void>((resolve) => {
      alice.ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { t: string; id: number; ok: boolean; result?: { messageId: string } };
        if (frame.t !== 'reply' || !frame.ok) return;
        acks.set(`m-${frame.id}`, frame.result!.messageId);
        if (acks.size === KILL_AFTER) {
          running!.child.kill('SIGKILL');
          resolve();
        }
      });
    });
    for (let id = 1; id <= N; id++) {
      alice.sendRaw(JSON.stringify({ t: 'peer.send', id, to: 'bob', cmid: `m-${id}`, message: text(`message ${id}`), offline: true }));
    }
    await killed;
    assert.equal((await running.exited).signal, 'SIGKILL');
    await alice.closed;
    const ackedBeforeKill = new Map(acks);
    assert.ok(ackedBeforeKill.size >= KILL_AFTER);

    running = await spawnCli({ RTM_DATA_DIR: dataDir });
    assert.doesNotMatch(running.output(), /Created app/, 'the demo app and its secret survive');
    const again = await login(running, 'alice', token); // the old token still verifies
    const history = await fullHistory(again, { peer: 'bob' });
    for (const [cmid, messageId] of ackedBeforeKill) {
      const found = history.filter((message) => message.cmid === cmid);
      assert.equal(found.length, 1, `${cmid} stored exactly once`);
      assert.equal(found[0]!.id, messageId, `${cmid} keeps its id`);
    }
    assert.equal(new Set(history.map((message) => message.cmid)).size, history.length, 'no duplicates at all');
    assert.deepEqual(
      history.map((message) => message.seq),
      history.map((_, i) => i + 1),
      'seq has no gaps',
    );

    // Resending everything (what a client does after reconnecting) stores nothing twice.
    for (let id = 1; id <= N; id++) {
      const ack = await again.requestOk({ t: 'peer.send', to: 'bob', cmid: `m-${id}`, message: text(`message ${id}`), offline: true });
      if (ackedBeforeKill.has(`m-${id}`)) {
        assert.equal(ack.duplicate, true);
        assert.equal(ack.messageId, ackedBeforeKill.get(`m-${id}`));
      }
    }
    assert.equal((await fullHistory(again, { peer: 'bob' })).length, N);

    // Offline copies survived too: bob gets all N, in order, once, in one batch.
    const bob = await login(running, 'bob', await devToken(running.url, 'bob'));
    const batch = await bob.next('peer.offline_batch');
    assert.equal(batch.peer, 'alice');
    assert.deepEqual(
      batch.messages.map((message) => message.cmid),
      Array.from({ length: N }, (_, i) => `m-${i + 1}`),
    );
    await bob.expectNone('peer.offline_batch', 100);

    // SIGTERM closes sockets with SERVER_SHUTDOWN and exits cleanly.
    running.child.kill('SIGTERM');
    assert.equal((await again.closed).code, CloseCodes.SERVER_SHUTDOWN);
    assert.equal((await running.exited).code, 0);
    running = undefined;
  });
});

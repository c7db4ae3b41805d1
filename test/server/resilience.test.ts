import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import type { Storage } from '../../src/server/storage/types.js';
import { startTestServer, TestClient, text } from './helpers.js';

describe('heartbeat', () => {
  it('terminates a socket that stops answering pings and announces its user left', async () => {
    const t = await startTestServer({ heartbeatIntervalMs: 100 });
    try {
      const watcher = await t.connect('watcher');
      await watcher.requestOk({ t: 'channel.join', channel: 'room' });
      // A client that never answers pings (a half-open connection, as far as the server can tell).
      const silent = await TestClient.open(t.wsUrl, { autoPong: false });
      const token = await t.token('ghost');
      await silent.requestOk({ t: 'login', appId: 'demo', uid: 'ghost', token });
      await silent.requestOk({ t: 'channel.join', channel: 'room' });
      await watcher.next('channel.member_joined');
      const left = await watcher.next('channel.member_left', { timeoutMs: 2000 });
      assert.equal(left.uid, 'ghost');
      assert.equal((await silent.closed).code, 1006);
      // A client that answers pings stays connected across several intervals.
      assert.ok(watcher.isOpen);
      assert.deepEqual(await watcher.requestOk({ t: 'channel.members', channel: 'room' }), { members: ['watcher'] });
    } finally {
      await t.close();
    }
  });
});

describe('server failures', () => {
  it('answer INTERNAL_ERROR, keep the connection and the process, and /healthz says 503', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-fail-'));
    const real = createSqliteStorage(dir);
    let failWrites = false;
    const storage: Storage = {
      ...real,
      messages: {
        ...real.messages,
        async store(input, now) {
          if (input.cmid.startsWith('boom')) throw new Error('disk on fire');
          return real.messages.store(input, now);
        },
      },
      health: {
        async checkWritable(now) {
          if (failWrites) throw new Error('SQLITE_READONLY');
          return real.health.checkWritable(now);
        },
      },
    };
    const t = await startTestServer({ storage, logger: { level: 'silent' } });
    try {
      const alice = await t.connect('alice');
      const bob = await t.connect('bob');
      const error = await alice.requestError({ t: 'peer.send', to: 'bob', cmid: 'boom-1', message: text('x'), offline: false });
      assert.deepEqual([error.code, error.reason], [500, 'INTERNAL_ERROR']);
      await bob.expectNone('peer.message', 100);
      assert.ok(alice.isOpen);
      const ack = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'fine-1', message: text('ok'), offline: false });
      assert.equal((await bob.next('peer.message')).message.id, ack.messageId);

      assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
      failWrites = true;
      const unhealthy = await fetch(`${t.url}/healthz`);
      assert.equal(unhealthy.status, 503);
      assert.equal(((await unhealthy.json()) as { reason: string }).reason, 'INTERNAL_ERROR');
    } finally {
      await t.close();
      await real.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

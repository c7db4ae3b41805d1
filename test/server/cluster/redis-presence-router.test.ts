/**
 * Two RedisPresenceRouter "nodes" on one Redis, with fake connections that record what they are
 * sent. Needs a Redis: RTM_TEST_REDIS_URL=redis://127.0.0.1:6390 (skipped, and said so, without).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { RoutedConnection } from '../../../src/server/messaging/presence-router.js';
import { ClusterUnavailableError, RedisPresenceRouter } from '../../../src/server/messaging/cluster/redis-presence-router.js';

const redisUrl = process.env.RTM_TEST_REDIS_URL;
if (!redisUrl) console.log('# SKIPPED redis-presence-router tests: set RTM_TEST_REDIS_URL=redis://host:port to run them');

const HEARTBEAT_MS = 50;
const TTL_MS = 200;

let nextId = 1;
class FakeConnection implements RoutedConnection {
  readonly id = nextId++;
  readonly texts: string[] = [];
  confirms = true;
  constructor(
    readonly uid: string,
    readonly appId = 'app',
  ) {}
  sendText(text: string): void {
    this.texts.push(text);
  }
  async confirmReceived(): Promise<boolean> {
    return this.confirms;
  }
  frames(t?: string): Record<string, unknown>[] {
    return this.texts.map((text) => JSON.parse(text) as Record<string, unknown>).filter((frame) => !t || frame.t === t);
  }
}

const routers: RedisPresenceRouter[] = [];
after(async () => {
  await Promise.all(routers.map((router) => router.close()));
});

async function cluster(count = 2, prefix = randomUUID()): Promise<RedisPresenceRouter[]> {
  const nodes: RedisPresenceRouter[] = [];
  for (let i = 0; i < count; i++) {
    const router = new RedisPresenceRouter({
      url: redisUrl!,
      prefix,
      nodeId: `node-${i}`,
      heartbeatIntervalMs: HEARTBEAT_MS,
      nodeTtlMs: TTL_MS,
    });
    routers.push(router);
    await router.start();
    nodes.push(router);
  }
  return nodes;
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RedisPresenceRouter across two nodes', { skip: !redisUrl && 'RTM_TEST_REDIS_URL is not set' }, () => {
  it('a user attached on node A is ONLINE on node B, and OFFLINE there after detaching', async () => {
    const [a, b] = await cluster();
    const alice = new FakeConnection('alice');
    a!.attach(alice);
    await waitFor('alice online on B', () => b!.isOnline('app', 'alice'));
    assert.equal(b!.status('app', ['alice', 'bob']).alice, 'ONLINE');
    assert.equal(b!.status('app', ['alice', 'bob']).bob, 'OFFLINE');
    a!.detach(alice);
    await waitFor('alice offline on B', () => !b!.isOnline('app', 'alice'));
  });

  it('a node started later learns who is online from the snapshot', async () => {
    const prefix = randomUUID();
    const [a] = await cluster(1, prefix);
    a!.attach(new FakeConnection('alice'));
    const joiner = new FakeConnection('carol');
    a!.attach(joiner);
    a!.join(joiner, 'lobby');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = new RedisPresenceRouter({ url: redisUrl!, prefix, nodeId: 'late', heartbeatIntervalMs: HEARTBEAT_MS, nodeTtlMs: TTL_MS });
    routers.push(late);
    await late.start();
    assert.equal(late.isOnline('app', 'alice'), true);
    assert.deepEqual(late.members('app', 'lobby'), ['carol']);
  });

  it('sendToUser from B reaches A’s connections and counts them', async () => {
    const [a, b] = await cluster();
    const alice1 = new FakeConnection('alice');
    const alice2 = new FakeConnection('alice');
    a!.attach(alice1);
    a!.attach(alice2);
    await waitFor('alice known on B', () => b!.isOnline('app', 'alice'));
    const sent = b!.sendToUser('app', 'alice', { t: 'typing', from: 'bob', peer: 'bob', expiresInMs: 1000 });
    assert.equal(sent, 2);
    await waitFor('both tabs got it', () => alice1.frames('typing').length === 1 && alice2.frames('typing').length === 1);
  });

  it('a user with connections on both nodes gets a push on both, the sending connection excepted', async () => {
    const [a, b] = await cluster();
    const onA = new FakeConnection('alice');
    const onB = new FakeConnection('alice');
    a!.attach(onA);
    b!.attach(onB);
    await waitFor('both known', () => a!.isOnline('app', 'alice', onA) && b!.isOnline('app', 'alice', onB));
    assert.equal(a!.sendToUser('app', 'alice', { t: 'typing', from: 'x', peer: 'x', expiresInMs: 1 }, onA), 1);
    await waitFor('B’s tab got it', () => onB.frames('typing').length === 1);
    assert.equal(onA.frames('typing').length, 0);
  });

  it('channel members span nodes; member_joined/left and channel sends reach both nodes', async () => {
    const [a, b] = await cluster();
    const alice = new FakeConnection('alice');
    const bob = new FakeConnection('bob');
    a!.attach(alice);
    b!.attach(bob);
    assert.deepEqual(a!.join(alice, 'lobby'), ['alice']);
    await waitFor('alice a member on B', () => b!.members('app', 'lobby').includes('alice'));
    assert.deepEqual(b!.join(bob, 'lobby'), ['alice', 'bob']);
    await waitFor('alice told bob joined', () => alice.frames('channel.member_joined').some((f) => f.uid === 'bob'));
    assert.deepEqual(a!.members('app', 'lobby'), ['alice', 'bob']);
    assert.equal(bob.frames('channel.member_joined').length, 0, 'the joiner is not told about itself');

    const count = a!.sendToChannel('app', 'lobby', { t: 'typing', from: 'alice', channel: 'lobby', expiresInMs: 1 }, alice);
    assert.equal(count, 1);
    await waitFor('bob got the channel push', () => bob.frames('typing').length === 1);

    assert.equal(b!.leave(bob, 'lobby'), true);
    await waitFor('alice told bob left', () => alice.frames('channel.member_left').some((f) => f.uid === 'bob'));
    assert.deepEqual(a!.members('app', 'lobby'), ['alice']);
  });

  it('presence subscriptions on B see ONLINE/OFFLINE of a user on A', async () => {
    const [a, b] = await cluster();
    const watcher = new FakeConnection('bob');
    b!.attach(watcher);
    assert.deepEqual({ ...b!.subscribe(watcher, ['alice']) }, { alice: 'OFFLINE' });
    const alice = new FakeConnection('alice');
    a!.attach(alice);
    await waitFor('ONLINE pushed', () => watcher.frames('presence').some((f) => f.uid === 'alice' && f.status === 'ONLINE'));
    a!.detach(alice);
    await waitFor('OFFLINE pushed', () => watcher.frames('presence').some((f) => f.uid === 'alice' && f.status === 'OFFLINE'));
    assert.equal(watcher.frames('presence').length, 2);
  });

  it('confirmReceived asks the node holding the user', async () => {
    const [a, b] = await cluster();
    const alice = new FakeConnection('alice');
    a!.attach(alice);
    await waitFor('alice known on B', () => b!.isOnline('app', 'alice'));
    assert.equal(await b!.confirmReceived('app', 'alice', 200), true);
    alice.confirms = false;
    assert.equal(await b!.confirmReceived('app', 'alice', 200), false);
    assert.equal(await b!.confirmReceived('app', 'nobody', 200), false);
  });

  it('a node that stops heartbeating is dropped after the TTL: users OFFLINE, members leave', async () => {
    const prefix = randomUUID();
    const [a, b] = await cluster(2, prefix);
    const watcher = new FakeConnection('bob');
    b!.attach(watcher);
    b!.join(watcher, 'lobby');
    b!.subscribe(watcher, ['alice']);
    const alice = new FakeConnection('alice');
    a!.attach(alice);
    a!.join(alice, 'lobby');
    await waitFor('alice a member on B', () => b!.members('app', 'lobby').includes('alice'));
    // A "SIGKILL": the node's Redis connections drop without its clean-stop cleanup.
    killWithoutCleanup(a!);
    await new Promise((resolve) => setTimeout(resolve, TTL_MS / 2));
    assert.equal(b!.isOnline('app', 'alice'), true, 'still there before the TTL');
    await waitFor('alice dropped', () => !b!.isOnline('app', 'alice'), TTL_MS * 5);
    assert.deepEqual(b!.members('app', 'lobby'), ['bob']);
    assert.ok(watcher.frames('presence').some((f) => f.uid === 'alice' && f.status === 'OFFLINE'));
    assert.ok(watcher.frames('channel.member_left').some((f) => f.uid === 'alice'));
  });

  it('a clean close is seen at once by the other node', async () => {
    const [a, b] = await cluster();
    a!.attach(new FakeConnection('alice'));
    await waitFor('alice known on B', () => b!.isOnline('app', 'alice'));
    await a!.close();
    await waitFor('alice gone', () => !b!.isOnline('app', 'alice'), TTL_MS / 2);
  });

  it('without Redis, sends that need another node fail with ClusterUnavailableError; health fails', async () => {
    const [a, b] = await cluster();
    const alice = new FakeConnection('alice');
    const local = new FakeConnection('carol');
    a!.attach(alice);
    b!.attach(local);
    await waitFor('alice known on B', () => b!.isOnline('app', 'alice'));
    killWithoutCleanup(b!);
    await waitFor('B unhealthy', () => !isHealthy(b!));
    assert.throws(() => b!.checkHealthy(), ClusterUnavailableError);
    assert.throws(() => b!.isOnline('app', 'alice'), ClusterUnavailableError);
    assert.equal(b!.isOnline('app', 'carol'), true, 'local users are still known');
    assert.throws(() => b!.sendToUser('app', 'alice', { t: 'typing', from: 'c', peer: 'c', expiresInMs: 1 }), ClusterUnavailableError);
  });
});

/** Disconnects both Redis connections without the clean-stop writes (what a killed process does). */
function killWithoutCleanup(router: RedisPresenceRouter): void {
  router.disconnectWithoutCleanup();
}

function isHealthy(router: RedisPresenceRouter): boolean {
  try {
    router.checkHealthy();
    return true;
  } catch {
    return false;
  }
}

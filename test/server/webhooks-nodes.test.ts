/**
 * Webhooks with several nodes on one PostgreSQL: every node runs a dispatcher over the same outbox,
 * and the per-app dispatch lease makes each event go out once (not once per node), in the order
 * one node sends them; a holder that dies mid-way is taken over once its lease runs out, and the
 * event it had in flight is sent again with the same id (at least once).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPostgresStorage } from '../../src/server/storage/postgres/index.js';
import type { Storage } from '../../src/server/storage/types.js';
import { startTestServer, type TestServer } from './helpers.js';
import { peerPath, seedPeerBody } from './rest-helpers.js';
import { authOf, deliveries, eventually, hookApp, outboxDrained, Receiver, type Received } from './webhooks-helpers.js';
import { createTestDatabase, TEST_DATABASE_URL } from './storage-backends.js';

const skip = TEST_DATABASE_URL === undefined ? 'RTM_TEST_DATABASE_URL is not set: webhooks on several nodes SKIPPED' : false;
if (skip) console.log(`# ${skip}`);

/** Short lease so a takeover happens within the test; one request in flight so order is strict. */
const DISPATCH = { leaseMs: 400, concurrencyPerApp: 1, timeoutMs: 3000, retryDelayMs: () => 50 };

/** The text a message.sent event carries: how the tests name events. */
const textOf = (r: Received) => (r.event.data as { message: { message: { text: string } } }).message.message.text;

describe('webhooks on several nodes sharing one PostgreSQL', { skip }, () => {
  let database: { url: string; drop(): Promise<void> };
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database?.drop();
  });

  /**
   * Posts one REST peer message to `node` and waits until its message.sent event is in the outbox
   * (recorded by that node just after the answer). One at a time, so the outbox order, which the
   * dispatcher follows, is the order of the sends.
   */
  async function send(node: TestServer, app: ReturnType<typeof hookApp>, payload: string, recorded: number): Promise<void> {
    const response = await fetch(`${node.url}${peerPath('alice', app.id)}`, {
      method: 'POST',
      headers: { authorization: authOf(app), 'content-type': 'application/json' },
      body: JSON.stringify(seedPeerBody('bob', payload)),
    });
    assert.equal(response.status, 200);
    await response.body?.cancel();
    await eventually(async () => {
      const { body } = await deliveries(node.url, app, '?limit=100');
      return body.deliveries.length >= recorded ? true : undefined;
    }, 5000, `event ${recorded} in the outbox`);
  }

  const texts = (count: number) => Array.from({ length: count }, (_, i) => `m${i}`);

  it('two nodes recording events of one app: each event is delivered once, in order', async () => {
    const receiver = await Receiver.start(() => 204);
    const app = hookApp('pair', receiver.url);
    const a = await startTestServer({ databaseUrl: database.url, config: { apps: [app] }, webhooks: DISPATCH });
    const b = await startTestServer({ databaseUrl: database.url, config: { apps: [app] }, webhooks: DISPATCH });
    try {
      const count = 20;
      // Both nodes record events, so both dispatchers are woken and compete for the app.
      for (let i = 0; i < count; i++) await send(i % 2 === 0 ? a : b, app, `m${i}`, i + 1);
      await receiver.waitFor(count);
      await outboxDrained(a.url, app);
      assert.deepEqual(receiver.received.map(textOf), texts(count), 'each event once, in order');
      assert.equal(new Set(receiver.received.map((r) => r.event.id)).size, count);
    } finally {
      await a.close();
      await b.close();
      await receiver.close();
    }
  });

  it('the lease holder dies mid-way: the other node takes the app over after the lease expires, resends the event in flight, loses nothing', async () => {
    let hungId: string | undefined;
    // Holds the first request for m4 open (the holder "dies" while waiting); answers the rest.
    const receiver = await Receiver.start((r) => {
      if (hungId === undefined && textOf(r) === 'm4') {
        hungId = r.event.id;
        return 'hang';
      }
      return 204;
    });
    const app = hookApp('crash', receiver.url);
    // Node A's storage is the test's, so the test can cut A off from the database: A then can
    // neither record the outcome of its request nor renew or release its lease — a crash as the
    // database sees one.
    const storageA: Storage = await createPostgresStorage(database.url);
    const a = await startTestServer({ storage: storageA, config: { apps: [app] }, webhooks: DISPATCH });
    let b: TestServer | undefined;
    try {
      const count = 10;
      for (let i = 0; i < count; i++) await send(a, app, `m${i}`, i + 1);
      await receiver.waitFor(5);
      await eventually(async () => (receiver.hanging === 1 ? true : undefined), 5000, 'A to be stuck on m4');
      assert.deepEqual(receiver.received.map(textOf), ['m0', 'm1', 'm2', 'm3', 'm4']);

      // B joins while A holds the app (so the holder is known to be A): B finds events due but
      // the lease taken, and keeps looking. Then A is cut off mid-request.
      b = await startTestServer({ databaseUrl: database.url, config: { apps: [app] }, webhooks: DISPATCH });
      await storageA.close();
      // An event recorded by B after the takeover point still comes after A's.
      await send(b, app, `m${count}`, count + 1);
      const all = await receiver.waitFor(count + 2, 10_000);
      const answered = all.filter((r, i) => !(r.event.id === hungId && i === 4));
      assert.deepEqual(answered.map(textOf), texts(count + 1), 'every event once, in order');
      const resent = all.filter((r) => r.event.id === hungId);
      assert.equal(resent.length, 2, 'the event that had no outcome is sent again, with the same id');
      await outboxDrained(b.url, app);
    } finally {
      await a.close();
      await b?.close();
      await receiver.close();
    }
  });
});

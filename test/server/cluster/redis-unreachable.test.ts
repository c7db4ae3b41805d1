/**
 * A server told to use a Redis that is not there (RTM_REDIS_URL pointing at a closed port): it
 * starts, serves its own connections, fails /healthz, and refuses a send it cannot route instead
 * of storing it as offline. Needs no Redis, so it always runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, text, type TestServer } from '../helpers.js';

// Port 1 (tcpmux) is not a Redis anywhere we run tests: connections are refused at once.
const NO_REDIS = 'redis://127.0.0.1:1';

describe('a server whose Redis is unreachable', () => {
  let t: TestServer;
  const errors: unknown[] = [];
  const consoleError = console.error;
  before(async () => {
    // The outage is logged on stderr; keep it out of the test output but check it happened.
    console.error = (...args: unknown[]) => void errors.push(args);
    t = await startTestServer({ redisUrl: NO_REDIS });
  });
  after(async () => {
    await t.close();
    console.error = consoleError;
  });

  it('starts, logs the outage and answers /healthz with 503', async () => {
    const res = await fetch(`${t.url}/healthz`);
    assert.equal(res.status, 503);
    assert.match(((await res.json()) as { message: string }).message, /cluster \(Redis\)/);
    assert.ok(errors.some((args) => String((args as unknown[]).at(-1)).includes('unreachable at start')));
  });

  it('refuses a peer send to a user who is not on this node, rather than storing it offline', async () => {
    const alice = await t.connect('alice');
    const error = await alice.requestError({ t: 'peer.send', to: 'bob', cmid: 'no-redis-1', message: text('hi'), offline: true });
    assert.equal(error.reason, 'INTERNAL_ERROR');
    assert.match(error.message, /Redis/);
    alice.close();
  });

  it('still delivers between connections on this node', async () => {
    const [alice, bob] = [await t.connect('alice'), await t.connect('bob')];
    const ack = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'no-redis-2', message: text('local'), offline: false });
    assert.equal(ack.hasPeerReceived, true);
    await bob.next('peer.message');
    alice.close();
    bob.close();
  });
});

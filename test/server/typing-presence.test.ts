import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_PRESENCE_QUERY, TYPING_MIN_INTERVAL_MS, TYPING_TTL_MS } from '../../src/protocol/index.js';
import { MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION } from '../../src/server/messaging/presence-router.js';
import { manualClock, startTestServer, type TestServer } from './helpers.js';

describe('typing', () => {
  const clock = manualClock();
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ now: clock.now });
  });
  after(() => t.close());

  it('is relayed to every connection of the peer, rate-limited per connection and conversation, never stored', async () => {
    const [amy1, amy2] = [await t.connect('amy'), await t.connect('amy')];
    const [ben1, ben2] = [await t.connect('ben'), await t.connect('ben')];
    assert.deepEqual(await amy1.requestOk({ t: 'typing', peer: 'ben' }), {});
    for (const ben of [ben1, ben2]) {
      assert.deepEqual(await ben.next('typing'), { t: 'typing', from: 'amy', peer: 'amy', expiresInMs: TYPING_TTL_MS });
    }
    await amy2.expectNone('typing', 100);
    await amy1.expectNone('typing', 0);

    // Again too soon, from the same connection, in the same conversation.
    const tooOften = await amy1.requestError({ t: 'typing', peer: 'ben' });
    assert.deepEqual([tooOften.code, tooOften.reason], [429, 'TOO_OFTEN']);
    clock.advance(TYPING_MIN_INTERVAL_MS - 1);
    assert.equal((await amy1.requestError({ t: 'typing', peer: 'ben' })).reason, 'TOO_OFTEN');
    await ben1.expectNone('typing', 100);
    // Another connection, or another conversation, is counted apart.
    await amy2.requestOk({ t: 'typing', peer: 'ben' });
    await amy1.requestOk({ t: 'typing', peer: 'cid' });
    assert.equal((await ben1.next('typing')).from, 'amy');
    assert.equal((await ben2.next('typing')).from, 'amy');
    clock.advance(1);
    await amy1.requestOk({ t: 'typing', peer: 'ben' });
    assert.equal((await ben1.next('typing')).from, 'amy');
    assert.ok(amy1.isOpen, 'TOO_OFTEN is not a bad frame');

    // Not stored anywhere.
    assert.deepEqual((await ben1.requestOk({ t: 'history', peer: 'amy', limit: 10 })).messages, []);
    assert.deepEqual((await ben1.requestOk({ t: 'sync', peer: 'amy', afterSeq: 0, limit: 10 })).messages, []);
    assert.deepEqual(await ben1.requestOk({ t: 'conversations' }), { conversations: [], totalUnread: 0 });
    // Nobody of cid's was online, and nothing is kept for later.
    const cid = await t.connect('cid');
    await cid.expectNone('typing', 150);
    await cid.expectNone('peer.offline_batch', 0);
  });

  it('in a channel reaches the joined connections except the sending one; the sender must have joined', async () => {
    const [dot1, dot2] = [await t.connect('dot'), await t.connect('dot')];
    const eli = await t.connect('eli');
    const outsider = await t.connect('fay');
    for (const client of [dot1, dot2, eli]) await client.requestOk({ t: 'channel.join', channel: 'desk' });
    await dot1.requestOk({ t: 'typing', channel: 'desk' });
    for (const client of [dot2, eli]) {
      assert.deepEqual(await client.next('typing'), { t: 'typing', from: 'dot', channel: 'desk', expiresInMs: TYPING_TTL_MS });
    }
    await dot1.expectNone('typing', 100);
    await outsider.expectNone('typing', 0);
    assert.equal((await outsider.requestError({ t: 'typing', channel: 'desk' })).reason, 'NOT_JOINED');
    assert.equal((await dot1.requestError({ t: 'typing', channel: 'desk' })).reason, 'TOO_OFTEN');
    assert.deepEqual((await eli.requestOk({ t: 'history', channel: 'desk', limit: 10 })).messages, []);
  });
});

describe('presence', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('query answers ONLINE for users with a logged-in connection, OFFLINE otherwise', async () => {
    const asker = await t.connect('asker');
    const on = await t.connect('on');
    const notYet = await t.open();
    assert.deepEqual(await asker.requestOk({ t: 'presence.query', uids: ['on', 'off', 'asker', 'on'] }), {
      status: { on: 'ONLINE', off: 'OFFLINE', asker: 'ONLINE' },
    });
    // A socket that has not logged in does not count; the last connection closing does.
    void notYet;
    // The push for the last connection going down says the server has processed the close.
    await asker.requestOk({ t: 'presence.subscribe', uids: ['on'] });
    on.close();
    assert.deepEqual(await asker.next('presence'), { t: 'presence', uid: 'on', status: 'OFFLINE' });
    assert.deepEqual((await asker.requestOk({ t: 'presence.query', uids: ['on'] })).status, { on: 'OFFLINE' });
    const many = Array.from({ length: MAX_PRESENCE_QUERY }, (_, i) => `user ${i}`);
    const status = (await asker.requestOk({ t: 'presence.query', uids: many })).status;
    assert.equal(Object.keys(status).length, MAX_PRESENCE_QUERY);
    assert.ok(Object.values(status).every((value) => value === 'OFFLINE'));
  });

  it('subscribe: status now, then a push when the first connection comes up and the last one goes down', async () => {
    const watcher = await t.connect('watcher');
    const other = await t.connect('other-watcher');
    assert.deepEqual(await watcher.requestOk({ t: 'presence.subscribe', uids: ['gus', 'watcher'] }), {
      status: { gus: 'OFFLINE', watcher: 'ONLINE' },
    });
    await other.requestOk({ t: 'presence.subscribe', uids: ['gus'] });

    const gus1 = await t.connect('gus');
    for (const client of [watcher, other]) {
      assert.deepEqual(await client.next('presence'), { t: 'presence', uid: 'gus', status: 'ONLINE' });
    }
    const gus2 = await t.connect('gus');
    await watcher.expectNone('presence', 100);
    gus1.close();
    await gus1.closed;
    await watcher.expectNone('presence', 100);
    gus2.terminate();
    assert.deepEqual(await watcher.next('presence'), { t: 'presence', uid: 'gus', status: 'OFFLINE' });
    assert.deepEqual(await other.next('presence'), { t: 'presence', uid: 'gus', status: 'OFFLINE' });

    // Unsubscribed: no more pushes to that connection; the other subscriber still hears.
    assert.deepEqual(await watcher.requestOk({ t: 'presence.unsubscribe', uids: ['gus', 'never-followed'] }), {});
    const gus3 = await t.connect('gus');
    assert.equal((await other.next('presence')).status, 'ONLINE');
    await watcher.expectNone('presence', 100);

    // A subscription ends with its connection.
    other.close();
    await other.closed;
    gus3.close();
    await gus3.closed;
    const again = await t.connect('other-watcher');
    await t.connect('gus');
    await again.expectNone('presence', 150);
  });

  it(`limits one connection to ${MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION} followed users`, async () => {
    const client = await t.connect('follower');
    const batches = MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION / MAX_PRESENCE_QUERY;
    for (let b = 0; b < batches; b++) {
      const uids = Array.from({ length: MAX_PRESENCE_QUERY }, (_, i) => `f${b}-${i}`);
      await client.requestOk({ t: 'presence.subscribe', uids });
    }
    // Following someone already followed is not more.
    await client.requestOk({ t: 'presence.subscribe', uids: ['f0-0'] });
    const error = await client.requestError({ t: 'presence.subscribe', uids: ['one-too-many'] });
    assert.equal(error.reason, 'INVALID_ARGUMENT');
    await client.requestOk({ t: 'presence.unsubscribe', uids: ['f0-0'] });
    await client.requestOk({ t: 'presence.subscribe', uids: ['one-too-many'] });
  });
});

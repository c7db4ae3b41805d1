import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConversationState, StoredMessage } from '../../src/protocol/index.js';
import { createToken, startServer } from '../../src/server/index.js';
import { peerConversation } from '../../src/server/messaging/conversations.js';
import { newMessageId } from '../../src/server/messaging/message-ids.js';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import { manualClock, startTestServer, TestClient, text, type TestServer } from './helpers.js';

const textOf = (stored: StoredMessage) => (stored.message as { text: string }).text;

/** Sends `count` peer messages and returns their acks. */
async function sendPeer(from: TestClient, to: string, prefix: string, count: number, offline = false) {
  const acks = [];
  for (let i = 1; i <= count; i++) {
    acks.push(await from.requestOk({ t: 'peer.send', to, cmid: `${prefix}-${i}`, message: text(`${prefix} ${i}`), offline }));
  }
  return acks;
}

async function sendChannel(from: TestClient, channel: string, prefix: string, count: number) {
  const acks = [];
  for (let i = 1; i <= count; i++) {
    acks.push(await from.requestOk({ t: 'channel.send', channel, cmid: `${prefix}-${i}`, message: text(`${prefix} ${i}`) }));
  }
  return acks;
}

/** The parts of a conversation state a test compares (lastMessage as its text). */
function summary(state: ConversationState) {
  const { lastMessage, ...rest } = state;
  return { ...rest, last: lastMessage && textOf(lastMessage) };
}

describe('read markers and unread counts', () => {
  const clock = manualClock();
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ now: clock.now });
  });
  after(() => t.close());

  it('move only up: a stale marker does not move them back, one beyond the newest message clamps', async () => {
    const alice = await t.connect('alice');
    await sendPeer(alice, 'bob', 'mono', 5);
    const bob = await t.connect('bob');
    assert.deepEqual(await bob.requestOk({ t: 'read', peer: 'alice', seq: 3 }), {
      kind: 'peer',
      id: 'alice',
      readSeq: 3,
      unread: 2,
      totalUnread: 2,
    });
    // Stale: nothing moves, and nobody hears about it.
    assert.deepEqual(await bob.requestOk({ t: 'read', peer: 'alice', seq: 2 }), {
      kind: 'peer',
      id: 'alice',
      readSeq: 3,
      unread: 2,
      totalUnread: 2,
    });
    assert.equal((await alice.next('receipt', { where: (r) => r.kind === 'read' })).seq, 3);
    await alice.expectNone('receipt', 150);
    assert.equal((await bob.requestOk({ t: 'conversations' })).conversations[0]!.readSeq, 3, 'the stored marker stayed');
    // Beyond the newest message: clamped to it.
    assert.deepEqual(await bob.requestOk({ t: 'read', peer: 'alice', seq: 99 }), {
      kind: 'peer',
      id: 'alice',
      readSeq: 5,
      unread: 0,
      totalUnread: 0,
    });
    assert.deepEqual(await alice.next('receipt', { where: (r) => r.kind === 'read' }), { t: 'receipt', kind: 'read', peer: 'bob', seq: 5 });
    // A new message is unread again; the clamped marker did not run ahead of it.
    await sendPeer(alice, 'bob', 'mono-late', 1);
    assert.deepEqual(await bob.requestOk({ t: 'read', peer: 'alice', seq: 5 }), {
      kind: 'peer',
      id: 'alice',
      readSeq: 5,
      unread: 1,
      totalUnread: 1,
    });
    // The sender's own messages are never unread for them.
    const [fromAlice] = (await alice.requestOk({ t: 'conversations' })).conversations;
    assert.deepEqual([fromAlice!.id, fromAlice!.readSeq, fromAlice!.unread, fromAlice!.peerReadSeq], ['bob', 0, 0, 5]);
    // A conversation without messages reads as 0.
    assert.deepEqual(await bob.requestOk({ t: 'read', peer: 'nobody', seq: 10 }), {
      kind: 'peer',
      id: 'nobody',
      readSeq: 0,
      unread: 0,
      totalUnread: 1,
    });
  });

  it('a read on one connection: read.updated on the reader’s others, a read receipt on every connection of the peer', async () => {
    const [carol1, carol2] = [await t.connect('carol'), await t.connect('carol')];
    const [dave1, dave2] = [await t.connect('dave'), await t.connect('dave')];
    await sendPeer(dave1, 'carol', 'rd', 2);
    for (const dave of [dave1, dave2]) {
      // carol is online: both messages were delivered at once.
      assert.deepEqual((await dave.next('receipt')).seq, 1);
      assert.deepEqual(await dave.next('receipt'), { t: 'receipt', kind: 'delivered', peer: 'carol', seq: 2 });
    }
    const state = await carol1.requestOk({ t: 'read', peer: 'dave', seq: 2 });
    assert.deepEqual(state, { kind: 'peer', id: 'dave', readSeq: 2, unread: 0, totalUnread: 0 });
    assert.deepEqual(await carol2.next('read.updated'), { t: 'read.updated', ...state });
    for (const dave of [dave1, dave2]) {
      assert.deepEqual(await dave.next('receipt'), { t: 'receipt', kind: 'read', peer: 'carol', seq: 2 });
    }
    await carol1.expectNone('read.updated', 100);
    await carol1.expectNone('receipt', 0);
    // The same marker again moves nothing: no pushes.
    await carol2.requestOk({ t: 'read', peer: 'dave', seq: 2 });
    await carol1.expectNone('read.updated', 150);
    await dave1.expectNone('receipt', 0);
    await dave2.expectNone('receipt', 0);
  });

  it('delivered receipts on live delivery go to every connection of the sender; reading implies delivered', async () => {
    const [erin1, erin2] = [await t.connect('erin'), await t.connect('erin')];
    const fred = await t.connect('fred');
    const [ack] = await sendPeer(erin1, 'fred', 'live', 1);
    assert.equal(ack!.hasPeerReceived, true);
    for (const erin of [erin1, erin2]) {
      assert.deepEqual(await erin.next('receipt'), { t: 'receipt', kind: 'delivered', peer: 'fred', seq: 1 });
    }
    await fred.expectNone('receipt', 0);
    fred.close();
    await fred.closed;
    // Nobody of fred's is connected: no receipt, and the marker stays.
    await sendPeer(erin1, 'fred', 'not-live', 1);
    await erin1.expectNone('receipt', 150);
    let [state] = (await erin1.requestOk({ t: 'conversations' })).conversations;
    assert.deepEqual([state!.id, state!.lastSeq, state!.peerDeliveredSeq, state!.peerReadSeq], ['fred', 2, 1, 0]);
    // fred reads both (seen through history): delivery follows the read marker.
    const fred2 = await t.connect('fred');
    await fred2.requestOk({ t: 'read', peer: 'erin', seq: 2 });
    for (const erin of [erin1, erin2]) {
      assert.deepEqual(await erin.next('receipt'), { t: 'receipt', kind: 'read', peer: 'fred', seq: 2 });
    }
    [state] = (await erin1.requestOk({ t: 'conversations' })).conversations;
    assert.deepEqual([state!.peerDeliveredSeq, state!.peerReadSeq], [2, 2]);
    // No delivered receipts for notes to self.
    await sendPeer(erin1, 'erin', 'self', 1);
    await erin2.next('peer.message');
    await erin1.expectNone('receipt', 150);
  });

  it('offline messages arrive as one batch per conversation in order, each with one delivered receipt', async () => {
    const [alma, cleo] = [await t.connect('alma'), await t.connect('cleo')];
    await sendPeer(alma, 'bert', 'from-alma', 3, true);
    clock.advance(10);
    await sendPeer(cleo, 'bert', 'from-cleo', 2, true);
    await alma.expectNone('receipt', 50);
    const bert = await t.connect('bert');
    const first = await bert.next('peer.offline_batch');
    const second = await bert.next('peer.offline_batch');
    assert.deepEqual([first.peer, first.messages.map(textOf)], ['alma', ['from-alma 1', 'from-alma 2', 'from-alma 3']]);
    assert.deepEqual([second.peer, second.messages.map(textOf)], ['cleo', ['from-cleo 1', 'from-cleo 2']]);
    assert.equal(bert.buffered.findIndex((frame) => frame.t === 'peer.offline_batch'), -1);
    assert.deepEqual(await alma.next('receipt'), { t: 'receipt', kind: 'delivered', peer: 'bert', seq: 3 });
    assert.deepEqual(await cleo.next('receipt'), { t: 'receipt', kind: 'delivered', peer: 'bert', seq: 2 });
    await alma.expectNone('receipt', 150);
    await cleo.expectNone('receipt', 0);
    // Kept as delivered: alma sees it in her list.
    const [state] = (await alma.requestOk({ t: 'conversations' })).conversations;
    assert.deepEqual([state!.id, state!.peerDeliveredSeq, state!.peerReadSeq], ['bert', 3, 0]);
    // bert did not read anything yet: all 5 are unread for him, offline or not.
    assert.equal((await bert.requestOk({ t: 'conversations' })).totalUnread, 5);
  });

  it('lists peer conversations and joined channels, newest activity first, with unread counts after an offline period', async () => {
    const hal = await t.connect('hal');
    await hal.requestOk({ t: 'channel.join', channel: 'news' });
    await sendChannel(hal, 'news', 'before', 2);
    clock.advance(1000);
    let gina = await t.connect('gina');
    await gina.requestOk({ t: 'channel.join', channel: 'news' });
    // Joining does not make the channel's earlier history unread.
    assert.deepEqual((await gina.requestOk({ t: 'conversations' })).conversations.map(summary), [
      { kind: 'channel', id: 'news', lastSeq: 2, readSeq: 2, unread: 0, last: 'before 2' },
    ]);
    gina.close();
    await gina.closed;

    // While gina is away.
    clock.advance(1000);
    const ivan = await t.connect('ivan');
    await sendPeer(ivan, 'gina', 'ivan', 2, true);
    clock.advance(1000);
    await sendChannel(hal, 'news', 'while-away', 3);
    clock.advance(1000);
    const jon = await t.connect('jon');
    await sendPeer(jon, 'gina', 'jon', 1);
    clock.advance(1000);

    gina = await t.connect('gina');
    await gina.next('peer.offline_batch');
    let list = await gina.requestOk({ t: 'conversations' });
    assert.deepEqual(list.conversations.map(summary), [
      { kind: 'peer', id: 'jon', lastSeq: 1, readSeq: 0, unread: 1, peerReadSeq: 0, peerDeliveredSeq: 0, last: 'jon 1' },
      { kind: 'channel', id: 'news', lastSeq: 5, readSeq: 2, unread: 3, last: 'while-away 3' },
      { kind: 'peer', id: 'ivan', lastSeq: 2, readSeq: 0, unread: 2, peerReadSeq: 0, peerDeliveredSeq: 0, last: 'ivan 2' },
    ]);
    assert.equal(list.totalUnread, 6);
    assert.deepEqual(list.conversations[0]!.lastMessage, (await gina.requestOk({ t: 'history', peer: 'jon', limit: 1 })).messages[0]);

    assert.deepEqual(await gina.requestOk({ t: 'read', channel: 'news', seq: 5 }), {
      kind: 'channel',
      id: 'news',
      readSeq: 5,
      unread: 0,
      totalUnread: 3,
    });
    // A new channel without messages sorts by when it was joined.
    clock.advance(1000);
    await gina.requestOk({ t: 'channel.join', channel: 'quiet' });
    // gina answering ivan makes that conversation the newest.
    clock.advance(1000);
    await sendPeer(gina, 'ivan', 'gina', 1);
    list = await gina.requestOk({ t: 'conversations' });
    assert.deepEqual(
      list.conversations.map((c) => [c.kind, c.id, c.unread, c.lastSeq]),
      [
        ['peer', 'ivan', 2, 3],
        ['channel', 'quiet', 0, 0],
        ['peer', 'jon', 1, 1],
        ['channel', 'news', 0, 5],
      ],
    );
    assert.equal(list.conversations[1]!.lastMessage, undefined);
    assert.equal(list.totalUnread, 3);
    // Leaving a channel takes it off the list.
    await gina.requestOk({ t: 'channel.leave', channel: 'quiet' });
    assert.deepEqual(
      (await gina.requestOk({ t: 'conversations' })).conversations.map((c) => c.id),
      ['ivan', 'jon', 'news'],
    );
    // Someone with no conversations.
    const newcomer = await t.connect('newcomer');
    assert.deepEqual(await newcomer.requestOk({ t: 'conversations' }), { conversations: [], totalUnread: 0 });
  });
});

describe('channel receipts', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('list persistent members with their markers; channel.read goes to the joined connections', async () => {
    const mo = await t.connect('mo');
    const [ned1, ned2] = [await t.connect('ned'), await t.connect('ned')];
    const ola = await t.connect('ola');
    for (const client of [mo, ned1, ola]) await client.requestOk({ t: 'channel.join', channel: 'team' });
    await sendChannel(mo, 'team', 'team', 3);

    assert.deepEqual(await ned1.requestOk({ t: 'read', channel: 'team', seq: 2 }), {
      kind: 'channel',
      id: 'team',
      readSeq: 2,
      unread: 1,
      totalUnread: 1,
    });
    for (const client of [mo, ola]) {
      assert.deepEqual(await client.next('channel.read'), { t: 'channel.read', channel: 'team', uid: 'ned', readSeq: 2 });
    }
    await ned1.expectNone('channel.read', 100);
    // ned's second tab never joined: no channel.read, but it hears its user's marker moved.
    assert.equal((await ned2.next('read.updated')).readSeq, 2);
    await ned2.expectNone('channel.read', 0);

    assert.deepEqual(await mo.requestOk({ t: 'channel.receipts', channel: 'team' }), {
      channel: 'team',
      members: [
        { uid: 'mo', readSeq: 0 },
        { uid: 'ned', readSeq: 2 },
        { uid: 'ola', readSeq: 0 },
      ],
    });

    // Closing every connection does not end a membership.
    ola.close();
    await ola.closed;
    await mo.next('channel.member_left');
    const ola2 = await t.connect('ola');
    assert.equal((await ola2.requestOk({ t: 'channel.receipts', channel: 'team' })).members.length, 3);
    await ola2.requestOk({ t: 'read', channel: 'team', seq: 3 });
    assert.deepEqual(await mo.next('channel.read'), { t: 'channel.read', channel: 'team', uid: 'ola', readSeq: 3 });
    assert.deepEqual(await ned1.next('channel.read'), { t: 'channel.read', channel: 'team', uid: 'ola', readSeq: 3 });

    // An explicit leave does, from any connection of the user.
    await ned2.requestOk({ t: 'channel.leave', channel: 'team' });
    assert.deepEqual(
      (await mo.requestOk({ t: 'channel.receipts', channel: 'team' })).members,
      [
        { uid: 'mo', readSeq: 0 },
        { uid: 'ola', readSeq: 3 },
      ],
    );
    assert.equal((await ned1.requestError({ t: 'channel.receipts', channel: 'team' })).reason, 'NOT_JOINED');
    assert.equal((await ned1.requestError({ t: 'read', channel: 'team', seq: 3 })).reason, 'NOT_JOINED');
    // Rejoining keeps the old marker and marks what came in between as read.
    await ned1.requestOk({ t: 'channel.join', channel: 'team' });
    const member = (await mo.requestOk({ t: 'channel.receipts', channel: 'team' })).members.find((m) => m.uid === 'ned');
    assert.deepEqual(member, { uid: 'ned', readSeq: 3 });
  });

  it('are for members only', async () => {
    const outsider = await t.connect('pat');
    const member = await t.connect('quin');
    await member.requestOk({ t: 'channel.join', channel: 'private' });
    assert.equal((await outsider.requestError({ t: 'channel.receipts', channel: 'private' })).reason, 'NOT_JOINED');
    assert.equal((await outsider.requestError({ t: 'read', channel: 'private', seq: 0 })).reason, 'NOT_JOINED');
    await member.expectNone('channel.read', 100);
  });
});

describe('unread counts from storage', () => {
  it('survive a restart, and count messages stored by any path (not only the WebSocket)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-unread-'));
    let storage = createSqliteStorage(dir);
    let server = await startServer({ port: 0, dataDir: dir, storage });
    const secret = server.createdApps.find((app) => app.id === 'demo')!.tokenSecret;
    const connect = async (uid: string) => {
      const client = await TestClient.open(`${server.url.replace(/^http/, 'ws')}/ws`);
      await client.requestOk({ t: 'login', appId: 'demo', uid, token: await createToken({ appId: 'demo', uid, secret }) });
      return client;
    };
    try {
      let kim = await connect('kim');
      const lee = await connect('lee');
      await kim.requestOk({ t: 'channel.join', channel: 'club' });
      await lee.requestOk({ t: 'channel.join', channel: 'club' });
      await sendChannel(lee, 'club', 'club', 4);
      await kim.requestOk({ t: 'read', channel: 'club', seq: 1 });
      kim.close();
      await kim.closed;
      await sendPeer(lee, 'kim', 'to-kim', 3, true);
      await sendPeer(lee, 'kim', 'not-kept', 1, false);
      await lee.requestOk({ t: 'read', peer: 'kim', seq: 0 });

      await server.close();
      await storage.close();
      storage = createSqliteStorage(dir);
      server = await startServer({ port: 0, dataDir: dir, storage });

      // A message stored without any WebSocket (as the REST API will).
      await storage.messages.store(
        {
          appId: 'demo',
          conv: peerConversation('bot', 'kim'),
          id: newMessageId(),
          ts: Date.now() + 1000,
          from: 'bot',
          to: 'kim',
          cmid: 'rest-1',
          message: text('via another path'),
          ack: { peerReceived: false, storedOffline: false },
        },
        Date.now(),
      );

      kim = await connect('kim');
      const batch = await kim.next('peer.offline_batch');
      assert.deepEqual([batch.peer, batch.messages.length], ['lee', 3]);
      const list = await kim.requestOk({ t: 'conversations' });
      assert.deepEqual(
        list.conversations.map((c) => [c.kind, c.id, c.readSeq, c.unread]),
        [
          ['peer', 'bot', 0, 1],
          ['peer', 'lee', 0, 4],
          ['channel', 'club', 1, 3],
        ],
      );
      assert.equal(list.totalUnread, 8);
      // The membership survived without joining again.
      assert.deepEqual((await kim.requestOk({ t: 'channel.receipts', channel: 'club' })).members, [
        { uid: 'kim', readSeq: 1 },
        { uid: 'lee', readSeq: 0 },
      ]);
      assert.deepEqual(await kim.requestOk({ t: 'read', peer: 'bot', seq: 1 }), {
        kind: 'peer',
        id: 'bot',
        readSeq: 1,
        unread: 0,
        totalUnread: 7,
      });
      kim.terminate();
    } finally {
      await server.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('apps', () => {
  const SHOP_SECRET = 'shop-app-token-secret-0123456789abcdef';
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      config: { apps: [{ id: 'shop', restKey: 'k', restSecret: 's', tokenSecret: SHOP_SECRET, allowedOrigins: ['*'] }] },
    });
  });
  after(() => t.close());

  it('keep history, markers, membership, presence and typing apart', async () => {
    const alice = await t.connect('alice');
    const bob = await t.connect('bob');
    await alice.requestOk({ t: 'channel.join', channel: 'lobby' });
    await sendPeer(alice, 'bob', 'demo', 2);
    await sendChannel(alice, 'lobby', 'demo-lobby', 1);
    await bob.requestOk({ t: 'read', peer: 'alice', seq: 1 });

    const shopBob = await t.connect('bob', { appId: 'shop', secret: SHOP_SECRET });
    assert.deepEqual(await shopBob.requestOk({ t: 'conversations' }), { conversations: [], totalUnread: 0 });
    assert.deepEqual(await shopBob.requestOk({ t: 'sync', peer: 'alice', afterSeq: 0, limit: 10 }), {
      messages: [],
      hasMore: false,
      reset: false,
      changeSeq: 0,
    });
    assert.deepEqual((await shopBob.requestOk({ t: 'presence.query', uids: ['alice', 'bob'] })).status, {
      alice: 'OFFLINE',
      bob: 'ONLINE',
    });
    assert.equal((await shopBob.requestError({ t: 'channel.receipts', channel: 'lobby' })).reason, 'NOT_JOINED');
    await shopBob.requestOk({ t: 'channel.join', channel: 'lobby' });
    assert.deepEqual((await shopBob.requestOk({ t: 'channel.receipts', channel: 'lobby' })).members, [{ uid: 'bob', readSeq: 0 }]);
    assert.deepEqual(await shopBob.requestOk({ t: 'read', peer: 'alice', seq: 2 }), {
      kind: 'peer',
      id: 'alice',
      readSeq: 0,
      unread: 0,
      totalUnread: 0,
    });

    await alice.requestOk({ t: 'typing', peer: 'bob' });
    assert.equal((await bob.next('typing')).from, 'alice');
    await shopBob.expectNone('typing', 100);
    await shopBob.expectNone('receipt', 0);
    // demo's bob still has his own state.
    const [state] = (await bob.requestOk({ t: 'conversations' })).conversations;
    assert.deepEqual([state!.id, state!.readSeq, state!.unread], ['alice', 1, 1]);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_MESSAGE_BYTES, MAX_OFFLINE_MESSAGES_PER_RECEIVER, type StoredMessage } from '../../src/protocol/index.js';
import { fullHistory, startTestServer, text, type TestServer } from './helpers.js';
import { assertFailure, assertSuccess, channelPath, connectDeaf, peerPath, post, seedPeerBody } from './rest-helpers.js';

const textOf = (stored: StoredMessage) => (stored.message as { text: string }).text;
/** A stored message without what differs per send (ids, time, seq), to compare two paths. */
const shape = ({ id: _id, ts: _ts, cmid: _cmid, ...rest }: StoredMessage) => rest;

describe('REST API: seed 004 examples', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('peer, wait_for_ack=true, receiver online: message_delivered, and the receiver has it', async () => {
    const userB = await t.connect('userB');
    const answer = await post(t, peerPath('userA', 'demo', '?wait_for_ack=true'), seedPeerBody());
    const requestId = assertSuccess(answer, 'message_delivered');
    const pushed = await userB.next('peer.message');
    assert.equal(pushed.offline, false);
    assert.deepEqual(pushed.message.message, { type: 'TEXT', text: 'Hello' });
    assert.equal(pushed.message.from, 'userA');
    assert.equal(pushed.message.to, 'userB');
    assert.equal(pushed.message.cmid, `rest-${requestId}`);
    userB.close();
    await userB.closed;
  });

  it('peer, wait_for_ack=true, receiver offline: message_offline', async () => {
    assertSuccess(await post(t, peerPath('userA', 'demo', '?wait_for_ack=true'), seedPeerBody('userC')), 'message_offline');
  });

  it('peer, wait_for_ack=false or absent: message_sent whether the receiver is online or not', async () => {
    assertSuccess(await post(t, peerPath('userA', 'demo', '?wait_for_ack=false'), seedPeerBody('userD')), 'message_sent');
    assertSuccess(await post(t, peerPath('userA'), seedPeerBody('userD')), 'message_sent');
    const userD = await t.connect('userD');
    assertSuccess(await post(t, peerPath('userA'), seedPeerBody('userD', 'live')), 'message_sent');
    assert.equal(textOf((await userD.next('peer.message')).message), 'live');
  });

  it('channel: message_sent (the seed example body)', async () => {
    const answer = await post(t, channelPath('userA'), { channel_name: 'channelA', enable_historical_messaging: false, payload: 'Hello' });
    assertSuccess(answer, 'message_sent');
  });

  it('enable_historical_messaging true or false: the message is in history either way', async () => {
    for (const enable of [true, false]) {
      const body = { ...seedPeerBody('userH', `history ${enable}`), enable_historical_messaging: enable };
      assertSuccess(await post(t, peerPath('userG'), body), 'message_sent');
      assertSuccess(await post(t, channelPath('userG'), { channel_name: 'archive', enable_historical_messaging: enable, payload: `history ${enable}` }), 'message_sent');
    }
    const reader = await t.connect('userH');
    assert.deepEqual((await fullHistory(reader, { peer: 'userG' })).map(textOf), ['history true', 'history false']);
    assert.deepEqual((await fullHistory(reader, { channel: 'archive' })).map(textOf), ['history true', 'history false']);
  });

  it('every request gets its own request_id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add(assertSuccess(await post(t, peerPath('userA'), seedPeerBody('userE', `m${i}`)), 'message_sent'));
    assert.equal(ids.size, 5);
  });

  it('optional fields default to false: a body with only destination and payload keeps nothing offline', async () => {
    assertSuccess(await post(t, peerPath('userA'), { destination: 'userF', payload: 'not kept' }), 'message_sent');
    const userF = await t.connect('userF');
    await userF.expectNone('peer.offline_batch', 300);
    // Still an ordinary message: in the conversation's history.
    assert.deepEqual((await fullHistory(userF, { peer: 'userA' })).map(textOf), ['not kept']);
  });
});

describe('REST API: wait_for_ack', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ restAckTimeoutMs: 400 });
  });
  after(() => t.close());

  it('is 408 DELIVERY_TIMEOUT when the online receiver’s client never confirms; the message is still stored', async () => {
    const deaf = await connectDeaf(t, 'deaf');
    const started = Date.now();
    const answer = await post(t, peerPath('boss', 'demo', '?wait_for_ack=true'), seedPeerBody('deaf', 'are you there?'));
    const elapsed = Date.now() - started;
    const message = assertFailure(answer, 408, 'DELIVERY_TIMEOUT');
    assert.match(message, /deaf/);
    assert.ok(elapsed >= 380 && elapsed < 3000, `answered after the 400 ms timeout, took ${elapsed} ms`);
    // The frame did reach the socket (only the confirmation is missing), and history has it once.
    assert.equal(textOf((await deaf.next('peer.message')).message), 'are you there?');
    const reader = await t.connect('deaf');
    assert.deepEqual((await fullHistory(reader, { peer: 'boss' })).map(textOf), ['are you there?']);
  });

  it('is message_delivered when any one of the receiver’s connections confirms', async () => {
    await connectDeaf(t, 'twotabs');
    const live = await t.connect('twotabs');
    assertSuccess(await post(t, peerPath('boss', 'demo', '?wait_for_ack=true'), seedPeerBody('twotabs')), 'message_delivered');
    await live.next('peer.message');
  });

  it('waits for the confirmation rather than answering at once (the pong comes after the message)', async () => {
    const bob = await t.connect('ackbob');
    let pushedAt = 0;
    void bob.next('peer.message').then(() => (pushedAt = Date.now()));
    const answer = await post(t, peerPath('boss', 'demo', '?wait_for_ack=true'), seedPeerBody('ackbob'));
    const answeredAt = Date.now();
    assertSuccess(answer, 'message_delivered');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(pushedAt > 0 && pushedAt <= answeredAt, 'the receiver had the message before the API answered delivered');
  });

  it('with enable_offline_messaging and the receiver offline: message_offline, delivered at their next login', async () => {
    const body = { ...seedPeerBody('later', 'kept for you'), enable_offline_messaging: true };
    assertSuccess(await post(t, peerPath('boss', 'demo', '?wait_for_ack=true'), body), 'message_offline');
    const later = await t.connect('later');
    const batch = await later.next('peer.offline_batch');
    assert.equal(batch.peer, 'boss');
    assert.deepEqual(batch.messages.map(textOf), ['kept for you']);
  });

  it('refuses other values of wait_for_ack', async () => {
    for (const query of ['?wait_for_ack=TRUE', '?wait_for_ack=1', '?wait_for_ack=', '?wait_for_ack=true&wait_for_ack=false']) {
      assertFailure(await post(t, peerPath('boss', 'demo', query), seedPeerBody('x')), 400, 'INVALID_ARGUMENT');
    }
  });
});

describe('REST API: messages are ordinary messages', () => {
  let t: TestServer;
  before(async () => {
    // The 200-cap test sends 199 SDK messages from one connection in a loop, around the
    // per-connection send burst (180 + 60/s): no rate limits here (see rate-limit.test.ts).
    t = await startTestServer({ rateLimits: false });
  });
  after(() => t.close());

  it('a peer message sent while both are online: live push, sender’s tabs, delivered receipt — as from the SDK', async () => {
    // The same exchange twice: once through the gateway, once through REST, with fresh users.
    const run = async (suffix: string, send: (from: string, to: string) => Promise<void>) => {
      const [a1, b1] = [await t.connect(`alice${suffix}`), await t.connect(`bob${suffix}`)];
      await send(`alice${suffix}`, `bob${suffix}`);
      const toBob = (await b1.next('peer.message')).message;
      const toAlice = (await a1.next('peer.message')).message;
      const receipt = await a1.next('receipt');
      const list = await b1.requestOk({ t: 'conversations' });
      return { toBob: shape(toBob), toAlice: shape(toAlice), receipt, list };
    };
    const viaGateway = await run('-g', async (from, to) => {
      const tab = await t.connect(from); // another tab of the sender sends
      await tab.requestOk({ t: 'peer.send', to, cmid: 'g-1', message: text('hi'), offline: false });
    });
    const viaRest = await run('-r', async (from, to) => {
      assertSuccess(await post(t, peerPath(from), seedPeerBody(to, 'hi')), 'message_sent');
    });
    const rename = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('-g', '-r'));
    assert.deepEqual(viaRest.toBob, rename(viaGateway.toBob));
    assert.deepEqual(viaRest.toAlice, rename(viaGateway.toAlice));
    assert.deepEqual(viaRest.receipt, rename(viaGateway.receipt));
    assert.equal(viaRest.receipt.kind, 'delivered');
    const strip = (list: typeof viaRest.list) => ({
      ...list,
      conversations: list.conversations.map(({ lastMessage, ...c }) => ({ ...c, lastMessage: lastMessage && shape(lastMessage) })),
    });
    assert.deepEqual(strip(viaRest.list), rename(strip(viaGateway.list)));
    assert.equal(viaRest.list.totalUnread, 1);
  });

  it('unread counts, history and sync count REST messages like SDK ones', async () => {
    const sdk = await t.connect('mixer');
    await sdk.requestOk({ t: 'peer.send', to: 'reader', cmid: 'sdk-1', message: text('one (sdk)'), offline: false });
    assertSuccess(await post(t, peerPath('mixer'), seedPeerBody('reader', 'two (rest)')), 'message_sent');
    await sdk.requestOk({ t: 'peer.send', to: 'reader', cmid: 'sdk-3', message: text('three (sdk)'), offline: false });
    const reader = await t.connect('reader');
    const list = await reader.requestOk({ t: 'conversations' });
    const conversation = list.conversations.find((c) => c.id === 'mixer');
    assert.equal(conversation?.unread, 3);
    assert.equal(list.totalUnread, 3);
    const history = await fullHistory(reader, { peer: 'mixer' });
    assert.deepEqual(history.map(textOf), ['one (sdk)', 'two (rest)', 'three (sdk)']);
    assert.deepEqual(history.map((m) => m.seq), [1, 2, 3]);
    const sync = await reader.requestOk({ t: 'sync', peer: 'mixer', afterSeq: 1, limit: 100 });
    assert.deepEqual(sync.messages.map(textOf), ['two (rest)', 'three (sdk)']);
    // Reading moves the marker over the REST message too, and the sender gets the read receipt.
    const read = await reader.requestOk({ t: 'read', peer: 'mixer', seq: 3 });
    assert.equal(read.unread, 0);
    assert.deepEqual(await sdk.next('receipt', { where: (r) => r.kind === 'read' }), { t: 'receipt', kind: 'read', peer: 'reader', seq: 3 });
  });

  it('offline: REST and SDK messages share one batch, in order, and the 200 cap', async () => {
    const sdk = await t.connect('flood');
    const restOffline = async (payload: string) =>
      assertSuccess(await post(t, peerPath('flood'), { ...seedPeerBody('away', payload), enable_offline_messaging: true }), 'message_sent');
    await sdk.requestOk({ t: 'peer.send', to: 'away', cmid: 'oldest', message: text('sdk oldest'), offline: true });
    await restOffline('rest first');
    for (let i = 1; i <= MAX_OFFLINE_MESSAGES_PER_RECEIVER - 2; i++) {
      await sdk.requestOk({ t: 'peer.send', to: 'away', cmid: `sdk-${i}`, message: text(`sdk ${i}`), offline: true });
    }
    await restOffline('rest last');
    const away = await t.connect('away');
    const batch = await away.next('peer.offline_batch');
    assert.equal(batch.peer, 'flood');
    // 201 kept, cap 200: the oldest (an SDK one) was replaced; REST ones are counted like the rest.
    assert.equal(batch.messages.length, MAX_OFFLINE_MESSAGES_PER_RECEIVER);
    assert.equal(textOf(batch.messages[0]!), 'rest first');
    assert.equal(textOf(batch.messages[1]!), 'sdk 1');
    assert.equal(textOf(batch.messages.at(-1)!), 'rest last');
    assert.deepEqual(
      batch.messages.map((m) => m.seq),
      Array.from({ length: MAX_OFFLINE_MESSAGES_PER_RECEIVER }, (_, i) => i + 2),
    );
    // Delivering the batch sends the sender a delivered receipt, as for SDK messages.
    assert.equal((await sdk.next('receipt', { where: (r) => r.kind === 'delivered' })).seq, MAX_OFFLINE_MESSAGES_PER_RECEIVER + 1);
  });

  it('the sender need not be logged in, and their later login sees the message in history and conversations', async () => {
    assertSuccess(await post(t, peerPath('ghost'), seedPeerBody('someone', 'from the backend')), 'message_sent');
    const ghost = await t.connect('ghost');
    assert.deepEqual((await fullHistory(ghost, { peer: 'someone' })).map(textOf), ['from the backend']);
    const list = await ghost.requestOk({ t: 'conversations' });
    assert.equal(list.conversations[0]?.id, 'someone');
    assert.equal(list.conversations[0]?.unread, 0, 'own messages are not unread');
  });

  it('channel messages fan out to every joined connection, count as unread for members, and stay in history', async () => {
    const [m1, m2, other] = [await t.connect('member1'), await t.connect('member2'), await t.connect('outsider')];
    await m1.requestOk({ t: 'channel.join', channel: 'news' });
    await m2.requestOk({ t: 'channel.join', channel: 'news' });
    assertSuccess(await post(t, channelPath('backend'), { channel_name: 'news', payload: 'extra!' }), 'message_sent');
    for (const member of [m1, m2]) {
      const pushed = await member.next('channel.message');
      assert.equal(pushed.message.from, 'backend');
      assert.equal(pushed.message.channel, 'news');
      assert.equal(textOf(pushed.message), 'extra!');
    }
    await other.expectNone('channel.message', 200);
    const list = await m1.requestOk({ t: 'conversations' });
    assert.equal(list.conversations.find((c) => c.kind === 'channel' && c.id === 'news')?.unread, 1);
    assert.deepEqual((await fullHistory(other, { channel: 'news' })).map(textOf), ['extra!']);
  });

  it('a note to self through REST is delivered to the user’s connections', async () => {
    const me = await t.connect('self');
    assertSuccess(await post(t, peerPath('self', 'demo', '?wait_for_ack=true'), seedPeerBody('self', 'memo')), 'message_delivered');
    assert.equal(textOf((await me.next('peer.message')).message), 'memo');
  });

  it('a payload at the size cap goes through; one byte more is 400 MESSAGE_TOO_LARGE', async () => {
    const overhead = JSON.stringify(text('')).length;
    const atCap = 'x'.repeat(MAX_MESSAGE_BYTES - overhead);
    assertSuccess(await post(t, channelPath('big'), { channel_name: 'big', payload: atCap }), 'message_sent');
    assertFailure(await post(t, channelPath('big'), { channel_name: 'big', payload: `${atCap}x` }), 400, 'MESSAGE_TOO_LARGE');
    // UTF-8 bytes count, not characters: 3-byte characters over the cap are refused.
    assertFailure(await post(t, peerPath('big'), seedPeerBody('b', '中'.repeat(11_000))), 400, 'MESSAGE_TOO_LARGE');
  });
});

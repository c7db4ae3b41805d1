/**
 * Per-message send options (seed 003's `noSaveOffline` and `needReadReceipt`) against a real
 * server. A transient message reaches the connections open now — the receiver's and the sender's
 * other ones — and is stored nowhere: not in history, sync, search, unread counts, the
 * conversation list, the offline store or the webhook outbox; its id names no message to change
 * or reply to. A message sent with `needReadReceipt: false` is an ordinary stored message that
 * says so wherever it is read, so every device of its sender can leave out its receipts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredMessage } from '../../src/protocol/index.js';
import { fullHistory, startTestServer, text, type TestClient, type TestServer } from './helpers.js';
import { assertFailure, assertSuccess, channelPath, peerPath, post } from './rest-helpers.js';
import { eventually, hookApp, outboxDrained, Receiver } from './webhooks-helpers.js';

describe('send options: transient and needReadReceipt', () => {
  let receiver: Receiver;
  let t: TestServer;
  let cmid = 0;
  const hooked = () => hookApp('hooked', receiver.url);
  const next = () => `so-${++cmid}`;

  before(async () => {
    receiver = await Receiver.start();
    t = await startTestServer({ config: { apps: [hooked()] } });
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  /** What a later login sees of the conversation: history, sync, the list, unread, search. */
  async function assertNowhere(client: TestClient, peer: string, words: string): Promise<void> {
    assert.deepEqual(await fullHistory(client, { peer }), []);
    assert.deepEqual((await client.requestOk({ t: 'sync', peer, afterSeq: 0, limit: 100 })).messages, []);
    const { conversations, totalUnread } = await client.requestOk({ t: 'conversations' });
    assert.deepEqual(conversations.filter((c) => c.id === peer), [], 'not in the conversation list');
    assert.equal(totalUnread, 0);
    assert.deepEqual((await client.requestOk({ t: 'search', query: words, limit: 100 })).results, []);
  }

  it('a transient peer message reaches the open connections, seq 0, and is stored nowhere', async () => {
    const alice = await t.connect('tp-alice');
    const aliceTab = await t.connect('tp-alice');
    const bob = await t.connect('tp-bob');
    const bobPhone = await t.connect('tp-bob');
    const ack = await alice.requestOk({ t: 'peer.send', to: 'tp-bob', cmid: 'ring-1', message: text('incoming call ringing'), transient: true, offline: false });
    assert.deepEqual([ack.seq, ack.duplicate, ack.hasPeerReceived, ack.storedOffline], [0, false, true, false]);
    assert.match(ack.messageId, /^[A-Za-z0-9_-]+$/);

    for (const client of [bob, bobPhone, aliceTab]) {
      const push = await client.next('peer.message');
      assert.deepEqual(push.message, {
        id: ack.messageId,
        seq: 0,
        ts: ack.ts,
        from: 'tp-alice',
        to: 'tp-bob',
        cmid: 'ring-1',
        message: text('incoming call ringing'),
        transient: true,
      });
    }
    await alice.expectNone('peer.message', 0);
    // No seq, so no delivery marker moves and no receipt is sent.
    await alice.expectNone('receipt', 50);

    await assertNowhere(bob, 'tp-alice', 'ringing');
    await assertNowhere(alice, 'tp-bob', 'ringing');
    // A later login (a new device) gets no offline batch and finds nothing.
    const later = await t.connect('tp-bob');
    await later.expectNone('peer.offline_batch', 100);
    await assertNowhere(later, 'tp-alice', 'ringing');

    // A resend of the same client message id (a lost ack) is answered the same, not delivered twice.
    const again = await alice.requestOk({ t: 'peer.send', to: 'tp-bob', cmid: 'ring-1', message: text('incoming call ringing'), transient: true, offline: false });
    assert.deepEqual(again, { ...ack, duplicate: true });
    await bob.expectNone('peer.message', 50);
    // The same id for another conversation is refused, as for stored messages.
    const reused = await alice.requestError({ t: 'peer.send', to: 'tp-carol', cmid: 'ring-1', message: text('x'), transient: true, offline: false });
    assert.equal(reused.reason, 'INVALID_CLIENT_MESSAGE_ID');
  });

  it('a transient message to someone with no connection reaches nobody and is not kept', async () => {
    const alice = await t.connect('to-alice');
    const ack = await alice.requestOk({ t: 'peer.send', to: 'to-bob', cmid: next(), message: text('are you there?'), transient: true, offline: false });
    assert.deepEqual([ack.hasPeerReceived, ack.storedOffline, ack.seq], [false, false, 0]);
    const bob = await t.connect('to-bob');
    await bob.expectNone('peer.offline_batch', 100);
    await assertNowhere(bob, 'to-alice', 'there');
  });

  it('refuses transient with offline, and changes of or replies to a transient message, with typed errors', async () => {
    const alice = await t.connect('tr-alice');
    const bob = await t.connect('tr-bob');
    const refused = await alice.requestError({ t: 'peer.send', to: 'tr-bob', cmid: next(), message: text('x'), transient: true, offline: true });
    assert.equal(refused.reason, 'INVALID_FIELD');
    assert.match(refused.message, /transient/);
    await bob.expectNone('peer.message', 50);

    const { messageId } = await alice.requestOk({ t: 'peer.send', to: 'tr-bob', cmid: next(), message: text('live only'), transient: true, offline: false });
    await bob.next('peer.message');
    const changes = [
      { t: 'message.edit', messageId, cmid: next(), message: text('edited') },
      { t: 'message.retract', messageId },
    ];
    for (const frame of changes) assert.equal((await alice.requestError(frame)).reason, 'MESSAGE_NOT_FOUND', frame.t);
    for (const frame of [{ t: 'reaction.add', messageId, emoji: '👍' }, { t: 'message.delete', messageId }]) {
      assert.equal((await bob.requestError(frame)).reason, 'MESSAGE_NOT_FOUND', frame.t);
    }
    const reply = await bob.requestError({ t: 'peer.send', to: 'tr-alice', cmid: next(), message: { ...text('re'), replyTo: messageId }, offline: false });
    assert.equal(reply.reason, 'INVALID_REPLY');
    await alice.expectNone('message.changed', 50);
    assert.deepEqual(await fullHistory(alice, { peer: 'tr-bob' }), []);
  });

  it('a transient reply quotes the stored message it answers', async () => {
    const alice = await t.connect('tq-alice');
    const bob = await t.connect('tq-bob');
    const stored = await alice.requestOk({ t: 'peer.send', to: 'tq-bob', cmid: next(), message: text('shall we start?'), offline: true });
    await bob.next('peer.message');
    await bob.requestOk({ t: 'peer.send', to: 'tq-alice', cmid: next(), message: { ...text('joining now'), replyTo: stored.messageId }, transient: true, offline: false });
    const push = await alice.next('peer.message');
    assert.equal(push.message.transient, true);
    assert.deepEqual(push.message.quote, { id: stored.messageId, seq: 1, from: 'tq-alice', type: 'TEXT', excerpt: 'shall we start?' });
  });

  it('a transient channel message reaches the joined connections; the ack counts the other users who got it', async () => {
    const alice = await t.connect('tc-alice');
    const aliceTab = await t.connect('tc-alice');
    const bob = await t.connect('tc-bob');
    const carol = await t.connect('tc-carol');
    for (const client of [alice, aliceTab, bob, carol]) await client.requestOk({ t: 'channel.join', channel: 'tc room' });
    await carol.requestOk({ t: 'channel.leave', channel: 'tc room' });
    const ack = await alice.requestOk({ t: 'channel.send', channel: 'tc room', cmid: next(), message: text('going live in 5'), transient: true });
    // bob got it; alice's other tab too, but she is the sender; carol left.
    assert.deepEqual([ack.seq, ack.received, ack.duplicate], [0, 1, false]);
    for (const client of [bob, aliceTab]) {
      const push = await client.next('channel.message');
      assert.deepEqual([push.message.id, push.message.seq, push.message.transient, push.message.channel], [ack.messageId, 0, true, 'tc room']);
    }
    await carol.expectNone('channel.message', 50);
    assert.deepEqual(await fullHistory(bob, { channel: 'tc room' }), []);
    const listed = (await bob.requestOk({ t: 'conversations' })).conversations.find((c) => c.id === 'tc room');
    assert.deepEqual([listed?.lastSeq, listed?.unread, listed?.lastMessage], [0, 0, undefined]);
    // A stored send's ack is unchanged: no `received`.
    const storedAck = await alice.requestOk({ t: 'channel.send', channel: 'tc room', cmid: next(), message: text('stored') });
    assert.deepEqual([storedAck.seq, 'received' in storedAck], [1, false]);
  });

  it('needReadReceipt false is stored with the message and delivered: in the push, the ack’s copy and history of every device', async () => {
    const alice = await t.connect('nr-alice');
    const aliceTab = await t.connect('nr-alice');
    const bob = await t.connect('nr-bob');
    await alice.requestOk({ t: 'peer.send', to: 'nr-bob', cmid: next(), message: text('quietly'), offline: true, needReadReceipt: false });
    await alice.requestOk({ t: 'peer.send', to: 'nr-bob', cmid: next(), message: text('loudly'), offline: true, needReadReceipt: true });
    const [quiet, loud] = await bob.messages('peer.message', 2);
    assert.deepEqual([quiet!.needReadReceipt, loud!.needReadReceipt], [false, undefined]);
    assert.equal((await aliceTab.next('peer.message')).message.needReadReceipt, false);
    // The markers still move (they cover the conversation), so the receipt for seq 2 covers seq 1;
    // a client leaves seq 1's receipt out because the message says so.
    const { seq } = await bob.requestOk({ t: 'read', peer: 'nr-alice', seq: 2 }).then((r) => ({ seq: r.readSeq }));
    assert.equal(seq, 2);
    assert.deepEqual(await alice.next('receipt', { where: (f) => f.kind === 'read' }), { t: 'receipt', kind: 'read', peer: 'nr-bob', seq: 2 });

    const phone = await t.connect('nr-alice');
    const history = await fullHistory(phone, { peer: 'nr-bob' });
    assert.deepEqual(history.map((m) => [(m.message as { text: string }).text, m.needReadReceipt]), [['quietly', false], ['loudly', undefined]]);
    assert.deepEqual((await phone.requestOk({ t: 'sync', peer: 'nr-bob', afterSeq: 0, limit: 10 })).messages.map((m) => m.needReadReceipt), [false, undefined]);
    // An edit replaces the text, not how the message was sent.
    const edited = await alice.requestOk({ t: 'message.edit', messageId: quiet!.id, cmid: next(), message: text('quietly, edited') });
    assert.equal(edited.message.needReadReceipt, false);

    await alice.requestOk({ t: 'channel.join', channel: 'nr room' });
    await alice.requestOk({ t: 'channel.send', channel: 'nr room', cmid: next(), message: text('fyi'), needReadReceipt: false });
    assert.equal((await fullHistory(phone, { channel: 'nr room' }))[0]!.needReadReceipt, false);
  });

  it('REST: transient peer and channel messages are pushed and not stored; with enable_offline_messaging they are refused', async () => {
    const bob = await t.connect('rt-bob');
    await bob.requestOk({ t: 'channel.join', channel: 'rt room' });
    assertSuccess(await post(t, peerPath('rt-alice', 'demo', '?wait_for_ack=true'), { destination: 'rt-bob', payload: 'ping', transient: true }), 'message_delivered');
    const push = await bob.next('peer.message');
    assert.deepEqual([push.message.transient, push.message.seq, push.message.from], [true, 0, 'rt-alice']);
    assertSuccess(await post(t, peerPath('rt-alice', 'demo', '?wait_for_ack=true'), { destination: 'rt-nobody', payload: 'ping', transient: true }), 'message_offline');
    assertSuccess(await post(t, channelPath('rt-alice'), { channel_name: 'rt room', payload: 'live', transient: true }), 'message_sent');
    assert.equal((await bob.next('channel.message')).message.transient, true);

    const both = { destination: 'rt-bob', payload: 'x', transient: true, enable_offline_messaging: true };
    assert.match(assertFailure(await post(t, peerPath('rt-alice'), both), 400, 'INVALID_FIELD'), /transient/);
    assertFailure(await post(t, peerPath('rt-alice'), { destination: 'rt-bob', payload: 'x', transient: 'yes' }), 400, 'INVALID_FIELD');
    await bob.expectNone('peer.message', 50);

    assert.deepEqual(await fullHistory(bob, { peer: 'rt-alice' }), []);
    assert.deepEqual(await fullHistory(bob, { channel: 'rt room' }), []);
    const nobody = await t.connect('rt-nobody');
    await nobody.expectNone('peer.offline_batch', 100);
  });

  it('records no webhook event for a transient message (the outbox is on disk), and message.sent for a stored one', async () => {
    const app = hooked();
    const alice = await t.connect('wh-alice', { appId: app.id, secret: app.tokenSecret });
    await alice.requestOk({ t: 'peer.send', to: 'wh-bob', cmid: next(), message: text('transient secret'), transient: true, offline: false });
    const stored = await alice.requestOk({ t: 'peer.send', to: 'wh-bob', cmid: next(), message: text('stored'), offline: true });
    await receiver.waitFor(1);
    await outboxDrained(t.url, app);
    await eventually(async () => (receiver.received.length >= 1 ? true : undefined), 2000, 'the stored message’s event');
    assert.deepEqual(receiver.types(), ['message.sent']);
    assert.equal((receiver.received[0]!.event.data as { message: StoredMessage }).message.id, stored.messageId);
    assert.doesNotMatch(receiver.received.map((r) => r.body).join(), /transient secret/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_OFFLINE_MESSAGES_PER_RECEIVER, OFFLINE_MESSAGE_TTL_MS, type StoredMessage } from '../../src/protocol/index.js';
import { fullHistory, manualClock, startTestServer, text, type TestServer } from './helpers.js';

/** The text of a stored TEXT message. */
const textOf = (stored: StoredMessage) => (stored.message as { text: string }).text;

describe('peer messages', () => {
  const clock = manualClock();
  let t: TestServer;
  before(async () => {
    // Some tests here flood one connection (250 sends to fill an offline box): no rate limits (see rate-limit.test.ts).
    t = await startTestServer({ now: clock.now, rateLimits: false });
  });
  after(() => t.close());

  it('reach every connection of an online receiver and the sender’s other tabs, not the sending tab', async () => {
    const [a1, a2, b1, b2] = [await t.connect('alice'), await t.connect('alice'), await t.connect('bob'), await t.connect('bob')];
    const ack = await a1.requestOk({ t: 'peer.send', to: 'bob', cmid: 'online-1', message: text('hello bob'), offline: false });
    assert.equal(ack.hasPeerReceived, true);
    assert.equal(ack.storedOffline, false);
    assert.equal(ack.duplicate, false);
    assert.equal(ack.ts, clock.now());
    for (const client of [b1, b2, a2]) {
      const frame = await client.next('peer.message');
      assert.equal(frame.offline, false);
      assert.deepEqual(frame.message, {
        id: ack.messageId,
        seq: ack.seq,
        ts: ack.ts,
        from: 'alice',
        to: 'bob',
        cmid: 'online-1',
        message: { type: 'TEXT', text: 'hello bob' },
      });
    }
    await a1.expectNone('peer.message');
    for (const client of [a1, a2, b1, b2]) client.close();
  });

  it('count up seq per conversation, shared by both directions', async () => {
    const [c, d] = [await t.connect('carl'), await t.connect('dora')];
    const first = await c.requestOk({ t: 'peer.send', to: 'dora', cmid: 'seq-1', message: text('1'), offline: false });
    const second = await d.requestOk({ t: 'peer.send', to: 'carl', cmid: 'seq-2', message: text('2'), offline: false });
    const other = await c.requestOk({ t: 'peer.send', to: 'erin', cmid: 'seq-3', message: text('3'), offline: false });
    assert.deepEqual([first.seq, second.seq, other.seq], [1, 2, 1]);
    assert.notEqual(first.messageId, second.messageId);
  });

  it('report hasPeerReceived false for an offline receiver and keep nothing without the offline flag', async () => {
    const sender = await t.connect('frank');
    const ack = await sender.requestOk({ t: 'peer.send', to: 'gina', cmid: 'no-offline', message: text('lost?'), offline: false });
    assert.equal(ack.hasPeerReceived, false);
    assert.equal(ack.storedOffline, false);
    const gina = await t.connect('gina');
    await gina.expectNone('peer.message', 300);
    // Not delivered, but still in the conversation's history.
    assert.deepEqual((await fullHistory(gina, { peer: 'frank' })).map(textOf), ['lost?']);
  });

  it('keep messages for an offline receiver and deliver them in order at the next login, once', async () => {
    const sender = await t.connect('hank');
    for (const [i, word] of ['one', 'two', 'three'].entries()) {
      const ack = await sender.requestOk({ t: 'peer.send', to: 'ivy', cmid: `off-${i}`, message: text(word), offline: true });
      assert.equal(ack.storedOffline, true);
      assert.equal(ack.hasPeerReceived, false);
    }
    const ivy = await t.connect('ivy');
    const batch = await ivy.next('peer.offline_batch');
    assert.equal(batch.peer, 'hank');
    assert.deepEqual(batch.messages.map(textOf), ['one', 'two', 'three']);
    assert.deepEqual(batch.messages.map((message) => message.seq), [1, 2, 3]);
    await ivy.expectNone('peer.offline_batch', 100);
    await ivy.expectNone('peer.message', 0);
    ivy.close();
    await ivy.closed;
    const again = await t.connect('ivy');
    await again.expectNone('peer.offline_batch', 300);
    await again.expectNone('peer.message', 0);
  });

  it('do not keep an offline copy when the receiver is online', async () => {
    const sender = await t.connect('jack');
    const kate = await t.connect('kate');
    const ack = await sender.requestOk({ t: 'peer.send', to: 'kate', cmid: 'live', message: text('live'), offline: true });
    assert.deepEqual([ack.hasPeerReceived, ack.storedOffline], [true, false]);
    assert.equal((await kate.next('peer.message')).offline, false);
    kate.close();
    await kate.closed;
    const kate2 = await t.connect('kate');
    await kate2.expectNone('peer.offline_batch', 300);
    await kate2.expectNone('peer.message', 0);
  });

  it(`keep only the newest ${MAX_OFFLINE_MESSAGES_PER_RECEIVER} offline messages per receiver`, async () => {
    assert.equal(MAX_OFFLINE_MESSAGES_PER_RECEIVER, 200);
    const sender = await t.connect('leo');
    const acks = await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        sender.requestOk({ t: 'peer.send', to: 'mia', cmid: `many-${i}`, message: text(`m${i}`), offline: true }, 10_000),
      ),
    );
    assert.ok(acks.every((ack) => ack.storedOffline));
    const mia = await t.connect('mia');
    // The newest 200, oldest first, in one batch.
    const batch = await mia.next('peer.offline_batch');
    assert.equal(batch.peer, 'leo');
    assert.deepEqual(
      batch.messages.map(textOf),
      Array.from({ length: 200 }, (_, i) => `m${i + 50}`),
    );
    assert.deepEqual(
      batch.messages.map((message) => message.seq),
      Array.from({ length: 200 }, (_, i) => i + 51),
    );
    await mia.expectNone('peer.offline_batch', 200);
  });

  it('do not deliver offline messages older than 7 days', async () => {
    assert.equal(OFFLINE_MESSAGE_TTL_MS, 7 * 24 * 3600_000);
    const sender = await t.connect('nina');
    await sender.requestOk({ t: 'peer.send', to: 'otto', cmid: 'old', message: text('old'), offline: true });
    clock.advance(2 * 24 * 3600_000);
    await sender.requestOk({ t: 'peer.send', to: 'otto', cmid: 'recent', message: text('recent'), offline: true });
    clock.advance(5 * 24 * 3600_000); // 'old' is now exactly 7 days old: expired; 'recent' is 5 days old
    const otto = await t.connect('otto');
    assert.deepEqual((await otto.next('peer.offline_batch')).messages.map(textOf), ['recent']);
    await otto.expectNone('peer.offline_batch', 200);
  });

  it('store a resend (same cmid) once and ack it with the original result', async () => {
    const sender = await t.connect('paul');
    const other = await t.connect('paul');
    const quinn = await t.connect('quinn');
    const first = await sender.requestOk({ t: 'peer.send', to: 'quinn', cmid: 'dup-1', message: text('first'), offline: false });
    clock.advance(1000);
    const second = await sender.requestOk({ t: 'peer.send', to: 'quinn', cmid: 'dup-1', message: text('changed'), offline: false });
    assert.equal(second.duplicate, true);
    assert.deepEqual({ ...second, duplicate: false }, first);
    // A resend from another tab of the same user is the same message too.
    const third = await other.requestOk({ t: 'peer.send', to: 'quinn', cmid: 'dup-1', message: text('again'), offline: false });
    assert.equal(third.messageId, first.messageId);
    assert.equal(textOf((await quinn.next('peer.message')).message), 'first');
    await quinn.expectNone('peer.message', 200);
    const history = await fullHistory(quinn, { peer: 'paul' });
    assert.deepEqual(history.map((message) => [message.id, textOf(message)]), [[first.messageId, 'first']]);
  });

  it('refuse a cmid already used for another conversation', async () => {
    const sender = await t.connect('rita');
    await sender.requestOk({ t: 'peer.send', to: 'sam', cmid: 'reused', message: text('to sam'), offline: false });
    const error = await sender.requestError({ t: 'peer.send', to: 'tom', cmid: 'reused', message: text('to tom'), offline: false });
    assert.equal(error.reason, 'INVALID_CLIENT_MESSAGE_ID');
    assert.deepEqual(await fullHistory(sender, { peer: 'tom' }), []);
  });

  it('can be sent to yourself: your other tabs get it, the sending tab does not', async () => {
    const [u1, u2] = [await t.connect('uma'), await t.connect('uma')];
    const ack = await u1.requestOk({ t: 'peer.send', to: 'uma', cmid: 'self', message: text('note to self'), offline: true });
    assert.deepEqual([ack.hasPeerReceived, ack.storedOffline], [true, false]);
    assert.equal(textOf((await u2.next('peer.message')).message), 'note to self');
    await u2.expectNone('peer.message', 100);
    await u1.expectNone('peer.message', 100);
  });

  it('history pages newest first with beforeSeq and hasMore, the same for both sides', async () => {
    const vic = await t.connect('vic');
    const wes = await t.connect('wes');
    for (let i = 1; i <= 5; i++) {
      const from = i % 2 ? vic : wes;
      await from.requestOk({ t: 'peer.send', to: from === vic ? 'wes' : 'vic', cmid: `h-${i}`, message: text(`h${i}`), offline: false });
    }
    const page1 = await vic.requestOk({ t: 'history', peer: 'wes', limit: 2 });
    assert.deepEqual(page1.messages.map(textOf), ['h5', 'h4']);
    assert.equal(page1.hasMore, true);
    const page2 = await vic.requestOk({ t: 'history', peer: 'wes', limit: 2, beforeSeq: page1.messages[1]!.seq });
    assert.deepEqual(page2.messages.map(textOf), ['h3', 'h2']);
    const page3 = await vic.requestOk({ t: 'history', peer: 'wes', limit: 2, beforeSeq: page2.messages[1]!.seq });
    assert.deepEqual(page3.messages.map(textOf), ['h1']);
    assert.equal(page3.hasMore, false);
    assert.deepEqual(await wes.requestOk({ t: 'history', peer: 'vic', limit: 2 }), page1);
    // A third user sees nothing of it.
    const xena = await t.connect('xena');
    assert.deepEqual((await xena.requestOk({ t: 'history', peer: 'wes', limit: 10 })).messages, []);
  });
});

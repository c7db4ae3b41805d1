import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_SYNC_GAP, type StoredMessage } from '../../src/protocol/index.js';
import { fullHistory, startTestServer, text, type TestClient, type TestServer } from './helpers.js';

type Target = { peer: string } | { channel: string };

/**
 * Pages through `sync` from seq 0 until `total` messages were seen and `done` resolved, asking
 * again from the last seq it has (the client's loop), also while `hasMore` is false and sends are
 * still coming in. Returns every message in the order received.
 */
async function syncUntil(client: TestClient, target: Target, total: number, done: Promise<unknown>, limit: number) {
  let finished = false;
  void done.then(() => (finished = true));
  const seen: StoredMessage[] = [];
  let afterSeq = 0;
  let pages = 0;
  let pagesWhileSending = 0;
  for (;;) {
    const sending = !finished;
    const page = await client.requestOk({ t: 'sync', ...target, afterSeq, limit });
    pages++;
    if (sending && !finished) pagesWhileSending++;
    assert.equal(page.reset, false);
    assert.ok(page.messages.length <= limit);
    if (page.hasMore) assert.equal(page.messages.length, limit, 'hasMore only on a full page');
    seen.push(...page.messages);
    afterSeq = page.messages.at(-1)?.seq ?? afterSeq;
    if (!page.hasMore && finished && seen.length >= total) break;
    if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { seen, pages, pagesWhileSending };
}

/** Runs each sender's sends one after the other (a short pause between), all senders at once. */
function sendConcurrently(count: number, senders: TestClient[], send: (sender: TestClient, n: number, i: number) => Promise<unknown>) {
  return Promise.all(
    senders.map(async (sender, n) => {
      for (let i = 0; i < count; i++) {
        await send(sender, n, i);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }),
  );
}

/** Pages back through history (`beforeSeq`), `limit` at a time; returns the messages oldest first. */
async function fullHistoryBy(client: TestClient, target: Target, limit: number): Promise<StoredMessage[]> {
  const all: StoredMessage[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await client.requestOk({ t: 'history', ...target, limit, ...(beforeSeq && { beforeSeq }) });
    all.push(...page.messages);
    if (!page.hasMore) return all.reverse();
    beforeSeq = page.messages.at(-1)!.seq;
  }
}

function assertGapless(messages: StoredMessage[], total: number) {
  assert.deepEqual(
    messages.map((message) => message.seq),
    Array.from({ length: total }, (_, i) => i + 1),
    'every seq once, ascending, no gaps',
  );
  assert.equal(new Set(messages.map((message) => message.id)).size, total, 'no duplicate ids');
}

describe('sync and history paging', () => {
  let t: TestServer;
  before(async () => {
    // The MAX_SYNC_GAP test floods one connection with 1005 sends: no rate limits (see rate-limit.test.ts).
    t = await startTestServer({ rateLimits: false });
  });
  after(() => t.close());

  it('pages a channel in ascending order with no gaps or duplicates while several connections send', async () => {
    const PER_SENDER = 60;
    const senders = await Promise.all(['s1', 's2', 's3', 's1'].map((uid) => t.connect(uid)));
    for (const sender of senders) await sender.requestOk({ t: 'channel.join', channel: 'busy' });
    const reader = await t.connect('reader');
    const sends = sendConcurrently(PER_SENDER, senders, (sender, n, i) =>
      sender.requestOk({ t: 'channel.send', channel: 'busy', cmid: `busy-${n}-${i}`, message: text(`${n}/${i}`) }),
    );
    const total = senders.length * PER_SENDER;
    // Meanwhile another connection pages back through history from whatever is newest by then.
    const historyReader = await t.connect('history-reader');
    const backwards = (async () => {
      while ((await historyReader.requestOk({ t: 'history', channel: 'busy', limit: 1 })).messages.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return fullHistoryBy(historyReader, { channel: 'busy' }, 9);
    })();
    const { seen, pages, pagesWhileSending } = await syncUntil(reader, { channel: 'busy' }, total, sends, 7);
    const older = await backwards;
    assert.ok(older.length < total, 'history was paged while sends were still coming in');
    assertGapless(older, older.length);
    assert.deepEqual(older, seen.slice(0, older.length));
    assertGapless(seen, total);
    assert.ok(pages > total / 7, `paged (${pages} pages)`);
    assert.ok(pagesWhileSending > 0, 'some pages were read while sends were still being stored');
    assert.deepEqual(seen, await fullHistory(reader, { channel: 'busy' }));
    // Each sender's messages keep their send order.
    for (let n = 0; n < senders.length; n++) {
      const own = seen.filter((message) => message.cmid.startsWith(`busy-${n}-`)).map((message) => message.cmid);
      assert.deepEqual(own, Array.from({ length: PER_SENDER }, (_, i) => `busy-${n}-${i}`));
    }
  });

  it('pages a peer conversation with both users sending from two connections each', async () => {
    const PER_SENDER = 40;
    const clients = [await t.connect('pa'), await t.connect('pa'), await t.connect('pb'), await t.connect('pb')];
    const reader = await t.connect('pa');
    const sends = sendConcurrently(PER_SENDER, clients, (client, n, i) =>
      client.requestOk({ t: 'peer.send', to: n < 2 ? 'pb' : 'pa', cmid: `pp-${n}-${i}`, message: text(`${n}/${i}`), offline: true }),
    );
    const total = clients.length * PER_SENDER;
    const { seen, pagesWhileSending } = await syncUntil(reader, { peer: 'pb' }, total, sends, 10);
    assertGapless(seen, total);
    assert.ok(pagesWhileSending > 0, 'some pages were read while sends were still being stored');
    // The other side sees the same conversation.
    const other = await t.connect('pb');
    const { seen: fromB } = await syncUntil(other, { peer: 'pa' }, total, Promise.resolve(), 100);
    assert.deepEqual(fromB, seen);
  });

  it('answers hasMore, an empty page at the end, and only messages after afterSeq', async () => {
    const a = await t.connect('sa');
    for (let i = 1; i <= 5; i++) {
      await a.requestOk({ t: 'peer.send', to: 'sb', cmid: `small-${i}`, message: text(`m${i}`), offline: false });
    }
    const first = await a.requestOk({ t: 'sync', peer: 'sb', afterSeq: 0, limit: 2 });
    assert.deepEqual([first.messages.map((m) => m.seq), first.hasMore, first.reset], [[1, 2], true, false]);
    const middle = await a.requestOk({ t: 'sync', peer: 'sb', afterSeq: 2, limit: 3 });
    assert.deepEqual([middle.messages.map((m) => m.seq), middle.hasMore], [[3, 4, 5], false]);
    assert.deepEqual(await a.requestOk({ t: 'sync', peer: 'sb', afterSeq: 5, limit: 3 }), { messages: [], hasMore: false, reset: false, changeSeq: 0 });
    // A conversation without messages.
    assert.deepEqual(await a.requestOk({ t: 'sync', peer: 'nobody', afterSeq: 0, limit: 3 }), { messages: [], hasMore: false, reset: false, changeSeq: 0 });
    // Another user cannot read it: their "sb" conversation is a different one.
    const c = await t.connect('sc');
    assert.deepEqual((await c.requestOk({ t: 'sync', peer: 'sb', afterSeq: 0, limit: 3 })).messages, []);
  });

  it(`resets when more than MAX_SYNC_GAP (${MAX_SYNC_GAP}) messages are missing, or the client is ahead`, async () => {
    const a = await t.connect('gap-a');
    await a.requestOk({ t: 'channel.join', channel: 'flood' });
    const total = MAX_SYNC_GAP + 5;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        a.requestOk({ t: 'channel.send', channel: 'flood', cmid: `flood-${i}`, message: text(`f${i + 1}`) }, 20_000),
      ),
    );
    const ask = (afterSeq: number, limit = 20) => a.requestOk({ t: 'sync', channel: 'flood', afterSeq, limit });

    // Exactly MAX_SYNC_GAP behind: a normal page.
    const atLimit = await ask(total - MAX_SYNC_GAP);
    assert.equal(atLimit.reset, false);
    assert.equal(atLimit.hasMore, true);
    assert.deepEqual(atLimit.messages.map((m) => m.seq), Array.from({ length: 20 }, (_, i) => total - MAX_SYNC_GAP + 1 + i));

    // One more: reset, with the newest page in ascending order.
    for (const afterSeq of [total - MAX_SYNC_GAP - 1, 0]) {
      const reset = await ask(afterSeq);
      assert.equal(reset.reset, true, `afterSeq ${afterSeq}`);
      assert.equal(reset.hasMore, false);
      assert.deepEqual(reset.messages.map((m) => m.seq), Array.from({ length: 20 }, (_, i) => total - 19 + i));
    }
    // Ahead of the server (it lost what the client has): reset too.
    const ahead = await ask(total + 1, 3);
    assert.deepEqual([ahead.reset, ahead.messages.map((m) => m.seq)], [true, [total - 2, total - 1, total]]);
    // Up to date: nothing.
    assert.deepEqual(await ask(total), { messages: [], hasMore: false, reset: false, changeSeq: 0 });
  });
});

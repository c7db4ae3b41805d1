import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { Outbox } from '../../src/client/outbox.js';
import {
  CloseCodes,
  FRAME_BURST,
  RATE_LIMIT_ABUSE_SECONDS,
  RtmError,
  SEND_BURST,
  SENDS_PER_SECOND,
  type ServerFrame,
} from '../../src/protocol/index.js';
import { fullHistory, manualClock, startTestServer, text, type TestClient } from './helpers.js';

type Reply = Extract<ServerFrame, { t: 'reply' }>;

/** Sends `count` frames at once (pipelined) and resolves with their replies, in request order. */
async function burst(client: TestClient, count: number, frame: (i: number) => Record<string, unknown>, firstId: number): Promise<Reply[]> {
  for (let i = 0; i < count; i++) client.sendRaw(JSON.stringify({ ...frame(i), id: firstId + i }));
  const replies: Reply[] = [];
  for (let i = 0; i < count; i++) replies.push(await client.next('reply', { where: (r) => r.id === firstId + i, timeoutMs: 10_000 }));
  return replies;
}

const peerSend = (prefix: string) => (i: number) => ({ t: 'peer.send' as const, to: 'bob', cmid: `${prefix}-${i}`, message: text(`${prefix} ${i}`), offline: true });

describe('per-connection rate limits', () => {
  it(`let a burst of ${SEND_BURST} sends through, refuse the next with TOO_OFTEN and store nothing for it`, async () => {
    const clock = manualClock();
    const t = await startTestServer({ now: clock.now });
    try {
      const alice = await t.connect('alice');
      const bob = await t.connect('bob');
      const replies = await burst(alice, SEND_BURST + 5, peerSend('b'), 1000);
      const ok = replies.filter((r) => r.ok).length;
      const refused = replies.filter((r) => !r.ok);
      assert.equal(ok, SEND_BURST, 'exactly the burst is accepted');
      assert.equal(refused.length, 5);
      for (const reply of refused) {
        assert.ok(!reply.ok);
        assert.deepEqual([reply.error.code, reply.error.reason], [429, 'TOO_OFTEN']);
        assert.match(reply.error.message, /Retry in \d+ ms/);
      }
      assert.ok(replies.slice(0, SEND_BURST).every((r) => r.ok), 'the first ones pass, the last ones are refused');

      // Nothing was stored or delivered for the refused ones.
      const history = await fullHistory(bob, { peer: 'alice' });
      assert.equal(history.length, SEND_BURST);
      assert.equal(new Set(history.map((m) => m.cmid)).size, SEND_BURST);
      assert.ok(!history.some((m) => Number(m.cmid!.slice(2)) >= SEND_BURST));
      assert.equal((await bob.messages('peer.message', SEND_BURST)).length, SEND_BURST);
      await bob.expectNone('peer.message', 100);

      // The connection stays; other frames still pass; one send token comes back after 1/rate s.
      assert.ok(alice.isOpen);
      await alice.requestOk({ t: 'ping' });
      const early = await alice.requestError(peerSend('late')(0));
      assert.equal(early.reason, 'TOO_OFTEN');
      clock.advance(Math.ceil(1000 / SENDS_PER_SECOND));
      const ack = await alice.requestOk(peerSend('late')(1));
      assert.equal(ack.duplicate, false);
      // A refused cmid can be sent again later: it was never stored.
      clock.advance(Math.ceil(1000 / SENDS_PER_SECOND));
      assert.equal((await alice.requestOk(peerSend('late')(0))).duplicate, false);
      await alice.requestError(peerSend('late')(2));

      // Channel sends share the bucket; another connection has its own.
      await alice.requestOk({ t: 'channel.join', channel: 'room' });
      assert.equal((await alice.requestError({ t: 'channel.send', channel: 'room', cmid: 'c-1', message: text('x') })).reason, 'TOO_OFTEN');
      const alice2 = await t.connect('alice');
      await alice2.requestOk({ t: 'channel.join', channel: 'room' });
      await alice2.requestOk({ t: 'channel.send', channel: 'room', cmid: 'c-2', message: text('y') });
    } finally {
      await t.close();
    }
  });

  it(`refuse any frame beyond a burst of ${FRAME_BURST} frames`, async () => {
    const clock = manualClock();
    const t = await startTestServer({ now: clock.now });
    try {
      const alice = await t.connect('alice'); // login took one token
      const replies = await burst(alice, FRAME_BURST + 10, () => ({ t: 'ping' }), 1000);
      assert.equal(replies.filter((r) => r.ok).length, FRAME_BURST - 1);
      const refused = replies.filter((r) => !r.ok);
      assert.ok(refused.every((r) => !r.ok && r.error.reason === 'TOO_OFTEN'));
      // A send is refused too while the frame bucket is empty, though its own bucket is full.
      const error = await alice.requestError(peerSend('f')(0));
      assert.equal(error.reason, 'TOO_OFTEN');
      assert.match(error.message, /frames a second/);
      const bob = await t.connect('bob');
      assert.deepEqual(await fullHistory(bob, { peer: 'alice' }), []);
      clock.advance(1000);
      await alice.requestOk(peerSend('f')(0));
      assert.ok(alice.isOpen, 'one burst over the limit does not close the connection');
    } finally {
      await t.close();
    }
  });

  it(`close with RATE_LIMITED (${CloseCodes.RATE_LIMITED}) after ${RATE_LIMIT_ABUSE_SECONDS} s at twice the limit, not after one big burst`, async () => {
    const clock = manualClock();
    const rate = 10;
    const t = await startTestServer({ now: clock.now, rateLimits: { framesPerSecond: rate, frameBurst: rate } });
    try {
      const alice = await t.connect('alice');
      let id = 1000;
      // One burst 50 times over the limit, then quiet: refused, not closed.
      let replies = await burst(alice, 50 * rate, () => ({ t: 'ping' }), id);
      id += 50 * rate;
      assert.equal(replies.filter((r) => r.ok).length, rate - 1);
      clock.advance(5000);
      await alice.requestOk({ t: 'ping' });
      clock.advance(5000);

      // Now twice the limit every second: a ping proves the connection is still open, then
      // `rate - 1` more pass and `rate` are refused.
      for (let second = 1; second <= RATE_LIMIT_ABUSE_SECONDS; second++) {
        await alice.requestOk({ t: 'ping' });
        if (second === RATE_LIMIT_ABUSE_SECONDS) break;
        replies = await burst(alice, 2 * rate - 1, () => ({ t: 'ping' }), id);
        id += 2 * rate - 1;
        assert.equal(replies.filter((r) => r.ok).length, rate - 1, `second ${second}: the limit passes`);
        clock.advance(1000);
      }
      for (let i = 0; i < 2 * rate - 1; i++) alice.sendRaw(JSON.stringify({ t: 'ping', id: id++ }));
      const closed = await alice.closed;
      assert.equal(closed.code, CloseCodes.RATE_LIMITED);
      assert.match(closed.reason, /rate limit/);
      // It was answered up to the end: the refusal that tipped it over came before the close.
      assert.ok(alice.buffered.some((f) => f.t === 'reply' && !f.ok && f.error.reason === 'TOO_OFTEN'));
    } finally {
      await t.close();
    }
  });

  it('can be switched off (rateLimits: false) for benchmarks', async () => {
    const t = await startTestServer({ rateLimits: false });
    try {
      const alice = await t.connect('alice');
      const replies = await burst(alice, SEND_BURST + 20, peerSend('x'), 1);
      assert.ok(replies.every((r) => r.ok));
    } finally {
      await t.close();
    }
  });

  it("surface through the client's outbox as a failed send with TOO_OFTEN, transmitted once, not retried", async () => {
    const clock = manualClock();
    const t = await startTestServer({ now: clock.now });
    try {
      const ws = new WebSocket(t.wsUrl);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let nextId = 1;
      const transmitted: string[] = [];
      let reconnects = 0;
      const outbox = new Outbox({
        transmit(frame) {
          if ('cmid' in frame) transmitted.push(frame.cmid);
          ws.send(JSON.stringify(frame));
          return true;
        },
        nextRequestId: () => nextId++,
        forceReconnect: () => reconnects++,
      });
      ws.on('message', (data) => outbox.handleFrame(JSON.parse(String(data)) as ServerFrame));
      outbox.resume();
      const token = await t.token('alice');
      await outbox.request((id) => ({ t: 'login', id, appId: 'demo', uid: 'alice', token }));

      const sends = Array.from({ length: SEND_BURST + 3 }, (_, i) =>
        outbox.request((id) => ({ t: 'peer.send', id, to: 'bob', cmid: `o-${i}`, message: text(`o ${i}`), offline: true })),
      );
      const results = await Promise.allSettled(sends);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, SEND_BURST);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(failed.length, 3);
      for (const { reason } of failed) {
        assert.ok(reason instanceof RtmError);
        assert.equal(reason.reason, 'TOO_OFTEN');
        assert.equal(reason.code, 429);
      }
      // A retry loop would run on a timer, with nothing to observe but the frame itself: a fixed wait.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(transmitted.length, SEND_BURST + 3, 'each send was transmitted once: no retry loop');
      assert.equal(reconnects, 0);
      ws.close();
    } finally {
      await t.close();
    }
  });
});

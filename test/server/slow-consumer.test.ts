import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { CloseCodes, MAX_SEND_BUFFER_BYTES, type ServerFrame } from '../../src/protocol/index.js';
import { startTestServer, text, type TestClient } from './helpers.js';

/** The TCP socket under a ws client: pausing it makes a client that stops reading. */
const tcp = (client: TestClient) => (client.ws as unknown as { _socket: Socket })._socket;

const BIG = 'x'.repeat(30_000); // close to the 32 KB cap, so the stuck client's buffers fill fast
const SENDERS = 3;
const SEND_EVERY_MS = 20; // 50 sends/s per sender: under SENDS_PER_SECOND, never refused

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  return `n=${sorted.length} p50=${f(percentile(sorted, 50))} ms p99=${f(percentile(sorted, 99))} ms max=${f(sorted[sorted.length - 1] ?? NaN)} ms`;
}

describe('slow consumer', () => {
  it(`a member that stops reading is dropped with SLOW_CONSUMER (${CloseCodes.SLOW_CONSUMER}); the others keep getting every message`, async () => {
    const t = await startTestServer();
    try {
      const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => t.connect(`sender${i}`)));
      const fast = await Promise.all(['fast1', 'fast2'].map((uid) => t.connect(uid)));
      const stuck = await t.connect('stuck');
      for (const client of [...senders, ...fast, stuck]) await client.requestOk({ t: 'channel.join', channel: 'room' });

      // Latency as the fast members see it: from the sender's write to their receipt.
      const sentAt = new Map<string, number>();
      let phase: 'warmup' | 'before' | 'stuck' | 'after' = 'warmup';
      const latencies = { warmup: [] as number[], before: [] as number[], stuck: [] as number[], after: [] as number[] };
      const seqs = new Map<TestClient, number[]>(fast.map((c) => [c, []]));
      let stuckLeftAt: number | undefined;
      for (const client of fast) {
        client.ws.on('message', (data) => {
          const frame = JSON.parse(String(data)) as ServerFrame;
          if (frame.t === 'channel.message') {
            seqs.get(client)!.push(frame.message.seq);
            latencies[phase].push(performance.now() - sentAt.get(frame.message.cmid!)!);
          } else if (frame.t === 'channel.member_left' && frame.uid === 'stuck') {
            stuckLeftAt ??= performance.now();
          }
        });
      }

      let n = 0;
      const acks: Promise<unknown>[] = [];
      const sendRound = () => {
        for (const sender of senders) {
          const cmid = `m-${n++}`;
          sentAt.set(cmid, performance.now());
          acks.push(sender.requestOk({ t: 'channel.send', channel: 'room', cmid, message: text(`${cmid} ${BIG}`) }, 10_000));
        }
      };
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      // Warm-up (JIT, SQLite cache), then 1 s with everyone reading.
      for (let i = 0; i < 500 / SEND_EVERY_MS; i++) {
        sendRound();
        await sleep(SEND_EVERY_MS);
      }
      await Promise.all(acks);
      await sleep(200);
      phase = 'before';
      for (let i = 0; i < 1000 / SEND_EVERY_MS; i++) {
        sendRound();
        await sleep(SEND_EVERY_MS);
      }
      await Promise.all(acks);
      await sleep(200);

      // The stuck member stops reading; the same traffic goes on until the server drops it.
      phase = 'stuck';
      tcp(stuck).pause();
      const stuckFrom = performance.now();
      const sentBeforeStuck = n;
      while (stuckLeftAt === undefined && performance.now() - stuckFrom < 30_000) {
        sendRound();
        await sleep(SEND_EVERY_MS);
      }
      assert.ok(stuckLeftAt !== undefined, 'the server dropped the stuck member (its channel.member_left reached the others)');
      const sentWhileStuck = n - sentBeforeStuck;
      // The stuck client reads again (well within the grace period): it gets its backlog, then the
      // close frame with the code.
      tcp(stuck).resume();
      const stuckClosed = stuck.closed;

      // 1 s more after it was dropped.
      phase = 'after';
      for (let i = 0; i < 1000 / SEND_EVERY_MS; i++) {
        sendRound();
        await sleep(SEND_EVERY_MS);
      }
      await Promise.all(acks);
      await sleep(300);

      const closed = await stuckClosed;
      assert.equal(closed.code, CloseCodes.SLOW_CONSUMER);
      assert.match(closed.reason, /bytes waiting/);
      const stuckGot = stuck.buffered.filter((f) => f.t === 'channel.message').length;

      // Every fast member got every message, in order, once.
      for (const [client, got] of seqs) {
        assert.equal(got.length, n, `${client === fast[0] ? 'fast1' : 'fast2'} got all ${n} messages`);
        assert.deepEqual(got, [...got].sort((a, b) => a - b));
        assert.equal(new Set(got).size, n);
      }
      assert.ok(stuckGot < n, 'the stuck member did not get everything (it resyncs after reconnecting)');

      console.log(
        [
          `slow consumer: ${SENDERS} senders × ${1000 / SEND_EVERY_MS}/s of ${BIG.length + 10}-byte messages; limit ${MAX_SEND_BUFFER_BYTES} bytes`,
          `  stuck member dropped ${((stuckLeftAt - stuckFrom) / 1000).toFixed(2)} s after it stopped reading (${sentWhileStuck} messages sent meanwhile; it had taken ${stuckGot} of ${n} in all), close code ${closed.code}`,
          `  fast members' latency, everyone reading:   ${summary(latencies.before)}`,
          `  fast members' latency, one member stuck:   ${summary(latencies.stuck)}`,
          `  fast members' latency, after it was dropped: ${summary(latencies.after)}`,
        ].join('\n'),
      );
    } finally {
      await t.close();
    }
  });
});

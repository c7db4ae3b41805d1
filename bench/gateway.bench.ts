// `npm run bench`: message throughput and latency through the real server (a child process, so
// SQLite's fsync per commit is included), against a baseline measured in the same run — a bare
// `ws` echo on loopback — so the ratio says what the gateway costs, whatever the machine.
import { performance } from 'node:perf_hooks';
import { WebSocketServer, WebSocket } from 'ws';
// @ts-expect-error -- plain ESM script shared with the tests
import { createServerProcess } from '../scripts/server-process.mjs';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const WINDOW = 32; // sends in flight at once

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends MESSAGES frames with WINDOW in flight; `isDone(frame)` recognises a frame's completion. */
async function pump(
  sender: WebSocket,
  receiver: WebSocket,
  frame: (i: number) => string,
  completionOf: (data: string) => number | undefined,
): Promise<Figures> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const sendOne = () => {
      const i = next++;
      sentAt.set(i, performance.now());
      sender.send(frame(i));
    };
    receiver.on('message', (data) => {
      const i = completionOf(String(data));
      if (i === undefined || !sentAt.has(i)) return;
      latencies.push(performance.now() - sentAt.get(i)!);
      sentAt.delete(i);
      if (next < MESSAGES) sendOne();
      else if (sentAt.size === 0) resolve();
    });
    for (let i = 0; i < WINDOW && next < MESSAGES; i++) sendOne();
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: MESSAGES / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function baseline(): Promise<Figures> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data))));
  const { port } = server.address() as { port: number };
  const socket = await open(`ws://127.0.0.1:${port}`);
  const figures = await pump(socket, socket, (i) => JSON.stringify({ i, text: `message ${i}` }), (data) => JSON.parse(data).i);
  socket.close();
  server.close();
  return figures;
}

async function login(url: string, uid: string): Promise<WebSocket> {
  const token = ((await (
    await fetch(`${url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uid }) })
  ).json()) as { token: string }).token;
  const socket = await open(`${url.replace('http', 'ws')}/ws`);
  await new Promise<void>((resolve, reject) => {
    socket.once('message', (data) => {
      const reply = JSON.parse(String(data));
      if (reply.ok) resolve();
      else reject(new Error(JSON.stringify(reply)));
    });
    socket.send(JSON.stringify({ t: 'login', id: 0, appId: 'demo', uid, token }));
  });
  return socket;
}

async function gateway(url: string): Promise<{ acked: Figures; delivered: Figures }> {
  const alice = await login(url, 'bench-alice');
  const bob = await login(url, 'bench-bob');
  const send = (i: number, prefix: string) =>
    JSON.stringify({ t: 'peer.send', id: i + 1, to: 'bench-bob', cmid: `${prefix}${i}`, message: { type: 'TEXT', text: `message ${i}` }, offline: true });
  // Sender's view: time to the ack (the message is committed).
  const acked = await pump(alice, alice, (i) => send(i, 'a'), (data) => {
    const frame = JSON.parse(data);
    return frame.t === 'reply' && frame.ok ? frame.id - 1 : undefined;
  });
  // Receiver's view: time until bob has it.
  const delivered = await pump(alice, bob, (i) => send(i, 'd'), (data) => {
    const frame = JSON.parse(data);
    return frame.t === 'peer.message' ? Number(frame.message.cmid.slice(1)) : undefined;
  });
  alice.close();
  bob.close();
  return { acked, delivered };
}

const FAN_READERS = 4;
const FAN_MESSAGES = Number(process.env.BENCH_FAN_MESSAGES ?? 3000);
const FAN_TEXT = 'x'.repeat(8 * 1024); // big enough that a stuck member's buffers fill within the run

/** Sends `frame` with a fresh id on a logged-in socket and resolves with its reply. */
let nextRequestId = 1_000_000;
function request(socket: WebSocket, frame: Record<string, unknown>): Promise<void> {
  const id = nextRequestId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: unknown) => {
      const reply = JSON.parse(String(data));
      if (reply.t !== 'reply' || reply.id !== id) return;
      socket.off('message', onMessage);
      if (reply.ok) resolve();
      else reject(new Error(JSON.stringify(reply.error)));
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ ...frame, id }));
  });
}

/**
 * Channel fan-out: one sender, FAN_READERS members reading; latency until every reader has a
 * message. With `stuck`, one more member stops reading (its TCP socket paused): the readers'
 * figures should match the run without it, and the server drops the stuck one (SLOW_CONSUMER)
 * — `droppedAfter` is how many messages had been sent when the readers saw it leave.
 */
async function fanout(url: string, stuck: boolean): Promise<Figures & { droppedAfter?: number }> {
  const tag = stuck ? 'stuck' : 'all';
  const channel = `bench-fan-${tag}`;
  const sender = await login(url, `bench-fan-${tag}-sender`);
  const readers = await Promise.all(Array.from({ length: FAN_READERS }, (_, i) => login(url, `bench-fan-${tag}-${i}`)));
  const stuckOne = stuck ? await login(url, `bench-fan-${tag}-stuck`) : undefined;
  for (const socket of [sender, ...readers, ...(stuckOne ? [stuckOne] : [])]) await request(socket, { t: 'channel.join', channel });
  (stuckOne as unknown as { _socket?: { pause(): void } } | undefined)?._socket?.pause();

  const sentAt = new Map<number, number>();
  const arrivals = new Map<number, number>();
  const latencies: number[] = [];
  let next = 0;
  let droppedAfter: number | undefined;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const sendOne = () => {
      const i = next++;
      sentAt.set(i, performance.now());
      sender.send(JSON.stringify({ t: 'channel.send', id: i + 1, channel, cmid: `f${i}`, message: { type: 'TEXT', text: `${i} ${FAN_TEXT}` } }));
    };
    for (const reader of readers) {
      reader.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.t === 'channel.member_left' && frame.uid.endsWith('-stuck')) droppedAfter ??= next;
        if (frame.t !== 'channel.message') return;
        const i = Number(frame.message.cmid.slice(1));
        const got = (arrivals.get(i) ?? 0) + 1;
        arrivals.set(i, got);
        if (got < FAN_READERS) return;
        latencies.push(performance.now() - sentAt.get(i)!);
        sentAt.delete(i);
        arrivals.delete(i);
        if (next < FAN_MESSAGES) sendOne();
        else if (sentAt.size === 0) resolve();
      });
    }
    for (let i = 0; i < WINDOW && next < FAN_MESSAGES; i++) sendOne();
  });
  const seconds = (performance.now() - started) / 1000;
  for (const socket of [sender, ...readers]) socket.close();
  stuckOne?.terminate();
  latencies.sort((a, b) => a - b);
  return { perSecond: FAN_MESSAGES / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), droppedAfter };
}

// One connection sends as fast as the server acks, far over the per-connection rate limit (60/s),
// so the limit is off here: this measures the gateway's cost, not the limit.
const server = createServerProcess({ name: 'bench', env: { RTM_WS_RATE_LIMIT: '0' } });
await server.start();
try {
  const base = await baseline();
  const { acked, delivered } = await gateway(server.url);
  const row = (name: string, f: Figures) =>
    `${name.padEnd(32)} ${f.perSecond.toFixed(0).padStart(8)} msg/s   p50 ${f.p50.toFixed(2).padStart(7)} ms   p99 ${f.p99.toFixed(2).padStart(7)} ms`;
  console.log(`${MESSAGES} messages, ${WINDOW} in flight, loopback`);
  console.log(row('baseline: bare ws echo', base));
  console.log(row('gateway: send → ack (committed)', acked));
  console.log(row('gateway: send → receiver', delivered));
  console.log(`ratio gateway/baseline throughput: ack ${(acked.perSecond / base.perSecond).toFixed(3)}, delivery ${(delivered.perSecond / base.perSecond).toFixed(3)}`);
  const fanAll = await fanout(server.url, false);
  const fanStuck = await fanout(server.url, true);
  console.log(`channel fan-out: ${FAN_MESSAGES} messages of ${FAN_TEXT.length / 1024} KiB, ${WINDOW} in flight, ${FAN_READERS} readers (latency until all have it)`);
  console.log(row('fan-out: every member reading', fanAll));
  console.log(row('fan-out: + 1 member stuck', fanStuck));
  console.log(
    fanStuck.droppedAfter === undefined
      ? 'the stuck member was not dropped within the run (raise BENCH_FAN_MESSAGES)'
      : `the stuck member was dropped (SLOW_CONSUMER) after ${fanStuck.droppedAfter} messages (${((fanStuck.droppedAfter * FAN_TEXT.length) / 1024 / 1024).toFixed(1)} MiB) had been sent`,
  );
} finally {
  await server.stop();
}

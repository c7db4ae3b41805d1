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
} finally {
  await server.stop();
}

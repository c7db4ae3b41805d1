// `npm run bench` (second part): REST API throughput — peer messages with wait_for_ack=false, each
// authenticated, rate-limited, validated and committed to SQLite — through the real server (a child
// process), against a baseline measured in the same run: a bare Fastify route in a child process that
// parses the same JSON body and answers the same JSON. The ratio says what the REST path costs,
// whatever the machine.
//
// The per-app limit (500 requests/s) would cap the figure, so the requests are spread over
// BENCH_REST_APPS apps; a last run with one app shows the limit holding.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
// @ts-expect-error -- plain ESM script shared with the tests
import { createServerProcess, freePort } from '../scripts/server-process.mjs';

const REQUESTS = Number(process.env.BENCH_REST_REQUESTS ?? 4000);
const IN_FLIGHT = 32;
const APPS = Number(process.env.BENCH_REST_APPS ?? 16);

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

function post(url: URL, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` requests, IN_FLIGHT at a time; `make(i)` gives the path, headers and body of request i. */
async function pump(baseUrl: string, count: number, make: (i: number) => { path: string; headers: Record<string, string>; body: string }): Promise<Figures> {
  const url = new URL(baseUrl);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const { path, headers, body } = make(next++);
      const sentAt = performance.now();
      const status = await post(url, path, headers, body);
      latencies.push(performance.now() - sentAt);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses };
}

const BASELINE_SERVER = `
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
const app = Fastify();
app.post('/baseline/:appid/:user_id', async (request) => {
  const { destination, payload } = request.body;
  if (typeof destination !== 'string' || typeof payload !== 'string') throw new Error('bad body');
  return { result: 'success', request_id: randomUUID(), code: 'message_sent' };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('listening');
`;

async function startBaseline(): Promise<{ url: string; child: ChildProcess }> {
  const port = (await freePort()) as number;
  const child = spawn(process.execPath, ['--input-type=module', '-e', BASELINE_SERVER], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`baseline server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const body = (i: number) =>
  JSON.stringify({ destination: `bench-bob-${i % 50}`, enable_offline_messaging: false, enable_historical_messaging: false, payload: `message ${i}` });

const apps = Array.from({ length: APPS }, (_, i) => ({
  id: `bench-${i}`,
  restKey: `key-${i}`,
  restSecret: randomBytes(16).toString('hex'),
  tokenSecret: randomBytes(32).toString('hex'),
  allowedOrigins: [],
}));
const basic = (app: (typeof apps)[number]) => `Basic ${Buffer.from(`${app.restKey}:${app.restSecret}`).toString('base64')}`;
const configDir = mkdtempSync(join(tmpdir(), 'rtm-bench-rest-'));
const configFile = join(configDir, 'config.json');
writeFileSync(configFile, JSON.stringify({ apps }));

const baseline = await startBaseline();
const server = createServerProcess({ name: 'bench-rest', env: { RTM_CONFIG: configFile } });
await server.start();
try {
  const restRequest = (i: number, appCount: number) => {
    const app = apps[i % appCount]!;
    return { path: `/dev/v2/project/${app.id}/rtm/users/bench-alice/peer_messages?wait_for_ack=false`, headers: { authorization: basic(app) }, body: body(i) };
  };
  // Warm-up (JIT, SQLite page cache), not counted.
  await pump(baseline.url, 300, (i) => ({ path: '/baseline/demo/bench-alice', headers: {}, body: body(i) }));
  await pump(server.url, 300, (i) => restRequest(i, APPS));
  await new Promise((resolve) => setTimeout(resolve, 1100)); // let the buckets refill

  const base = await pump(baseline.url, REQUESTS, (i) => ({ path: '/baseline/demo/bench-alice', headers: {}, body: body(i) }));
  const rest = await pump(server.url, REQUESTS, (i) => restRequest(i, APPS));
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const oneApp = await pump(server.url, Math.min(REQUESTS, 2000), (i) => restRequest(i, 1));

  const row = (name: string, f: Figures) =>
    `${name.padEnd(44)} ${f.perSecond.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(2).padStart(6)} ms   p99 ${f.p99.toFixed(2).padStart(6)} ms   ${JSON.stringify(f.statuses)}`;
  console.log(`\n${REQUESTS} requests, ${IN_FLIGHT} in flight, keep-alive, loopback`);
  console.log(row('baseline: bare Fastify JSON route', base));
  console.log(row(`REST peer_messages (${APPS} apps, committed)`, rest));
  console.log(row('REST peer_messages (1 app: 500/s limit)', oneApp));
  console.log(`ratio REST/baseline throughput: ${(rest.perSecond / base.perSecond).toFixed(3)}`);
  if ((rest.statuses[200] ?? 0) !== REQUESTS) console.log(`note: not every REST request was a 200: ${JSON.stringify(rest.statuses)}`);
} finally {
  agent.destroy();
  baseline.child.kill();
  await server.stop();
  rmSync(configDir, { recursive: true, force: true });
}

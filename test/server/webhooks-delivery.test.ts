import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { createToken, startServer, type RunningServer } from '../../src/server/index.js';
import { startTestServer, TestClient, text, type TestServer } from './helpers.js';
import { assertSigned, authOf, deliveries, eventually, hookApp, outboxDrained, Receiver, type DeliveryBody } from './webhooks-helpers.js';

/** The app's only event, once its log says `status`. */
async function onlyEvent(url: string, app: ReturnType<typeof hookApp>, status: DeliveryBody['status'], timeoutMs = 5000) {
  return eventually(
    async () => {
      const { body } = await deliveries(url, app);
      return body.deliveries.length === 1 && body.deliveries[0]!.status === status ? body.deliveries[0] : undefined;
    },
    timeoutMs,
    `${app.id}'s event to be ${status}`,
  );
}

describe('webhooks: retries', () => {
  const receivers: Record<string, Receiver> = {};
  let t: TestServer;
  const apps = () => Object.fromEntries(Object.entries(receivers).map(([id, r]) => [id, hookApp(id, r.url)]));
  const send = async (appId: string) => {
    const app = apps()[appId]!;
    const client = await t.connect('alice', { appId, secret: app.tokenSecret });
    await client.requestOk({ t: 'peer.send', to: 'bob', cmid: `m-${appId}`, message: text('hello'), offline: true });
  };

  before(async () => {
    receivers.flaky = await Receiver.start((_, i) => (i < 2 ? 500 : 200));
    receivers.gone = await Receiver.start(() => 400);
    receivers.busy = await Receiver.start((_, i) => (i === 0 ? 429 : 200));
    receivers.down = await Receiver.start(() => 503);
    receivers.slow = await Receiver.start((_, i) => (i === 0 ? 'hang' : 200));
    t = await startTestServer({
      config: { apps: Object.values(apps()) },
      // Short and deterministic: 150 ms after the first failure, 300 after the second, …
      webhooks: { retryDelayMs: (attempt) => 150 * 2 ** (attempt - 1), maxAttempts: 3, timeoutMs: 300 },
    });
  });
  after(async () => {
    await t.close();
    for (const receiver of Object.values(receivers)) await receiver.close();
  });

  it('a receiver that fails twice then succeeds gets 3 attempts, with growing backoff', async () => {
    await send('flaky');
    const received = await receivers.flaky!.waitFor(3);
    // Delivered is final: the log schedules no further attempt, so the count below is the last one.
    const delivery = await onlyEvent(t.url, apps().flaky!, 'delivered');
    assert.equal(delivery.next_attempt_at, undefined);
    assert.equal(received.length, 3, 'no attempt after the success');
    for (const r of received) assertSigned(r);
    assert.equal(new Set(received.map((r) => r.event.id)).size, 1, 'the same event each time');
    assert.equal(new Set(received.map((r) => r.body)).size, 1, 'the same body each time');
    assert.deepEqual(received.map((r) => r.headers['x-rtm-delivery-attempt']), ['1', '2', '3']);
    const gap1 = received[1]!.at - received[0]!.at;
    const gap2 = received[2]!.at - received[1]!.at;
    assert.ok(gap1 >= 140, `first retry after the first backoff (${gap1} ms)`);
    assert.ok(gap2 >= 290, `second retry after the doubled backoff (${gap2} ms)`);
    assert.equal(delivery.attempts, 3);
    assert.equal(delivery.last_status_code, 200);
    assert.deepEqual(delivery.log.map((a) => [a.attempt, a.status_code]), [[1, 500], [2, 500], [3, 200]]);
    assert.equal(typeof delivery.delivered_at, 'number');
  });

  it('a permanent 4xx stops retrying; 429 is retried', async () => {
    await send('gone');
    await send('busy');
    // Both events reach a final state (failed, delivered) with no attempt scheduled after it.
    const gone = await onlyEvent(t.url, apps().gone!, 'failed');
    const busy = await onlyEvent(t.url, apps().busy!, 'delivered');
    assert.equal(busy.next_attempt_at, undefined);
    assert.equal(receivers.gone!.received.length, 1, '400 is not retried');
    assert.equal(receivers.busy!.received.length, 2, '429 was retried once, then 200');
    assert.equal(gone.attempts, 1);
    assert.equal(gone.last_status_code, 400);
    assert.equal(gone.next_attempt_at, undefined);
    assert.deepEqual(busy.log.map((a) => a.status_code), [429, 200]);
    assert.deepEqual((await deliveries(t.url, apps().gone!, '?status=failed')).body.deliveries.map((d) => d.event_id), [gone.event_id]);

    // The operator fixed the receiver and sends the failed event again.
    receivers.gone!.respond = () => 200;
    const retry = (app: ReturnType<typeof hookApp>, eventId: string) =>
      fetch(`${t.url}/dev/v2/project/${app.id}/rtm/webhooks/deliveries/${eventId}/retry`, { method: 'POST', headers: { authorization: authOf(app) } });
    const answer = await retry(apps().gone!, gone.event_id);
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { delivery: DeliveryBody }).delivery.status, 'pending');
    const again = await onlyEvent(t.url, apps().gone!, 'delivered');
    assert.deepEqual(again.log.map((a) => [a.attempt, a.status_code]), [[1, 400], [2, 200]]);
    assert.equal(receivers.gone!.received[1]!.event.id, gone.event_id);
    assert.equal((await retry(apps().gone!, gone.event_id)).status, 409, 'only failed events');
    assert.equal((await retry(apps().gone!, 'evt_nope')).status, 404);
    assert.equal((await retry(apps().busy!, gone.event_id)).status, 404, "another app's event");
    assert.equal((await fetch(`${t.url}/dev/v2/project/gone/rtm/webhooks/deliveries/${gone.event_id}/retry`, { method: 'POST' })).status, 401);
  });

  it('gives up after the last attempt, and a request that hangs times out and is retried', async () => {
    await send('down');
    await send('slow');
    await receivers.down!.waitFor(3);
    await receivers.slow!.waitFor(2);
    const down = await onlyEvent(t.url, apps().down!, 'failed');
    assert.equal(down.attempts, 3);
    assert.deepEqual(down.log.map((a) => a.status_code), [503, 503, 503]);
    assert.equal(down.next_attempt_at, undefined, 'failed is final: no fourth attempt is scheduled');
    assert.equal(receivers.down!.received.length, 3);

    const slow = await onlyEvent(t.url, apps().slow!, 'delivered');
    assert.equal(slow.log[0]!.status_code, undefined);
    assert.equal(slow.log[0]!.error, 'timeout after 300 ms');
    assert.ok(slow.log[0]!.duration_ms >= 290, `the attempt lasted the timeout (${slow.log[0]!.duration_ms} ms)`);
    assert.equal(slow.log[1]!.status_code, 200);
  });
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;

describe('webhooks never slow message delivery', () => {
  let healthy: Receiver;
  let stuck: Receiver;
  let t: TestServer;

  before(async () => {
    healthy = await Receiver.start(() => 200);
    stuck = await Receiver.start(() => 'hang');
    t = await startTestServer({
      config: { apps: [hookApp('quiet', undefined), hookApp('healthy', healthy.url), hookApp('stuck', stuck.url)] },
      webhooks: { timeoutMs: 60_000 },
    });
  });
  after(async () => {
    await t.close();
    await healthy.close();
    await stuck.close();
  });

  it('acks as fast with a hanging receiver as with none; at most 4 requests per app hang', async () => {
    const pairs = await Promise.all(
      ['quiet', 'healthy', 'stuck'].map(async (appId) => {
        const secret = hookApp(appId, undefined).tokenSecret;
        return { appId, alice: await t.connect('alice', { appId, secret }), bob: await t.connect('bob', { appId, secret }) };
      }),
    );
    const latencies: Record<string, number[]> = { quiet: [], healthy: [], stuck: [] };
    const ROUNDS = 60;
    for (let i = 0; i < ROUNDS + 5; i++) {
      // Interleaved, so the three apps see the same machine load.
      for (const { appId, alice, bob } of pairs) {
        const started = performance.now();
        await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: `l-${i}`, message: text(`m${i}`), offline: true });
        const took = performance.now() - started;
        if (i >= 5) latencies[appId]!.push(took); // the first rounds warm up
        await bob.next('peer.message');
      }
    }
    const figures = Object.fromEntries(
      Object.entries(latencies).map(([appId, values]) => [appId, { median: +median(values).toFixed(2), p95: +p95(values).toFixed(2), max: +Math.max(...values).toFixed(2) }]),
    );
    console.log(`# peer.send ack latency (ms) over ${ROUNDS} sends: ${JSON.stringify(figures)}`);

    assert.equal(stuck.hanging, 4, 'WEBHOOK_CONCURRENCY_PER_APP requests held open, the rest wait in the outbox');
    await healthy.waitFor(ROUNDS + 5);
    await outboxDrained(t.url, hookApp('healthy', healthy.url));
    assert.equal(healthy.received.length, ROUNDS + 5, 'the healthy receiver got every event, once');
    const quiet = figures.quiet!;
    const hanging = figures.stuck!;
    assert.ok(hanging.median <= quiet.median * 3 + 5, `median ack with a hanging receiver ${hanging.median} ms vs ${quiet.median} ms without a webhook`);
    // Loose on purpose (a shared CI machine): an ack that waited for the receiver would take the 60 s timeout.
    assert.ok(hanging.p95 <= quiet.p95 * 3 + 50, `p95 ack with a hanging receiver ${hanging.p95} ms vs ${quiet.p95} ms`);
    assert.ok(hanging.max < 1000, `slowest ack with a hanging receiver ${hanging.max} ms`);

    const log = await deliveries(t.url, hookApp('stuck', stuck.url), '?status=pending&limit=100');
    assert.equal(log.body.deliveries.length, ROUNDS + 5, 'every event is waiting in the outbox');
    assert.ok(log.body.deliveries.every((d) => d.attempts === 0));
  });
});

describe('webhooks across a restart', () => {
  let dataDir: string;
  let receiver: Receiver;
  let server: RunningServer | undefined;
  const app = () => hookApp('hooks', receiver.url);

  const start = async () => {
    server = await startServer({ port: 0, dataDir, configFile: join(dataDir, 'config.json'), webhooks: { retryDelayMs: () => 1500 } });
    return server;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rtm-webhooks-'));
    receiver = await Receiver.start((_, i) => (i === 0 ? 503 : 'hang'));
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ apps: [app()] }));
  });
  after(async () => {
    await server?.close();
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers pending events after a restart: retries keep their count, a request cut off by the shutdown is sent again', async () => {
    const first = await start();
    const client = await TestClient.open(`${first.url.replace(/^http/, 'ws')}/ws`);
    const token = await createToken({ appId: 'hooks', uid: 'alice', secret: app().tokenSecret });
    await client.requestOk({ t: 'login', appId: 'hooks', uid: 'alice', token });
    await client.requestOk({ t: 'peer.send', to: 'bob', cmid: 'r1', message: text('one'), offline: true });
    await receiver.waitFor(1); // 503: retry in 1.5 s
    await eventually(async () => ((await deliveries(first.url, app())).body.deliveries[0]?.attempts === 1 ? true : undefined));
    await client.requestOk({ t: 'peer.send', to: 'bob', cmid: 'r2', message: text('two'), offline: true });
    await receiver.waitFor(2); // held open
    assert.equal(receiver.hanging, 1);
    const started = Date.now();
    await first.close();
    assert.ok(Date.now() - started < 2000, 'the hanging request does not hold up the shutdown');
    client.terminate();
    const [failedOnce, cutOff] = receiver.received.map((r) => r.event);

    receiver.respond = () => 200;
    const second = await start();
    const after = await receiver.waitFor(4, 6000);
    const resumed = after.slice(2);
    for (const r of resumed) assertSigned(r);
    const attemptOf = (id: string) => resumed.find((r) => r.event.id === id)?.headers['x-rtm-delivery-attempt'];
    assert.equal(attemptOf(cutOff!.id), '1', 'the cut-off request did not count as an attempt');
    assert.equal(attemptOf(failedOnce!.id), '2', 'the failed event continues with its second attempt');
    assert.deepEqual(resumed.find((r) => r.event.id === failedOnce!.id)!.body, receiver.received[0]!.body, 'the same body');

    const log = await eventually(async () => {
      const { body } = await deliveries(second.url, app());
      return body.deliveries.every((d) => d.status === 'delivered') ? body.deliveries : undefined;
    });
    const byId = Object.fromEntries(log.map((d) => [d.event_id, d.log.map((a) => a.status_code)]));
    assert.deepEqual(byId, { [failedOnce!.id]: [503, 200], [cutOff!.id]: [200] });
    assert.equal(receiver.received.length, 4, 'each delivered once after the restart');
  });
});

// Scenario (a): 1:1 routing at saturation. Clients pair up (0↔1, 2↔3, …); each keeps `window`
// peer sends to its partner in flight and sends the next one the moment one is acked (closed loop),
// so the figure is what the target sustains, and the latencies are the ones it has while doing it.
import { performance } from 'node:perf_hooks';
import type { BenchClient } from '../clients/bench-client.js';
import type { Job, Result } from '../job.js';
import { summarize } from '../../lib/stats.js';
import { CrossNodeLatencies } from '../cross-node.js';
import { DeliveryLedger } from '../delivery-ledger.js';
import { drain, MeasuredWindow, sentAtOf, sleep, stampedMessage } from '../timing.js';

export async function runOneToOne(job: Job, clients: BenchClient[]): Promise<Result> {
  const ackLatencies: number[] = [];
  const deliveryLatencies: number[] = [];
  let sent = 0;
  let acked = 0;
  let refused = 0;
  let delivered = 0;
  let ackedInWindow = 0;
  let deliveredInWindow = 0;
  let firstError: string | undefined;
  let sending = true;

  const start = performance.now();
  const window = new MeasuredWindow(start + job.warmupMs, start + job.warmupMs + job.durationMs);

  const crossNode = new CrossNodeLatencies(clients, job.urls.length);
  const ledger = new DeliveryLedger();
  for (const client of clients) {
    client.onDelivery = (delivery) => {
      const now = performance.now();
      // A duplicate is counted apart, never as a delivery: it must not hide a lost message.
      if (!ledger.record(client.uid, delivery.cmid)) return;
      delivered++;
      if (window.contains(now)) {
        deliveredInWindow++;
        const latency = now - sentAtOf(delivery.message);
        deliveryLatencies.push(latency);
        crossNode.record(delivery.from, client.uid, latency);
      }
    };
  }

  // One counter per sender, shared by its `window` loops: cmids must be unique (rtm-chat takes a
  // repeated cmid as a resend), and the ledger reads the number as the message's index.
  const nextNumber = new Map<BenchClient, number>();
  const loop = async (client: BenchClient, partner: BenchClient) => {
    while (sending) {
      const n = nextNumber.get(client) ?? 0;
      nextNumber.set(client, n + 1);
      const message = stampedMessage();
      const sentAt = sentAtOf(message);
      sent++;
      try {
        await client.sendPeer(partner.uid, `${client.uid}-${n}`, message);
      } catch (error) {
        refused++;
        firstError ??= String(error);
        return; // a refused send usually means a dead socket: this loop stops, the count shows it
      }
      const now = performance.now();
      acked++;
      if (window.contains(now)) {
        ackedInWindow++;
        ackLatencies.push(now - sentAt);
      }
    }
  };

  const loops: Promise<void>[] = [];
  for (let i = 0; i + 1 < clients.length; i += 2) {
    const [a, b] = [clients[i]!, clients[i + 1]!];
    for (let w = 0; w < job.window; w++) loops.push(loop(a, b), loop(b, a));
  }
  await sleep(window.to - performance.now());
  sending = false;
  const drained = await drain(() => acked + refused >= sent && delivered >= acked, () => acked + refused + delivered, job.drainMs);

  return {
    target: job.target,
    scenario: job.scenario,
    sent,
    acked,
    refused,
    delivered,
    expectedDeliveries: acked,
    firstError,
    duplicates: ledger.duplicates,
    ...(ledger.firstDuplicate && { firstDuplicate: ledger.firstDuplicate }),
    drain: drained,
    ackedPerSecond: ackedInWindow / window.seconds,
    deliveriesPerSecond: deliveredInWindow / window.seconds,
    ack: summarize(ackLatencies),
    delivery: summarize(deliveryLatencies),
    ...(crossNode.summary() && { crossNodeDelivery: crossNode.summary() }),
  };
}

// Scenario (b): one channel, every member joined and reading, messages sent into it at a fixed
// rate (open loop: the schedule does not wait for the target, so a target that falls behind shows
// it as latency, as it would to its users). Senders take turns, so no connection carries it all.
import { performance } from 'node:perf_hooks';
import type { BenchClient } from '../clients/bench-client.js';
import type { Job, Result } from '../job.js';
import { summarize } from '../../lib/stats.js';
import { CrossNodeLatencies } from '../cross-node.js';
import { DeliveryLedger } from '../delivery-ledger.js';
import { drain, MeasuredWindow, sentAtOf, sleep, stampedMessage } from '../timing.js';

const TICK_MS = 5;

export async function runChannel(job: Job, clients: BenchClient[]): Promise<Result> {
  const channel = `${job.runId}-room`;
  for (const client of clients) await client.join(channel);

  const ackLatencies: number[] = [];
  const deliveryLatencies: number[] = [];
  let sent = 0;
  let acked = 0;
  let refused = 0;
  let delivered = 0;
  let ackedInWindow = 0;
  let deliveredInWindow = 0;
  let firstError: string | undefined;

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

  const sendOne = (client: BenchClient) => {
    const message = stampedMessage();
    const sentAt = sentAtOf(message);
    sent++;
    client.sendChannel(channel, `${client.uid}-${sent}`, message).then(
      () => {
        const now = performance.now();
        acked++;
        if (window.contains(now)) {
          ackedInWindow++;
          ackLatencies.push(now - sentAt);
        }
      },
      (error: unknown) => {
        refused++;
        firstError ??= String(error);
      },
    );
  };

  // Catch-up schedule: each tick sends what the rate says should have gone by now, so a late
  // timer (a busy generator) sends a burst rather than silently lowering the rate.
  while (performance.now() < window.to) {
    const due = Math.floor(((performance.now() - start) / 1000) * job.inboundPerSecond);
    while (sent < due) sendOne(clients[sent % clients.length]!);
    await sleep(TICK_MS);
  }
  const others = clients.length - 1;
  const drained = await drain(() => acked + refused >= sent && delivered >= acked * others, () => acked + refused + delivered, job.drainMs);

  return {
    target: job.target,
    scenario: job.scenario,
    sent,
    acked,
    refused,
    delivered,
    expectedDeliveries: acked * others,
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

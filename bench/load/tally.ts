// What one scenario run counts, the same way for every scenario: sends, acks and refusals,
// deliveries (each receiver's copy of each message once: a duplicate is counted apart and never
// hides a loss), and the latencies inside the measured window.
import { performance } from 'node:perf_hooks';
import type { BenchClient } from './clients/bench-client.js';
import type { Job, Result } from './job.js';
import { summarize } from '../lib/stats.js';
import { CrossNodeLatencies } from './cross-node.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { MeasuredWindow, sentAtOf, type DrainOutcome } from './timing.js';

export class RunTally {
  sent = 0;
  acked = 0;
  refused = 0;
  delivered = 0;
  readonly start = performance.now();
  readonly window: MeasuredWindow;
  #ackedInWindow = 0;
  #deliveredInWindow = 0;
  #firstError: string | undefined;
  readonly #ackLatencies: number[] = [];
  readonly #deliveryLatencies: number[] = [];
  readonly #crossNode: CrossNodeLatencies;
  readonly #ledger = new DeliveryLedger();

  constructor(
    private readonly job: Job,
    clients: readonly BenchClient[],
  ) {
    this.window = new MeasuredWindow(this.start + job.warmupMs, this.start + job.warmupMs + job.durationMs);
    this.#crossNode = new CrossNodeLatencies(clients, job.urls.length);
    for (const client of clients) {
      client.onDelivery = (delivery) => {
        const now = performance.now();
        if (!this.#ledger.record(client.uid, delivery.cmid)) return;
        this.delivered++;
        if (!this.window.contains(now)) return;
        this.#deliveredInWindow++;
        const latency = now - sentAtOf(delivery.message);
        this.#deliveryLatencies.push(latency);
        this.#crossNode.record(delivery.from, client.uid, latency);
      };
    }
  }

  /** A send that got its ack; `sentAt` from the message's stamp. */
  ack(sentAt: number): void {
    const now = performance.now();
    this.acked++;
    if (!this.window.contains(now)) return;
    this.#ackedInWindow++;
    this.#ackLatencies.push(now - sentAt);
  }

  refuse(error: unknown): void {
    this.refused++;
    this.#firstError ??= String(error);
  }

  result(expectedDeliveries: number, drained: DrainOutcome): Result {
    const crossNode = this.#crossNode.summary();
    return {
      target: this.job.target,
      scenario: this.job.scenario,
      sent: this.sent,
      acked: this.acked,
      refused: this.refused,
      delivered: this.delivered,
      expectedDeliveries,
      firstError: this.#firstError,
      duplicates: this.#ledger.duplicates,
      ...(this.#ledger.firstDuplicate && { firstDuplicate: this.#ledger.firstDuplicate }),
      drain: drained,
      ackedPerSecond: this.#ackedInWindow / this.window.seconds,
      deliveriesPerSecond: this.#deliveredInWindow / this.window.seconds,
      ack: summarize(this.#ackLatencies),
      delivery: summarize(this.#deliveryLatencies),
      ...(crossNode && { crossNodeDelivery: crossNode }),
    };
  }
}

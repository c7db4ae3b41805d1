// Which deliveries crossed nodes: with several URLs, a delivery whose sender is on another node
// than its receiver went through Redis. Their latencies are kept apart, so "cross-node latency" is
// measured, not inferred from a mix of local and remote deliveries.
import type { BenchClient } from './clients/bench-client.js';
import { nodeOf } from './clients/connect.js';
import { summarize, type LatencySummary } from '../lib/stats.js';

export class CrossNodeLatencies {
  readonly #nodeByUid = new Map<string, number>();
  readonly #samples: number[] = [];

  constructor(
    clients: readonly BenchClient[],
    readonly nodeCount: number,
  ) {
    clients.forEach((client, i) => this.#nodeByUid.set(client.uid, nodeOf(nodeCount, i)));
  }

  /** Records the latency when `from` and `to` are on different nodes. */
  record(from: string, to: string, latencyMs: number): void {
    if (this.nodeCount > 1 && this.#nodeByUid.get(from) !== this.#nodeByUid.get(to)) this.#samples.push(latencyMs);
  }

  summary(): LatencySummary | undefined {
    return this.nodeCount > 1 ? summarize(this.#samples) : undefined;
  }
}

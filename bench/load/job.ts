// The driver ↔ generator contract: one Job line in on stdin, one Result line out on stdout.
import type { TargetKind } from './clients/bench-client.js';
import type { LatencySummary } from '../lib/stats.js';
import type { DrainOutcome } from './timing.js';

export type ScenarioKind = 'one-to-one' | 'channel';

export interface Job {
  target: TargetKind;
  /** One per node; users are assigned round-robin (bench/load/clients/connect.ts). */
  urls: string[];
  scenario: ScenarioKind;
  /** Prefix for uids, channel names and cmids, so runs against one server never collide. */
  runId: string;
  /** one-to-one: connected clients (pairs of two) and sends in flight per client. */
  clients: number;
  window: number;
  /** channel: members (every one joined and reading) and messages sent into it per second. */
  members: number;
  inboundPerSecond: number;
  /** Measured time; a warm-up before it is not counted. */
  durationMs: number;
  warmupMs: number;
  /** After the measured time no new sends; in-flight ones get at most this long to arrive. */
  drainMs: number;
}

export interface Result {
  target: TargetKind;
  scenario: ScenarioKind;
  /** Over the whole run (warm-up included), for the loss check. */
  sent: number;
  acked: number;
  refused: number;
  delivered: number;
  expectedDeliveries: number;
  firstError?: string;
  /** Deliveries of a message the receiver already had (not counted in `delivered`). */
  duplicates: number;
  firstDuplicate?: string;
  drain: DrainOutcome;
  /** Over the measured time only. */
  ackedPerSecond: number;
  deliveriesPerSecond: number;
  ack: LatencySummary;
  delivery: LatencySummary;
  /** The deliveries whose sender and receiver are on different nodes (only with several URLs). */
  crossNodeDelivery?: LatencySummary;
}

// Issue 11's goals, checked against the figures and reported — never asserted: a slow machine must
// not fail a build. Throughput ratios compare the scenario's headline figure (acked msgs/s for 1:1,
// deliveries/s for the channel).
import type { TargetKind } from '../load/clients/bench-client.js';
import type { Result, ScenarioKind } from '../load/job.js';

export interface GoalLine {
  goal: string;
  measured: string;
  met: boolean | undefined; // undefined: not measured in this run
}

export const LATENCY_GOAL_MS = 10;
export const ONE_TO_ONE_GOAL_PER_SECOND = 20_000;
export const WS_RATIO_GOAL = 0.7;
export const SOCKETIO_RATIO_GOAL = 1.5;

export type ResultsByTarget = Partial<Record<TargetKind, Partial<Record<ScenarioKind, Result>>>>;

export function headline(result: Result): number {
  return result.scenario === 'one-to-one' ? result.ackedPerSecond : result.deliveriesPerSecond;
}

/** `ours` / `peer` of the scenario's headline figure; `ours` defaults to the SQLite target (`npm start`). */
export function ratio(results: ResultsByTarget, scenario: ScenarioKind, peer: TargetKind, oursKind: TargetKind = 'rtm-chat'): number | undefined {
  const ours = results[oursKind]?.[scenario];
  const theirs = results[peer]?.[scenario];
  if (!ours || !theirs || headline(theirs) === 0) return undefined;
  return headline(ours) / headline(theirs);
}

/** Scale-out: two nodes over one, both on PostgreSQL + Redis, so only the node count differs. */
export function scaleOut(results: ResultsByTarget, scenario: ScenarioKind): number | undefined {
  return ratio(results, scenario, 'rtm-chat-pg', 'rtm-chat-2-nodes');
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function evaluateGoals(results: ResultsByTarget, channelTargetDeliveries: number, inboundPerSecond: number, members: number): GoalLine[] {
  const lines: GoalLine[] = [];
  const one = results['rtm-chat']?.['one-to-one'];
  lines.push({
    goal: `1:1: ≥${ONE_TO_ONE_GOAL_PER_SECOND.toLocaleString('en')} msgs/s acked, ack and e2e p99 ≤ ${LATENCY_GOAL_MS} ms`,
    measured: one ? `${Math.round(one.ackedPerSecond).toLocaleString('en')} msgs/s, ack p99 ${ms(one.ack.p99)}, e2e p99 ${ms(one.delivery.p99)}` : '—',
    met: one && one.ackedPerSecond >= ONE_TO_ONE_GOAL_PER_SECOND && one.ack.p99 <= LATENCY_GOAL_MS && one.delivery.p99 <= LATENCY_GOAL_MS,
  });
  const channel = results['rtm-chat']?.channel;
  // "Keeps up" allows 1% for the edges of the measured window.
  lines.push({
    goal: `channel: ${members} members at ${inboundPerSecond} msgs/s in (${channelTargetDeliveries.toLocaleString('en')} deliveries/s), delivery p99 ≤ ${LATENCY_GOAL_MS} ms`,
    measured: channel ? `${Math.round(channel.deliveriesPerSecond).toLocaleString('en')} deliveries/s, p99 ${ms(channel.delivery.p99)}` : '—',
    met: channel && channel.deliveriesPerSecond >= 0.99 * channelTargetDeliveries && channel.delivery.p99 <= LATENCY_GOAL_MS,
  });
  // The goals are judged on the SQLite target (`npm start`); the 2-node cluster's ratios follow
  // for comparison, when it ran.
  const ours: Array<[TargetKind, string]> = [['rtm-chat', 'ours']];
  if (results['rtm-chat-2-nodes']) ours.push(['rtm-chat-2-nodes', 'ours ×2 nodes']);
  for (const [oursKind, oursName] of ours) {
    for (const [peer, goal, name] of [
      ['ws-router', WS_RATIO_GOAL, 'plain ws'],
      ['socketio', SOCKETIO_RATIO_GOAL, 'Socket.IO'],
    ] as const) {
      for (const scenario of ['one-to-one', 'channel'] as const) {
        const value = ratio(results, scenario, peer, oursKind);
        lines.push({
          goal: `${oursName} / ${name} ≥ ${goal} (${scenario === 'one-to-one' ? '1:1 acked msgs/s' : 'channel deliveries/s'})`,
          measured: value === undefined ? '—' : value.toFixed(2),
          met: value === undefined ? undefined : value >= goal,
        });
      }
    }
  }
  return lines;
}

// The printed report: one table per scenario (a row per target, then the ratios), then the goals.
import type { TargetKind } from '../load/clients/bench-client.js';
import type { Result } from '../load/job.js';
import { TARGET_LABELS } from '../lib/targets.js';
import { evaluateGoals, ratio, scaleOut, type ResultsByTarget } from './goals.js';

const num = (value: number, width: number) => Math.round(value).toLocaleString('en').padStart(width);
const msCell = (value: number) => value.toFixed(2).padStart(8);

function lossCell(result: Result): string {
  const unacked = result.sent - result.acked - result.refused;
  const missing = result.expectedDeliveries - result.delivered;
  // Missing after a stalled drain is lost; after the drain cap it is still on its way.
  const word = result.drain === 'stalled' ? 'LOST' : 'late';
  const notes = [
    unacked > 0 ? `${unacked} unacked (${word})` : '',
    missing > 0 ? `${missing} undelivered (${word})` : '',
    result.refused ? `${result.refused} REFUSED` : '',
    result.duplicates ? `${result.duplicates} DUPLICATES` : '',
  ].filter(Boolean);
  return `${result.sent}/${result.acked}/${result.delivered}${notes.length ? ` ${notes.join(', ')}` : ''}`;
}

/** ours / each peer, for the SQLite target (`npm start`) and for the 2-node cluster. */
function ratioLines(results: ResultsByTarget, scenario: 'one-to-one' | 'channel'): string[] {
  const lines: string[] = [];
  for (const [ours, oursName] of [
    ['rtm-chat', 'ours'],
    ['rtm-chat-2-nodes', 'ours ×2 nodes'],
  ] as const) {
    for (const [peer, name] of [
      ['ws-router', 'plain ws'],
      ['socketio', 'Socket.IO'],
    ] as const) {
      const value = ratio(results, scenario, peer, ours);
      if (value !== undefined) lines.push(`  ${`${oursName} / ${name}`.padEnd(26)} ${value.toFixed(2)}`);
    }
  }
  const scale = scaleOut(results, scenario);
  if (scale !== undefined) {
    const figure = scenario === 'one-to-one' ? '1:1 acked msgs/s' : 'channel deliveries/s';
    lines.push(`  scale-out: 2 nodes / 1 node (PostgreSQL+Redis) = ${scale.toFixed(2)} (${figure})`);
  }
  return lines;
}

/** The cross-node share of the 2-node target's deliveries, measured apart from the local ones. */
function crossNodeLine(results: ResultsByTarget, scenario: 'one-to-one' | 'channel'): string[] {
  const cross = results['rtm-chat-2-nodes']?.[scenario]?.crossNodeDelivery;
  if (!cross) return [];
  const which = scenario === 'one-to-one' ? 'e2e, every pair split over the two nodes' : 'delivery to the members on the other node than the sender';
  return [`  cross-node latency (${TARGET_LABELS['rtm-chat-2-nodes']}, ${which}): p50 ${cross.p50.toFixed(2)} ms, p99 ${cross.p99.toFixed(2)} ms (${cross.count.toLocaleString('en')} samples)`];
}

export interface ReportSettings {
  targets: TargetKind[];
  clients: number;
  window: number;
  members: number;
  inboundPerSecond: number;
}

export function formatReport(results: ResultsByTarget, settings: ReportSettings): string[] {
  const lines: string[] = [];
  const rows = (scenario: 'one-to-one' | 'channel') =>
    settings.targets.flatMap((kind) => {
      const result = results[kind]?.[scenario];
      return result ? [[TARGET_LABELS[kind], result] as const] : [];
    });

  const oneToOne = rows('one-to-one');
  if (oneToOne.length) {
    lines.push('', `(a) 1:1 routing: ${settings.clients} clients in ${settings.clients / 2} pairs, ${settings.window} send(s) in flight per client (saturation)`);
    lines.push(`${'target'.padEnd(12)} ${'acked msg/s'.padStart(11)} ${'ack p50'.padStart(8)} ${'ack p99'.padStart(8)} ${'e2e p50'.padStart(8)} ${'e2e p99'.padStart(8)}   sent/acked/delivered`);
    for (const [label, r] of oneToOne) {
      // With two nodes every pair is split, so this row's e2e columns are all cross-node.
      const note = r.crossNodeDelivery ? '   (e2e = cross-node)' : '';
      lines.push(`${label.padEnd(12)} ${num(r.ackedPerSecond, 11)} ${msCell(r.ack.p50)} ${msCell(r.ack.p99)} ${msCell(r.delivery.p50)} ${msCell(r.delivery.p99)}   ${lossCell(r)}${note}`);
    }
    lines.push(...crossNodeLine(results, 'one-to-one'), ...ratioLines(results, 'one-to-one'));
  }

  const channel = rows('channel');
  const targetDeliveries = settings.inboundPerSecond * (settings.members - 1);
  if (channel.length) {
    lines.push('', `(b) channel: ${settings.members} members, ${settings.inboundPerSecond} msgs/s in → ${targetDeliveries.toLocaleString('en')} deliveries/s wanted (open loop)`);
    lines.push(`${'target'.padEnd(12)} ${'in msg/s'.padStart(9)} ${'deliveries/s'.padStart(12)} ${'dlv p50'.padStart(8)} ${'dlv p99'.padStart(8)} ${'ack p99'.padStart(8)}   sent/acked/delivered`);
    for (const [label, r] of channel) {
      lines.push(`${label.padEnd(12)} ${num(r.ackedPerSecond, 9)} ${num(r.deliveriesPerSecond, 12)} ${msCell(r.delivery.p50)} ${msCell(r.delivery.p99)} ${msCell(r.ack.p99)}   ${lossCell(r)}`);
    }
    lines.push(...crossNodeLine(results, 'channel'), ...ratioLines(results, 'channel'));
  }

  lines.push('', "issue 11's goals (reported, not asserted):");
  for (const goal of evaluateGoals(results, targetDeliveries, settings.inboundPerSecond, settings.members)) {
    const verdict = goal.met === undefined ? 'not measured' : goal.met ? 'met' : 'NOT met';
    lines.push(`  ${goal.goal.padEnd(78)} ${goal.measured.padEnd(44)} ${verdict}`);
  }
  return lines;
}

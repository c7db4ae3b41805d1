// `npm run bench` (issue 11): rtm-chat against the servers a user would pick instead — a plain
// `ws` router and Socket.IO 4 — in one run, with one load generator (bench/load-generator.ts, a
// process of its own) and the same scenarios for all. Each target runs in its own child process;
// the generator gets a fresh process per scenario. See docs/bench.md for how to read the output.
//
// Exit code: non-zero when a target fails to run or a message is lost or refused; never because a
// figure misses a goal.
import { availableParallelism, loadavg } from 'node:os';
import { spawnJsonLineChild } from './lib/child-process.js';
import { clientsAllowedBy, openFileLimit } from './lib/fd-limit.js';
import { findServices } from './lib/services.js';
import { ALL_TARGETS, CLUSTER_NODES, startTarget, TARGET_LABELS, type ClusterServices } from './lib/targets.js';
import type { TargetKind } from './load/clients/bench-client.js';
import type { Job, Result, ScenarioKind } from './load/job.js';
import type { ResultsByTarget } from './report/goals.js';
import { formatReport } from './report/table.js';

const envNumber = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${process.env[name]}".`);
  return value;
};
const envList = <T extends string>(name: string, all: readonly T[]): T[] => {
  const wanted = (process.env[name] ?? all.join(',')).split(',').map((s) => s.trim()) as T[];
  const unknown = wanted.filter((item) => !all.includes(item));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')} (known: ${all.join(', ')}).`);
  return wanted;
};

const requestedTargets = envList<TargetKind>('BENCH_TARGETS', ALL_TARGETS);
const scenarios = envList<ScenarioKind>('BENCH_SCENARIOS', ['one-to-one', 'channel']);
const requestedClients = Math.floor(envNumber('BENCH_CLIENTS', 1000) / 2) * 2;
const fdLimit = openFileLimit();
const clients = Math.min(requestedClients, clientsAllowedBy(fdLimit));
const members = Math.min(envNumber('BENCH_CHANNEL_MEMBERS', 200), clientsAllowedBy(fdLimit));
const settings = {
  clients,
  window: envNumber('BENCH_WINDOW', 1),
  members,
  inboundPerSecond: envNumber('BENCH_CHANNEL_RATE', 500),
  durationMs: envNumber('BENCH_DURATION_MS', 10_000),
  warmupMs: envNumber('BENCH_WARMUP_MS', 2_000),
  drainMs: envNumber('BENCH_DRAIN_MS', 60_000),
};

console.log('bench: rtm-chat (1 node, 2 nodes) vs plain ws vs Socket.IO 4 (issue 11), loopback, one load-generator process');
console.log(
  `  ${availableParallelism()} CPUs shared by the generator and the server(s) under test (both nodes of rtm-chat ×2, PostgreSQL and Redis too); ${settings.durationMs / 1000} s measured after ${settings.warmupMs / 1000} s warm-up per scenario`,
);
const [load] = loadavg();
if (load! > availableParallelism() / 2) {
  console.log(`  load average ${load!.toFixed(1)} before starting: other work shares these CPUs, so absolute figures are low and noisy (ratios less so)`);
}
console.log('  rtm-chat runs as `npm start` does (SQLite, synchronous=FULL, ack after commit) with RTM_WS_RATE_LIMIT=0 set');
console.log('  for the bench instances only (every rtm-chat target): the production per-connection limits (60 sends/s) stay the default.');
// PostgreSQL + Redis only when a requested target needs them; when they cannot be had, those
// targets are skipped with one line, and the rest of the run goes on.
let services: ClusterServices | undefined;
let targets = requestedTargets;
const clusterTargets = requestedTargets.filter((kind) => CLUSTER_NODES[kind] > 0);
if (clusterTargets.length) {
  const found = await findServices();
  if ('skip' in found) {
    targets = requestedTargets.filter((kind) => CLUSTER_NODES[kind] === 0);
    console.log(`  SKIPPED ${clusterTargets.map((kind) => TARGET_LABELS[kind]).join(', ')} (need PostgreSQL + Redis): ${found.skip}`);
  } else {
    services = found;
    const where = process.env.RTM_BENCH_DATABASE_URL ? 'RTM_BENCH_DATABASE_URL / RTM_BENCH_REDIS_URL' : 'scripts/local-services.sh (PostgreSQL with fsync=off)';
    console.log(`  ${clusterTargets.map((kind) => TARGET_LABELS[kind]).join(', ')}: a fresh database per target on the PostgreSQL + Redis of ${where};`);
    console.log('  with 2 nodes, users alternate between them: every 1:1 message crosses nodes, and in the channel the deliveries to the half of the members on the other node do.');
  }
}
if (clients < requestedClients || members < envNumber('BENCH_CHANNEL_MEMBERS', 200)) {
  console.log(`  ulimit -n is ${fdLimit}: clients lowered to ${clients} (asked ${requestedClients}), channel members to ${members}. Raise it with \`ulimit -n 4096\`.`);
} else {
  console.log(`  ulimit -n ${fdLimit} allows the ${clients} clients asked for.`);
}

async function runGenerator(job: Job): Promise<Result> {
  const generator = spawnJsonLineChild('load-generator.ts');
  try {
    generator.send(job);
    return await generator.nextLine<Result>();
  } finally {
    await generator.stop();
  }
}

const results: ResultsByTarget = {};
const failures: string[] = [];
const warnings: string[] = [];

/** Lost, refused or duplicated messages: the run fails (a figure that misses a goal never does). */
function lossesOf(result: Result, label: string): string[] {
  const problems: string[] = [];
  const unacked = result.sent - result.acked - result.refused;
  const missing = result.expectedDeliveries - result.delivered;
  if (result.drain === 'stalled' && unacked > 0) problems.push(`${label} ${result.scenario}: ${unacked} sends never acked (the target stopped answering)`);
  if (result.drain === 'stalled' && missing > 0) problems.push(`${label} ${result.scenario}: ${missing} of ${result.expectedDeliveries} deliveries lost`);
  // Only once every send is acked: before that a delivery can come in ahead of its ack (another
  // socket), so more deliveries than acked × receivers is not yet a duplicate.
  if (result.drain === 'complete' && missing < 0) problems.push(`${label} ${result.scenario}: ${-missing} deliveries more than sent (duplicates)`);
  if (result.duplicates > 0) problems.push(`${label} ${result.scenario}: ${result.duplicates} duplicate deliveries (a receiver got a message it had), first: ${result.firstDuplicate}`);
  if (result.refused > 0) problems.push(`${label} ${result.scenario}: ${result.refused} sends refused, first: ${result.firstError}`);
  return problems;
}

/** Still catching up when the drain cap came: behind, not lost — a figure, not a failure. */
function backlogOf(result: Result, label: string, drainMs: number): string[] {
  if (result.drain !== 'still-catching-up') return [];
  const unacked = result.sent - result.acked - result.refused;
  const pending = Math.max(0, result.expectedDeliveries - result.delivered);
  return [`${label} ${result.scenario}: still catching up ${drainMs / 1000} s after the sends stopped (${unacked} unacked, ${pending} deliveries pending); raise BENCH_DRAIN_MS to see them through`];
}
let runNumber = 0;
for (const kind of targets) {
  let target;
  try {
    target = await startTarget(kind, `${Date.now().toString(36)}_${process.pid}_${kind}`, services);
  } catch (error) {
    failures.push(`${kind} did not start: ${String(error)}`);
    continue;
  }
  try {
    for (const scenario of scenarios) {
      const runId = `b${process.pid}r${runNumber++}`;
      process.stdout.write(`  running ${scenario} against ${target.label}…`);
      try {
        const result = await runGenerator({ ...settings, target: kind, urls: target.urls, scenario, runId });
        (results[kind] ??= {})[scenario] = result;
        failures.push(...lossesOf(result, target.label));
        warnings.push(...backlogOf(result, target.label, settings.drainMs));
        console.log(' done');
      } catch (error) {
        console.log(' failed');
        failures.push(`${target.label} ${scenario}: ${String(error)}`);
      }
    }
  } finally {
    await target.stop();
  }
}

for (const line of formatReport(results, { ...settings, targets })) console.log(line);
// Other work during the run (the CPUs are shared) explains a figure better than the load before it.
console.log(`\nload average at the end (1/5/15 min): ${loadavg().map((value) => value.toFixed(1)).join(' / ')} on ${availableParallelism()} CPUs`);
if (warnings.length) {
  console.log('', 'behind (not counted as lost):');
  for (const warning of warnings) console.log(`  ${warning}`);
}
if (failures.length) {
  console.log('', 'FAILED:');
  for (const failure of failures) console.log(`  ${failure}`);
  process.exitCode = 1;
}

// Scenario (b): one channel, every member joined and reading, messages sent into it at a fixed
// rate (open loop: the schedule does not wait for the target, so a target that falls behind shows
// it as latency, as it would to its users). Senders take turns, so no connection carries it all.
import { performance } from 'node:perf_hooks';
import type { BenchClient } from '../clients/bench-client.js';
import type { Job, Result } from '../job.js';
import { RunTally } from '../tally.js';
import { drain, sentAtOf, sleep, stampedMessage } from '../timing.js';

const TICK_MS = 5;

export async function runChannel(job: Job, clients: BenchClient[]): Promise<Result> {
  const channel = `${job.runId}-room`;
  for (const client of clients) await client.join(channel);

  const tally = new RunTally(job, clients);
  const sendOne = (client: BenchClient) => {
    const message = stampedMessage();
    const sentAt = sentAtOf(message);
    tally.sent++;
    client.sendChannel(channel, `${client.uid}-${tally.sent}`, message).then(
      () => tally.ack(sentAt),
      (error: unknown) => tally.refuse(error),
    );
  };

  // Catch-up schedule: each tick sends what the rate says should have gone by now, so a late
  // timer (a busy generator) sends a burst rather than silently lowering the rate.
  while (performance.now() < tally.window.to) {
    const due = Math.floor(((performance.now() - tally.start) / 1000) * job.inboundPerSecond);
    while (tally.sent < due) sendOne(clients[tally.sent % clients.length]!);
    await sleep(TICK_MS);
  }
  const others = clients.length - 1;
  const drained = await drain(
    () => tally.acked + tally.refused >= tally.sent && tally.delivered >= tally.acked * others,
    () => tally.acked + tally.refused + tally.delivered,
    job.drainMs,
  );
  return tally.result(tally.acked * others, drained);
}

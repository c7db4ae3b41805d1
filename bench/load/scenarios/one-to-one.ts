// Scenario (a): 1:1 routing at saturation. Clients pair up (0↔1, 2↔3, …); each keeps `window`
// peer sends to its partner in flight and sends the next one the moment one is acked (closed loop),
// so the figure is what the target sustains, and the latencies are the ones it has while doing it.
import { performance } from 'node:perf_hooks';
import type { BenchClient } from '../clients/bench-client.js';
import type { Job, Result } from '../job.js';
import { RunTally } from '../tally.js';
import { drain, sentAtOf, sleep, stampedMessage } from '../timing.js';

export async function runOneToOne(job: Job, clients: BenchClient[]): Promise<Result> {
  const tally = new RunTally(job, clients);
  let sending = true;

  // One counter per sender, shared by its `window` loops: cmids must be unique (rtm-chat takes a
  // repeated cmid as a resend), and the ledger reads the number as the message's index.
  const nextNumber = new Map<BenchClient, number>();
  const loop = async (client: BenchClient, partner: BenchClient) => {
    while (sending) {
      const n = nextNumber.get(client) ?? 0;
      nextNumber.set(client, n + 1);
      const message = stampedMessage();
      const sentAt = sentAtOf(message);
      tally.sent++;
      try {
        await client.sendPeer(partner.uid, `${client.uid}-${n}`, message);
      } catch (error) {
        tally.refuse(error);
        return; // a refused send usually means a dead socket: this loop stops, the count shows it
      }
      tally.ack(sentAt);
    }
  };

  const loops: Promise<void>[] = [];
  for (let i = 0; i + 1 < clients.length; i += 2) {
    const [a, b] = [clients[i]!, clients[i + 1]!];
    for (let w = 0; w < job.window; w++) loops.push(loop(a, b), loop(b, a));
  }
  await sleep(tally.window.to - performance.now());
  sending = false;
  const drained = await drain(
    () => tally.acked + tally.refused >= tally.sent && tally.delivered >= tally.acked,
    () => tally.acked + tally.refused + tally.delivered,
    job.drainMs,
  );
  return tally.result(tally.acked, drained);
}

// The load generator, a process of its own (spawned by bench/peers.bench.ts) so it never shares an
// event loop with the server it measures. It reads one Job as a JSON line on stdin, connects the
// users, runs the scenario and prints one Result as a JSON line on stdout. The same code drives
// every target; only the client adapter (bench/load/clients/) differs.
import { createInterface } from 'node:readline';
import { connectAll } from './load/clients/connect.js';
import type { Job, Result } from './load/job.js';
import { runChannel } from './load/scenarios/channel.js';
import { runOneToOne } from './load/scenarios/one-to-one.js';

const input = createInterface({ input: process.stdin });
const job = JSON.parse(await new Promise<string>((resolve) => input.once('line', resolve))) as Job;
input.close();

const count = job.scenario === 'one-to-one' ? job.clients : job.members;
const uids = Array.from({ length: count }, (_, i) => `${job.runId}-u${i}`);
const clients = await connectAll(job.target, job.urls, uids);
const result: Result = job.scenario === 'one-to-one' ? await runOneToOne(job, clients) : await runChannel(job, clients);
process.stdout.write(`${JSON.stringify(result)}\n`);
for (const client of clients) client.close();
// Closing handshakes of a thousand sockets are not part of the measurement.
setTimeout(() => process.exit(0), 200);

import cluster, { type Worker } from 'node:cluster';
import { WORKER_RESPAWN_DELAY_MS, WORKER_STOP_TIMEOUT_MS } from '../../protocol/index.js';
import { READY_MESSAGE, SHUTDOWN_MESSAGE } from './worker.js';

/**
 * The primary of `RTM_WORKERS=N`: forks N workers that share the listening port through
 * node:cluster (the primary accepts and hands connections round-robin; no proxy of our own),
 * replaces a worker that dies, and stops them all on SIGTERM/SIGINT. It serves nothing itself.
 *
 * No sticky sessions are needed: a WebSocket stays on the worker that accepted it, and everything a
 * request or a socket needs from the others goes through PostgreSQL, Redis and the media directory.
 */
export function superviseWorkers(count: number): Promise<never> {
  return new Promise((_resolve, reject) => {
    /** Workers that got ready at least once: a death after that is a crash to repair, not a bad start. */
    const listened = new WeakSet<Worker>();
    /** Our own count: cluster.workers drops a dead worker only once its IPC channel closed too. */
    const alive = new Set<Worker>();
    let announced = false;
    let stopping = false;

    const fork = () => alive.add(cluster.fork());

    let port: number | undefined;
    cluster.on('listening', (_worker, address) => {
      port = address.port;
    });
    cluster.on('message', (worker, message) => {
      if (message !== READY_MESSAGE) return;
      listened.add(worker);
      if (announced || [...alive].filter((w) => listened.has(w)).length < count) return;
      announced = true;
      // Tests and scripts wait for exactly this line (as for one process): it comes once all are ready.
      console.log(`rtm-chat server listening on http://localhost:${port}`);
    });

    cluster.on('exit', (worker, code, signal) => {
      alive.delete(worker);
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      if (stopping) {
        if (alive.size === 0) process.exit(0);
        return;
      }
      if (!announced && !listened.has(worker)) {
        // A first start that fails (bad URL, database down) fails the same in every worker: say so once.
        stopAll();
        reject(new Error(`worker ${worker.id} (pid ${worker.process.pid}) stopped before listening (${how}); see its error above.`));
        return;
      }
      const delay = listened.has(worker) ? 0 : WORKER_RESPAWN_DELAY_MS;
      console.error(`rtm-chat-server: worker ${worker.id} (pid ${worker.process.pid}) died (${how}); starting a replacement`);
      setTimeout(() => {
        if (!stopping) fork();
      }, delay);
    });

    const stopAll = () => {
      stopping = true;
      for (const worker of alive) {
        // A message, not a signal: workers leave Ctrl-C's SIGINT (sent to the whole process group)
        // to us, and a SIGTERM on top of another one would make a worker exit at once.
        if (worker.isConnected()) worker.send(SHUTDOWN_MESSAGE);
      }
      setTimeout(() => {
        for (const worker of alive) worker.process.kill('SIGKILL');
      }, WORKER_STOP_TIMEOUT_MS).unref();
    };

    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        for (const worker of alive) worker.process.kill('SIGKILL');
        process.exit(1); // a second signal means "now"
      }
      console.log(`${signal}: stopping ${alive.size} workers…`);
      stopAll();
      if (alive.size === 0) process.exit(0);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);

    for (let i = 0; i < count; i++) fork();
  });
}

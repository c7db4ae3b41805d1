import cluster from 'node:cluster';

/** What the primary sends a worker to make it close gracefully (see primary.ts). */
export const SHUTDOWN_MESSAGE = 'rtm-chat:shutdown';

/** What a worker sends the primary once it listens and has printed what it had to print. */
export const READY_MESSAGE = 'rtm-chat:ready';

/**
 * In a worker: tells the primary it is serving. Sent after the worker's own output (stdout is a
 * synchronous write on Linux pipes), so the primary's "listening" line really comes last.
 */
export function announceReady(): void {
  if (cluster.isWorker) process.send?.(READY_MESSAGE);
}

/** `worker 2 (pid 1234) ` inside a worker of RTM_WORKERS, '' in a process of its own. */
export function workerLabel(): string {
  return cluster.isWorker && cluster.worker ? `worker ${cluster.worker.id} (pid ${process.pid}) ` : '';
}

/**
 * In a worker: calls `stop` when the primary asks (SIGTERM/SIGINT on the primary), or when the
 * primary is gone (its IPC channel closed: killed, crashed) — a worker without its primary gets no
 * connections and no replacement, so it closes rather than lingering. No-op outside a worker.
 * Listen early (before the server is up): a stop asked for during start-up is then not lost.
 */
export function followPrimary(stop: () => void): void {
  if (!cluster.isWorker) return;
  // Ctrl-C sends SIGINT to the whole process group, primary and workers at once. The primary
  // decides (it asks every worker to close, and a second Ctrl-C kills them); a worker acting on
  // its own would die mid-start or look like a crash to replace. SIGTERM still stops one worker
  // gracefully (and the primary starts a replacement).
  process.on('SIGINT', () => {});
  process.on('message', (message) => {
    if (message === SHUTDOWN_MESSAGE) stop();
  });
  process.on('disconnect', stop);
}

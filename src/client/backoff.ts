/**
 * Reconnect delays: exponential backoff with "full jitter" (delay = random(0, cap), the cap doubling
 * per attempt up to a maximum), so that many clients dropped by one server restart do not come back
 * in lockstep.
 */

/** Backoff settings; the defaults come from the protocol limits. */
export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** A random number in [0, 1); injectable for tests. */
  random?: () => number;
}

/** The delay before reconnect attempt `attempt` (0 for the first). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  // Clamp the exponent: 2 ** 1100 is Infinity, and Infinity * 0 would be NaN.
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor((options.random ?? Math.random)() * cap);
}

/**
 * Waits `ms` before a retry, or less: it resolves early when the browser says it is back online,
 * and when `signal` aborts (the caller looks at the signal).
 */
export function retryPause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      globalThis.removeEventListener?.('online', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    globalThis.addEventListener?.('online', done);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done, { once: true });
  });
}

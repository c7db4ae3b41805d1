// Send times travel inside the message text: the generator is one process, so its own monotonic
// clock timestamps both ends, and no per-message map is needed to find when a delivery was sent.
import { performance } from 'node:perf_hooks';
import type { WireMessage } from './clients/bench-client.js';

// Some bytes besides the stamp, about the size of a short chat line.
const FILLER = ' the quick brown fox jumps over the lazy dog';

export function stampedMessage(): WireMessage {
  return { type: 'TEXT', text: `${performance.now().toFixed(3)}${FILLER}` };
}

export function sentAtOf(message: WireMessage): number {
  return Number.parseFloat(message.text);
}

/** Which samples count: only those completed inside [from, to) of the run's clock. */
export class MeasuredWindow {
  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  contains(at: number): boolean {
    return at >= this.from && at < this.to;
  }

  get seconds(): number {
    return (this.to - this.from) / 1000;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How the drain after the measured time ended: everything arrived; nothing moved for STALL_MS (what
 * is missing is lost); or the cap came while the target was still catching up (behind, not lost).
 */
export type DrainOutcome = 'complete' | 'stalled' | 'still-catching-up';

const STALL_MS = 5_000;

/** Waits until `done()` holds, as long as `progress()` keeps growing, at most `capMs`. */
export async function drain(done: () => boolean, progress: () => number, capMs: number): Promise<DrainOutcome> {
  const deadline = performance.now() + capMs;
  let last = progress();
  let lastMoved = performance.now();
  while (!done()) {
    const now = performance.now();
    if (now >= deadline) return 'still-catching-up';
    if (progress() !== last) {
      last = progress();
      lastMoved = now;
    } else if (now - lastMoved >= STALL_MS) return 'stalled';
    await sleep(20);
  }
  return 'complete';
}

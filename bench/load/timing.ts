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

/** Waits until `done()` holds, checking every 20 ms, at most `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await sleep(20);
}

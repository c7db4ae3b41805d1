import { backoffDelay, retryPause } from '../../client/index.js';
import { RECONNECT_BASE_DELAY_MS, RECONNECT_GIVE_UP_MS, RECONNECT_MAX_DELAY_MS, RtmError } from '../../protocol/index.js';

/**
 * Asks the page's token provider for a token, and keeps asking with the reconnect backoff while it
 * fails — typically the network or the page's backend is down when the page loads — so the session
 * comes up by itself once it can. An {@link RtmError} from the provider is final (the provider says
 * no), and so is failing for longer than RECONNECT_GIVE_UP_MS. `cancel()` ends the waiting (stop).
 */
export class TokenRetry {
  readonly #stopped = new AbortController();

  constructor(
    private readonly provider: () => Promise<string>,
    /** Called before each wait, so the session can say it is reconnecting. */
    private readonly onRetry: (error: unknown) => void,
  ) {}

  async fetch(): Promise<string> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.provider();
      } catch (error) {
        if (error instanceof RtmError || this.#stopped.signal.aborted || Date.now() - started >= RECONNECT_GIVE_UP_MS) throw error;
        this.onRetry(error);
        await retryPause(backoffDelay(attempt, { baseDelayMs: RECONNECT_BASE_DELAY_MS, maxDelayMs: RECONNECT_MAX_DELAY_MS }), this.#stopped.signal);
        if (this.#stopped.signal.aborted) throw new RtmError('CANCELLED', 'The session was stopped.');
      }
    }
  }

  cancel(): void {
    this.#stopped.abort();
  }
}

import { CloseCodes, RtmError, TOKEN_WILL_EXPIRE_MS } from '../../protocol/index.js';
import type { Connection } from './connection.js';

/** setTimeout's longest delay; a later moment is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The token lifetime of one logged-in connection: `token.will_expire` TOKEN_WILL_EXPIRE_MS before
 * the token's `exp` (at once when less is left), then an error and close TOKEN_EXPIRED at `exp`,
 * unless `renew` moved the expiry on.
 */
export class TokenExpiry {
  #expiresAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #warned = false;

  constructor(
    private readonly conn: Connection,
    private readonly now: () => number,
  ) {}

  get expiresAt(): number {
    return this.#expiresAt;
  }

  /** Starts (or, after a renewal, restarts) the clock for a token expiring at `expiresAt` ms. */
  set(expiresAt: number): void {
    this.#expiresAt = expiresAt;
    this.#warned = false;
    this.#schedule();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.stop();
    const left = this.#expiresAt - this.now();
    if (left <= 0) {
      this.conn.replyError(undefined, new RtmError('TOKEN_EXPIRED', 'The login token expired; log in again with a new token.'));
      this.conn.close(CloseCodes.TOKEN_EXPIRED, 'TOKEN_EXPIRED');
      return;
    }
    if (!this.#warned && left <= TOKEN_WILL_EXPIRE_MS) {
      this.#warned = true;
      this.conn.send({ t: 'token.will_expire', tokenExpiresAt: this.#expiresAt });
    }
    const next = this.#warned ? left : left - TOKEN_WILL_EXPIRE_MS;
    this.#timer = setTimeout(() => this.#schedule(), Math.min(next, MAX_TIMER_MS));
    this.#timer.unref();
  }
}

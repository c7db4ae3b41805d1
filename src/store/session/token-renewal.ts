import { TOKEN_RENEW_MIN_INTERVAL_MS } from '../../protocol/index.js';
import type { SessionContext } from './context.js';
import { TokenRetry } from './token-retry.js';

/**
 * Renewing the token before it expires: when the client warns (or the token expired), asks the
 * page's tokenProvider for a new one, retrying while it fails, and hands it to the client, which
 * renews the live connection (or reconnects with it). While the token is still valid, renewals
 * are at least TOKEN_RENEW_MIN_INTERVAL_MS apart, so a provider handing out very short tokens does
 * not make it loop. Without a provider the session ends when the token expires (TOKEN_EXPIRED).
 */
export class TokenRenewal {
  readonly #session: SessionContext;
  /** The token request of a renewal in progress. */
  #renewal: TokenRetry | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last renewal ended (Date.now()). */
  #renewedAt = 0;
  /** A warning came during a renewal: the new token expires soon too. */
  #again = false;

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** The client's token events, for its listeners. */
  readonly listeners = {
    TokenPrivilegeWillExpire: (): void => this.#renew(false),
    TokenExpired: (): void => this.#renew(true),
  };

  /** The session stopped: no renewal goes on. */
  cancel(): void {
    this.#renewal?.cancel();
    clearTimeout(this.#timer);
  }

  #renew(expired: boolean): void {
    const session = this.#session;
    const provider = session.options.tokenProvider;
    if (!provider) return;
    if (this.#renewal) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    const wait = expired ? 0 : this.#renewedAt + TOKEN_RENEW_MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => this.#renew(false), wait);
      return;
    }
    const renewal = new TokenRetry(provider, () => {});
    this.#renewal = renewal;
    renewal
      .fetch()
      .then((token) => session.client?.renewToken(token))
      .catch((error: unknown) => session.active && session.report(error))
      .finally(() => {
        this.#renewedAt = Date.now();
        if (this.#renewal !== renewal) return;
        this.#renewal = undefined;
        if (this.#again && session.active) this.#renew(false);
        this.#again = false;
      });
  }
}

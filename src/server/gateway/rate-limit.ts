import {
  FRAME_BURST,
  FRAMES_PER_SECOND,
  RATE_LIMIT_ABUSE_SECONDS,
  RtmError,
  SEND_BURST,
  SENDS_PER_SECOND,
  type ClientFrameType,
} from '../../protocol/index.js';

/** The per-connection limits (defaults from protocol/limits.ts; a server may raise them). */
export interface ConnectionRateLimits {
  /** Writes (`peer.send`, `channel.send`, edits, retractions, reactions, deletes) per second, steady. */
  sendsPerSecond: number;
  /** Sends a quiet connection may make at once. */
  sendBurst: number;
  /** Frames of any type per second, steady (sends included). */
  framesPerSecond: number;
  /** Frames a quiet connection may send at once. */
  frameBurst: number;
}

export const DEFAULT_CONNECTION_RATE_LIMITS: Readonly<ConnectionRateLimits> = Object.freeze({
  sendsPerSecond: SENDS_PER_SECOND,
  sendBurst: SEND_BURST,
  framesPerSecond: FRAMES_PER_SECOND,
  frameBurst: FRAME_BURST,
});

/**
 * The frames that count as sends: everything that writes what other users see (messages, their
 * changes, attributes, call invitations and their answers).
 */
const SENDS: ReadonlySet<ClientFrameType> = new Set<ClientFrameType>([
  'peer.send',
  'channel.send',
  'message.edit',
  'message.retract',
  'reaction.add',
  'reaction.remove',
  'message.delete',
  'user.attributes.write',
  'channel.attributes.write',
  'command',
  'conversation.delete',
  'invitation.send',
  'invitation.accept',
  'invitation.refuse',
  'invitation.settle',
]);

/**
 * A token bucket: `burst` tokens, refilled continuously at `rate` per second. Times are the
 * server clock in ms (injectable, so tests move it by hand).
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** How long until the next token, in ms (0 when one is there). */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.rate) * 1000);
  }

  #refill(now: number): void {
    // A clock that went backwards refills nothing (and does not drain either).
    const elapsed = Math.max(0, now - this.#at);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed / 1000) * this.rate);
    this.#at = Math.max(this.#at, now);
  }
}

/** What the frame loop does with a frame: handle it, refuse it, or refuse it and close. */
export type RateDecision = { ok: true } | { ok: false; error: RtmError; close: boolean };

const OK: RateDecision = { ok: true };

/** "At least a full second of the limit", with room for the float sum of many 1/rate steps. */
const FULL_SECOND = 1 - 1e-9;

/**
 * One connection's rate limits: a bucket for all frames and a tighter one for sends. A frame
 * over either is refused with TOO_OFTEN (before its handler runs, so nothing is stored).
 *
 * Sustained abuse is measured in one-second windows: each refused frame adds 1/rate of its bucket
 * ("seconds of limit" refused). A window that reaches 1 — the client tried at least twice its
 * limit — is a strike; after {@link RATE_LIMIT_ABUSE_SECONDS} consecutive strikes the decision says
 * close. A quiet window, or one under the mark, clears the count, so a one-off burst (a page
 * resending a full outbox) never closes the connection.
 */
export class ConnectionRateLimiter {
  readonly #frames: TokenBucket;
  readonly #sends: TokenBucket;
  #windowStart = Number.NEGATIVE_INFINITY;
  #excess = 0;
  #strikes = 0;

  constructor(limits: ConnectionRateLimits, now: number) {
    this.#frames = new TokenBucket(limits.framesPerSecond, limits.frameBurst, now);
    this.#sends = new TokenBucket(limits.sendsPerSecond, limits.sendBurst, now);
  }

  /** Counts a frame of type `t` (one that parsed) at `now` and decides. */
  check(t: ClientFrameType, now: number): RateDecision {
    if (!this.#frames.take(now)) {
      return this.#refuse(this.#frames, now, `More than ${this.#frames.rate} frames a second (burst ${this.#frames.burst}) on this connection`);
    }
    if (SENDS.has(t) && !this.#sends.take(now)) {
      return this.#refuse(
        this.#sends,
        now,
        `More than ${this.#sends.rate} messages a second (burst ${this.#sends.burst}) on this connection; the message was not sent`,
      );
    }
    return OK;
  }

  #refuse(bucket: TokenBucket, now: number, what: string): RateDecision {
    const wait = bucket.waitMs(now);
    const error = new RtmError('TOO_OFTEN', `${what}. Retry in ${wait} ms.`);
    return { ok: false, error, close: this.#strike(bucket.rate, now) };
  }

  #strike(rate: number, now: number): boolean {
    const sinceStart = now - this.#windowStart;
    if (sinceStart >= 1000) {
      // The previous window counts only if it was a strike and this one follows it directly.
      const next = sinceStart < 2000;
      this.#strikes = next && this.#excess >= FULL_SECOND ? this.#strikes + 1 : 0;
      this.#windowStart = next ? this.#windowStart + 1000 : now;
      this.#excess = 0;
    }
    this.#excess += 1 / rate;
    return this.#excess >= FULL_SECOND && this.#strikes + 1 >= RATE_LIMIT_ABUSE_SECONDS;
  }
}

import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import {
  WEBHOOK_CONCURRENCY_PER_APP,
  WEBHOOK_DISPATCH_LEASE_MS,
  WEBHOOK_LOG_RETENTION_MS,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_BASE_DELAY_MS,
  WEBHOOK_RETRY_JITTER,
  WEBHOOK_RETRY_MAX_DELAY_MS,
  WEBHOOK_TIMEOUT_MS,
} from '../../protocol/index.js';
import type { WebhookConfig } from '../config.js';
import type { WebhookDelivery, WebhookEventStatus, WebhookStore } from '../storage/types.js';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from './signature.js';

/**
 * The delay before attempt `attempt + 1`: exponential (WEBHOOK_RETRY_BASE_DELAY_MS doubled per
 * attempt, at most WEBHOOK_RETRY_MAX_DELAY_MS) with ±WEBHOOK_RETRY_JITTER random jitter.
 */
export function webhookRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const delay = Math.min(WEBHOOK_RETRY_MAX_DELAY_MS, WEBHOOK_RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(delay * (1 - WEBHOOK_RETRY_JITTER + 2 * WEBHOOK_RETRY_JITTER * random()));
}

/**
 * What an answer means: a 2xx is delivered; a 4xx other than 408 and 429 will not get better by
 * asking again (the receiver refuses the request: wrong URL, failed signature check), so the event
 * fails; anything else (3xx, 408, 429, 5xx) is retried.
 */
export function classifyWebhookStatus(status: number): 'delivered' | 'retry' | 'failed' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'failed';
  return 'retry';
}

/** A Retry-After header (seconds, or an HTTP date) as ms from `now`; undefined when absent or bad. */
function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Why a request got no answer, short and without a stack: "timeout after 10000 ms", "ECONNREFUSED". */
function describeFailure(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  const detail = err.cause?.code ?? err.cause?.message ?? err.message ?? String(error);
  return detail.slice(0, 200);
}

/** Test and tuning hooks; every field defaults to the constants in protocol/limits.ts. */
export interface WebhookDispatchOptions {
  /** Per request: connect, send, response headers. Default WEBHOOK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Attempts per event before it fails. Default WEBHOOK_MAX_ATTEMPTS. */
  maxAttempts?: number;
  /** Requests in flight per app. Default WEBHOOK_CONCURRENCY_PER_APP. */
  concurrencyPerApp?: number;
  /** Delay after failed attempt n (1-based). Default {@link webhookRetryDelayMs}. */
  retryDelayMs?: (attempt: number) => number;
  /** How long an app's dispatch lease lasts unless renewed. Default WEBHOOK_DISPATCH_LEASE_MS. */
  leaseMs?: number;
}

export interface WebhookDispatcherOptions extends WebhookDispatchOptions {
  store: WebhookStore;
  targets: ReadonlyMap<string, WebhookConfig>;
  now: () => number;
  log: FastifyBaseLogger;
}

/** How often finished events older than WEBHOOK_LOG_RETENTION_MS are deleted. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Longest sleep between looks at the outbox. Events are normally found through `wake()` (new ones)
 * and the timer for the soonest retry; this bounds how long a missed wake or a moved clock waits.
 */
const MAX_IDLE_MS = 60_000;

/**
 * Delivers the outbox in the background: per app at most `concurrencyPerApp` requests in flight,
 * each signed, time-limited and recorded in the delivery log; failures are retried with backoff up
 * to `maxAttempts`. Nothing here runs on a message's path: the gateway only writes the outbox row.
 *
 * State lives in the store (attempt counts, next attempt times), so after a restart `start()`
 * resumes every pending event, including ones whose request was cut off by the shutdown (those are
 * sent again: delivery is at least once).
 *
 * Several nodes on one database each run a dispatcher over the same outbox. So that an event is
 * POSTed once rather than once per node, a dispatcher sends an app's events only while it holds
 * the app's dispatch lease (a row in the store, see `acquireDispatchLease`): taken when it finds
 * due work, renewed every third of `leaseMs` while it has some, released when it runs out or
 * stops. The outbox is read only after the lease is ours, and a lease is released only once every
 * request of ours has its outcome recorded, so the next holder never sees an event as pending that
 * we delivered. A node that dies holding a lease keeps the app waiting until the lease expires;
 * then another node takes it over and sends the event that had no recorded outcome again, with
 * the same event id.
 */
export class WebhookDispatcher {
  readonly #o: Required<WebhookDispatchOptions> & WebhookDispatcherOptions;
  /** Event pks being delivered, per app. */
  readonly #inFlight = new Map<string, Set<number>>();
  readonly #requests = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  /** Who this dispatcher is to the lease table: unique per instance, so a restart is a new holder. */
  readonly #holder = randomUUID();
  /** Apps whose lease this dispatcher holds (as far as it knows: it may have expired meanwhile). */
  readonly #held = new Set<string>();
  #tickRun: Promise<void> | undefined;
  /**
   * Requests that finished while a tick was reading the outbox leave their in-flight set only when
   * that tick ends: the tick's read may have started before their outcome was committed, and
   * would otherwise see them pending and send them again.
   */
  #finishedDuringTick: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #ticking = false;
  #again = false;
  #stopped = true;

  constructor(options: WebhookDispatcherOptions) {
    this.#o = {
      ...options,
      timeoutMs: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
      maxAttempts: options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS,
      concurrencyPerApp: options.concurrencyPerApp ?? WEBHOOK_CONCURRENCY_PER_APP,
      retryDelayMs: options.retryDelayMs ?? ((attempt) => webhookRetryDelayMs(attempt)),
      leaseMs: options.leaseMs ?? WEBHOOK_DISPATCH_LEASE_MS,
    };
  }

  /** Starts delivering (pending events of earlier runs first, as they are due) and pruning the log. */
  start(): void {
    if (!this.#stopped || this.#abort.signal.aborted) return;
    this.#stopped = false;
    this.#prune();
    this.#pruneTimer = setInterval(() => this.#prune(), PRUNE_INTERVAL_MS);
    this.#pruneTimer.unref();
    this.wake();
  }

  /** Looks at the outbox soon (an event was recorded). */
  wake(): void {
    this.#schedule(0);
  }

  /**
   * Stops: no new requests; requests in flight are aborted and not counted as attempts (their events
   * stay pending and are sent on the next start, or at once by another node). Resolves once none is
   * running and the leases held are given up, so another node need not wait for them to expire.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#pruneTimer);
    this.#abort.abort();
    // The tick first: it may start a request before it sees the stop.
    await Promise.allSettled([this.#tickRun]);
    await Promise.allSettled([...this.#requests]);
    await Promise.allSettled([...this.#held].map((appId) => this.#release(appId)));
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#tickRun = this.#tick();
    }, Math.max(0, Math.min(delayMs, MAX_IDLE_MS)));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    this.#ticking = true;
    let next = MAX_IDLE_MS;
    try {
      for (const [appId, target] of this.#o.targets) {
        if (this.#stopped) break;
        next = Math.min(next, await this.#tickApp(appId, target));
      }
    } catch (err) {
      this.#o.log.error({ err }, 'webhook dispatcher could not read the outbox');
      next = 5_000;
    } finally {
      this.#ticking = false;
      for (const settle of this.#finishedDuringTick.splice(0)) settle();
    }
    this.#schedule(this.#again ? 0 : next);
    this.#again = false;
  }

  /** Sends what is due of one app if this node may; returns when to look at the app again. */
  async #tickApp(appId: string, target: WebhookConfig): Promise<number> {
    const { store, concurrencyPerApp, leaseMs } = this.#o;
    const renewMs = leaseMs / 3;
    const busy = this.#inFlight.get(appId) ?? new Set<number>();
    this.#inFlight.set(appId, busy);
    if (busy.size === 0) {
      // Nothing of ours in flight: a look without the lease first, so an idle app costs no write.
      const [soonest] = await store.pending(appId, 1);
      const now = this.#o.now();
      if (soonest === undefined || soonest.nextAttemptAt > now) {
        if (this.#held.has(appId)) await this.#release(appId);
        return soonest === undefined ? MAX_IDLE_MS : soonest.nextAttemptAt - now;
      }
    }
    const lease = await store.acquireDispatchLease(appId, this.#holder, leaseMs);
    if (!lease.held) {
      this.#held.delete(appId);
      // Another node dispatches the app. Look again when its lease would run out (it may have
      // died), and now and then before: it releases the lease when it runs out of work.
      return Math.max(1, Math.min(lease.expiresInMs, renewMs));
    }
    this.#held.add(appId);
    if (this.#stopped || busy.size >= concurrencyPerApp) return renewMs; // a finishing request looks again
    // Read once the lease is ours: whoever held it before recorded every outcome before releasing.
    // Enough rows to find `concurrencyPerApp` that are not in flight already.
    const rows = await store.pending(appId, busy.size + concurrencyPerApp);
    if (this.#stopped) return renewMs;
    const now = this.#o.now();
    let next = renewMs;
    for (const row of rows) {
      if (busy.has(row.pk)) continue;
      if (row.nextAttemptAt > now) {
        next = Math.min(next, row.nextAttemptAt - now);
        break;
      }
      if (busy.size >= concurrencyPerApp) break;
      this.#send(target, row, busy);
    }
    return next;
  }

  async #release(appId: string): Promise<void> {
    this.#held.delete(appId);
    try {
      await this.#o.store.releaseDispatchLease(appId, this.#holder);
    } catch (err) {
      // It expires by itself; another node only waits longer.
      this.#o.log.warn({ err, appId }, 'could not release a webhook dispatch lease');
    }
  }

  #send(target: WebhookConfig, row: WebhookDelivery, busy: Set<number>): void {
    busy.add(row.pk);
    const request = this.#attempt(target, row)
      .catch((err: unknown) => this.#o.log.error({ err, eventId: row.id }, 'webhook delivery failed unexpectedly'))
      .finally(() => {
        if (this.#ticking) this.#finishedDuringTick.push(() => busy.delete(row.pk));
        else busy.delete(row.pk);
        this.#requests.delete(request);
        this.wake();
      });
    this.#requests.add(request);
  }

  async #attempt(target: WebhookConfig, row: WebhookDelivery): Promise<void> {
    const { now, timeoutMs, maxAttempts, store } = this.#o;
    const attempt = row.attempts + 1;
    const startedAt = now();
    let statusCode: number | undefined;
    let error: string | undefined;
    let waitAtLeast: number | undefined;
    let result: 'delivered' | 'retry' | 'failed';
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        body: row.payload,
        redirect: 'manual',
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(timeoutMs)]),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'rtm-chat-webhooks/1',
          'x-rtm-event-id': row.id,
          'x-rtm-event-type': row.type,
          'x-rtm-delivery-attempt': String(attempt),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(target.secret, row.payload, Math.floor(startedAt / 1000)),
        },
      });
      // The answer's body is not used; drop it so the connection can be reused.
      await response.body?.cancel().catch(() => {});
      statusCode = response.status;
      result = classifyWebhookStatus(statusCode);
      if (statusCode === 429 || statusCode === 503) waitAtLeast = retryAfterMs(response.headers.get('retry-after'), startedAt);
    } catch (err) {
      if (this.#abort.signal.aborted) return; // shutting down: not an attempt, sent again after the restart
      error = describeFailure(err, timeoutMs);
      result = 'retry';
    }
    const finishedAt = now();
    let status: WebhookEventStatus = result === 'retry' ? 'pending' : result;
    if (status === 'pending' && attempt >= maxAttempts) status = 'failed';
    let delay = this.#o.retryDelayMs(attempt);
    if (waitAtLeast !== undefined) delay = Math.max(delay, Math.min(waitAtLeast, WEBHOOK_RETRY_MAX_DELAY_MS));
    await store.recordAttempt(row.pk, {
      attempt,
      startedAt,
      durationMs: Math.max(0, finishedAt - startedAt),
      ...(statusCode !== undefined && { statusCode }),
      ...(error !== undefined && { error }),
      status,
      nextAttemptAt: status === 'pending' ? finishedAt + delay : finishedAt,
    });
    if (status === 'failed') {
      this.#o.log.warn({ appId: row.appId, eventId: row.id, attempt, statusCode, error }, 'webhook event failed, not retried');
    }
  }

  #prune(): void {
    this.#o.store.prune(this.#o.now() - WEBHOOK_LOG_RETENTION_MS).catch((err: unknown) => {
      this.#o.log.error({ err }, 'could not prune the webhook delivery log');
    });
  }
}

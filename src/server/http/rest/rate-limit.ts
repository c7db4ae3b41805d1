import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { REST_BURST, REST_REQUESTS_PER_SECOND, RtmError } from '../../../protocol/index.js';

/** What @fastify/rate-limit calls a store (its `store` option takes the class). */
export interface RateLimitStore {
  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
  child(routeOptions: unknown): RateLimitStore;
}

/**
 * A token bucket (GCRA) behind @fastify/rate-limit's store interface: `max` requests per
 * `timeWindow` refilled steadily, and a bucket of `burst` requests an idle key may spend at once.
 * The plugin's own stores count fixed windows, which let a client send twice the rate across a
 * window edge; this one never lets more than rate + burst through in any second.
 *
 * Per key it keeps one number, the theoretical arrival time (TAT) of the next request, so a Redis
 * version for several nodes is one small script over one key per app (GET tat, compare, SET with
 * expiry), plugged in through the same `store` option. The plugin only needs `current > max` for a
 * refusal and `ttl` for Retry-After; the x-ratelimit-* headers are off, so `current` is not shown.
 */
export function tokenBucketStore(burst: number, clock: () => number = () => performance.now()) {
  return class TokenBucketStore implements RateLimitStore {
    readonly #tat = new Map<string, number>();

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      const now = clock();
      const interval = timeWindow / max;
      const tolerance = burst * interval;
      const next = Math.max(this.#tat.get(key) ?? now, now) + interval;
      if (next - now > tolerance) {
        // Refused: not counted; ttl = when this request would have fitted.
        callback(null, { current: max + 1, ttl: next - now - tolerance });
        return;
      }
      this.#tat.set(key, next);
      callback(null, { current: Math.ceil((next - now) / interval), ttl: next - now });
    }

    child(): RateLimitStore {
      return new TokenBucketStore();
    }
  };
}

/** The key the limit counts under: one bucket per app id (namespaced for a shared store later). */
export const rateLimitKey = (appId: string) => `rest:${appId}`;

/**
 * Rate-limits the REST routes registered in `scope`: REST_REQUESTS_PER_SECOND per app id with a
 * REST_BURST bucket, 429 (TOO_OFTEN) with Retry-After beyond it. It runs in `preParsing`, after
 * authentication (`onRequest`), so requests without valid credentials cannot spend an app's quota,
 * and before the body is parsed.
 */
export async function registerRestRateLimit(
  scope: FastifyInstance,
  appIdOf: (request: FastifyRequest) => string,
  /** The bucket store class: this node's memory by default, Redis when nodes share the limit. */
  store: new () => RateLimitStore = tokenBucketStore(REST_BURST),
): Promise<void> {
  const options: RateLimitPluginOptions = {
    global: true,
    hook: 'preParsing',
    max: REST_REQUESTS_PER_SECOND,
    timeWindow: 1000,
    store: store as unknown as RateLimitPluginOptions['store'],
    keyGenerator: (request) => rateLimitKey(appIdOf(request)),
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    errorResponseBuilder: (request, context) =>
      new RtmError(
        'TOO_OFTEN',
        `More than ${REST_REQUESTS_PER_SECOND} requests per second (burst ${REST_BURST}) for app ${JSON.stringify(appIdOf(request))}; retry after ${context.after}.`,
      ),
  };
  await scope.register(rateLimit, options);
}

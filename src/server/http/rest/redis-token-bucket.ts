import type { Redis } from 'ioredis';
import { RtmError } from '../../../protocol/index.js';
import type { RateLimitStore } from './rate-limit.js';

/**
 * The same token bucket (GCRA) as `tokenBucketStore`, kept in Redis so every node of a cluster
 * spends one app's quota from one bucket. Without it, N nodes would let N times the rate through.
 *
 * One key per app holds the theoretical arrival time (TAT). The check and the update are one Lua
 * script, so two nodes cannot both take the last token. The clock is Redis's own (`TIME`), so the
 * nodes' clocks do not have to agree. The key expires when its bucket is full again, so idle apps
 * leave nothing behind. Values are returned as strings: Lua numbers come back truncated to integers.
 */
const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local next = tat + interval
if next - now > tolerance then
  return {0, tostring(next - now - tolerance)}
end
redis.call('SET', KEYS[1], tostring(next), 'PX', math.ceil(next - now) + 1)
return {1, tostring(next - now)}
`;

/** The ioredis command the script is registered as (EVALSHA, falling back to EVAL once). */
interface WithGcra {
  rtmRestGcra(key: string, intervalMs: number, toleranceMs: number): Promise<[number, string]>;
}

/**
 * A @fastify/rate-limit store class over `redis`. Keys are `keyPrefix` + the plugin's key
 * (`rest:<app>`). Give each cluster its own prefix when several share one Redis. When Redis fails, the
 * request fails too, with INTERNAL_ERROR saying so. A limit that silently stops applying on one node
 * would be worse: the other nodes could not see it.
 */
export function redisTokenBucketStore(redis: Redis, burst: number, keyPrefix = 'rtm:') {
  if (!('rtmRestGcra' in redis)) redis.defineCommand('rtmRestGcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
  const gcra = redis as unknown as WithGcra;

  return class RedisTokenBucketStore implements RateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      const interval = timeWindow / max;
      gcra.rtmRestGcra(`${keyPrefix}${key}`, interval, burst * interval).then(
        ([allowed, wait]) => {
          const ttl = Number(wait);
          // As the in-memory store: a refusal reports one over the limit, a pass how full the bucket is.
          callback(null, { current: allowed === 1 ? Math.ceil(ttl / interval) : max + 1, ttl });
        },
        (error: Error) => callback(new RtmError('INTERNAL_ERROR', `The shared rate limit in Redis could not be checked: ${error.message}`)),
      );
    }

    child(): RateLimitStore {
      return new RedisTokenBucketStore();
    }
  };
}

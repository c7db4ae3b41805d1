import type { Redis } from 'ioredis';
import { InMemoryPresenceRouter, type PresenceRouter } from '../presence-router.js';
import { RedisPresenceRouter, type ClusterLog } from './redis-presence-router.js';

/** The router the server runs with, plus what /healthz and shutdown need of it. */
export interface PresenceSetup {
  router: PresenceRouter;
  /** Throws when the router cannot route across nodes (Redis lost); absent for the in-memory router. */
  checkHealthy?: () => void;
  /** The router's command connection and key prefix, when it runs over Redis (closed by `close`). */
  redis?: { commands: Redis; keyPrefix: string };
  close(): Promise<void>;
}

/**
 * `redisUrl` (RTM_REDIS_URL) set: the multi-node router over Redis; absent: the single-node
 * in-memory one. Redis unreachable at start does not stop the server: it is logged, /healthz fails
 * and sends that need another node fail, until the router's background reconnect succeeds.
 */
export async function createPresenceRouter(options: { redisUrl?: string | undefined; redisPrefix?: string | undefined; log: ClusterLog }): Promise<PresenceSetup> {
  if (!options.redisUrl) return { router: new InMemoryPresenceRouter(), close: async () => {} };
  const router = new RedisPresenceRouter({ url: options.redisUrl, log: options.log, ...(options.redisPrefix && { prefix: options.redisPrefix }) });
  try {
    await router.start();
    options.log.info({ node: router.nodeId }, 'cluster: joined through Redis');
  } catch (err) {
    options.log.error(
      { err, redis: redactPassword(options.redisUrl) },
      'cluster: Redis (RTM_REDIS_URL) unreachable at start; running unhealthy and retrying in the background',
    );
  }
  return {
    router,
    checkHealthy: () => router.checkHealthy(),
    redis: { commands: router.commands, keyPrefix: router.keyPrefix },
    close: () => router.close(),
  };
}

/** The URL as it may appear in logs. */
function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return '(unparsable URL)';
  }
}

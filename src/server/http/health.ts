import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { RtmError } from '../../protocol/index.js';
import type { HealthStore } from '../storage/types.js';
import { sendError } from './errors.js';

/**
 * GET /healthz: 200 `{ok:true}` only when the database takes a real write and, on a multi-node
 * server, the node is connected to the cluster (Redis); 503 otherwise.
 */
export function registerHealthRoute(
  app: FastifyInstance,
  options: {
    health: HealthStore;
    now: () => number;
    log: FastifyBaseLogger;
    /** Throws when cross-node routing is down (the Redis router's checkHealthy). */
    cluster?: () => void;
  },
): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await options.health.checkWritable(options.now());
    } catch (error) {
      options.log.error({ err: error }, 'health check: database not writable');
      return sendError(reply, new RtmError('INTERNAL_ERROR', 'The database is not writable.'), 503);
    }
    try {
      options.cluster?.();
    } catch (error) {
      // The router logged the outage when it began; this is one line per failing probe.
      options.log.error({ err: error }, 'health check: not connected to the cluster (Redis)');
      return sendError(reply, new RtmError('INTERNAL_ERROR', 'This node is not connected to the cluster (Redis).'), 503);
    }
    return { ok: true };
  });
}

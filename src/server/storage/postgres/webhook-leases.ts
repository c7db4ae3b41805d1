import type { WebhookStore } from '../types.js';
import { rows, run, type PgPool } from './database.js';

/** The database's clock in ms: nodes with skewed clocks judge every lease by this one. */
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/**
 * Webhook dispatch leases on PostgreSQL (table from migration 2): one node at a time dispatches an
 * app's events. The upsert is atomic across nodes: ON CONFLICT locks the app's row and evaluates
 * its WHERE on the newest version, so of two nodes racing for an expired lease one updates it and
 * the other then sees a live lease that is not its own.
 */
export function createPostgresWebhookLeases(pool: PgPool): Pick<WebhookStore, 'acquireDispatchLease' | 'releaseDispatchLease'> {
  return {
    async acquireDispatchLease(appId, holder, ttlMs) {
      // EXCLUDED.expires_at - ttl is the clock reading of this statement.
      const taken = await rows<{ holder: string }>(
        pool,
        `INSERT INTO webhook_leases (app_id, holder, expires_at) VALUES (@appId, @holder, ${NOW_MS} + @ttlMs)
         ON CONFLICT (app_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE webhook_leases.holder = EXCLUDED.holder OR webhook_leases.expires_at <= EXCLUDED.expires_at - @ttlMs
         RETURNING holder`,
        { appId, holder, ttlMs },
      );
      if (taken.length > 0) return { held: true, expiresInMs: ttlMs };
      const other = await rows<{ left_ms: number }>(
        pool,
        `SELECT GREATEST(0, expires_at - ${NOW_MS}) AS left_ms FROM webhook_leases WHERE app_id = @appId`,
        { appId },
      );
      return { held: false, expiresInMs: other[0]?.left_ms ?? 0 };
    },
    async releaseDispatchLease(appId, holder) {
      await run(pool, 'DELETE FROM webhook_leases WHERE app_id = @appId AND holder = @holder', { appId, holder });
    },
  };
}

import type { WebhookStore } from '../types.js';
import type { SqliteDatabase } from './driver.js';

/**
 * Webhook dispatch leases in SQLite (table from migration 9). A SQLite database has one node, so
 * the lease never changes hands in practice; it is kept so the dispatcher runs the same on both
 * engines and the conformance suite checks one contract. The clock is this process's: the only
 * node's. Opening the store clears leases left by an earlier run (see below).
 */
export function createSqliteWebhookLeases(db: SqliteDatabase): Pick<WebhookStore, 'acquireDispatchLease' | 'releaseDispatchLease'> {
  // The upsert takes a free row, renews the holder's own, or takes over an expired one; another
  // holder's live row is left alone and RETURNING yields nothing.
  const acquire = db.prepare(`
    INSERT INTO webhook_leases (app_id, holder, expires_at) VALUES (@appId, @holder, @now + @ttlMs)
    ON CONFLICT (app_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE webhook_leases.holder = excluded.holder OR webhook_leases.expires_at <= @now
    RETURNING expires_at`);
  const expiresAt = db.prepare('SELECT expires_at FROM webhook_leases WHERE app_id = ?');
  const release = db.prepare('DELETE FROM webhook_leases WHERE app_id = ? AND holder = ?');
  // One server process per data directory: a lease found on open is a crashed run's, and waiting
  // for it to expire would only hold this run's webhooks back.
  db.prepare('DELETE FROM webhook_leases').run();

  return {
    async acquireDispatchLease(appId, holder, ttlMs) {
      const now = Date.now();
      const taken = acquire.get({ appId, holder, now, ttlMs }) as { expires_at: number } | undefined;
      if (taken) return { held: true, expiresInMs: taken.expires_at - now };
      const other = expiresAt.get(appId) as { expires_at: number } | undefined;
      return { held: false, expiresInMs: Math.max(0, (other?.expires_at ?? now) - now) };
    },
    async releaseDispatchLease(appId, holder) {
      release.run(appId, holder);
    },
  };
}

import type { WebhookDeliveryLog, WebhookStore } from '../types.js';
import { toDelivery, toAttempt, type EventRow, type AttemptRow } from '../rows/webhooks.js';
import { inTransaction, rows, run, type PgPool, type Queryable } from './database.js';
import { createPostgresWebhookLeases } from './webhook-leases.js';

/** The webhook outbox on PostgreSQL: the SQLite store's tables, indexes and statements. */

/** `%`, `_` and `\` in a LIKE prefix stand for themselves. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createPostgresWebhookStore(pool: PgPool): WebhookStore {
  async function withLogs(db: Queryable, events: EventRow[]): Promise<WebhookDeliveryLog[]> {
    if (events.length === 0) return [];
    const attempts = await rows<AttemptRow & { event_pk: number }>(
      db,
      'SELECT * FROM webhook_attempts WHERE event_pk = ANY(@pks::bigint[]) ORDER BY event_pk, attempt',
      { pks: events.map((row) => row.pk) },
    );
    return events.map((row) => ({
      ...toDelivery(row),
      log: attempts.filter((a) => a.event_pk === row.pk).map(toAttempt),
    }));
  }

  return {
    ...createPostgresWebhookLeases(pool),
    async enqueue(event) {
      const inserted = await run(
        pool,
        `INSERT INTO webhook_events (id, app_id, type, dedupe_key, payload, created_at, next_attempt_at)
         VALUES (@id, @appId, @type, @dedupeKey, @payload, @createdAt, @createdAt)
         ON CONFLICT (app_id, dedupe_key) DO NOTHING`,
        { ...event, dedupeKey: event.dedupeKey ?? null },
      );
      return inserted === 1;
    },
    async pending(appId, limit) {
      const found = await rows<EventRow>(
        pool,
        `SELECT * FROM webhook_events WHERE app_id = @appId AND status = 'pending' ORDER BY next_attempt_at, pk LIMIT @limit`,
        { appId, limit },
      );
      return found.map(toDelivery);
    },
    async recordAttempt(pk, outcome) {
      const params = {
        pk,
        attempt: outcome.attempt,
        startedAt: outcome.startedAt,
        durationMs: outcome.durationMs,
        statusCode: outcome.statusCode ?? null,
        error: outcome.error ?? null,
      };
      await inTransaction(pool, async (db) => {
        await run(
          db,
          `INSERT INTO webhook_attempts (event_pk, attempt, started_at, duration_ms, status_code, error)
           VALUES (@pk, @attempt, @startedAt, @durationMs, @statusCode, @error) ON CONFLICT DO NOTHING`,
          params,
        );
        await run(
          db,
          `UPDATE webhook_events SET
             status = @status,
             attempts = GREATEST(attempts, @attempt),
             next_attempt_at = @nextAttemptAt,
             last_attempt_at = @startedAt,
             last_status_code = @statusCode,
             last_error = @error,
             delivered_at = @deliveredAt
           WHERE pk = @pk AND status = 'pending'`,
          {
            ...params,
            status: outcome.status,
            nextAttemptAt: outcome.nextAttemptAt,
            deliveredAt: outcome.status === 'delivered' ? outcome.startedAt + outcome.durationMs : null,
          },
        );
      });
    },
    async list(appId, query) {
      return inTransaction(
        pool,
        async (db) => {
          const status = query.status === undefined ? '' : 'AND status = @status';
          const params: Record<string, unknown> = { appId, limit: query.limit + 1, beforeId: query.beforeId ?? null };
          if (query.status !== undefined) params.status = query.status;
          const found = await rows<EventRow>(
            db,
            `SELECT * FROM webhook_events WHERE app_id = @appId ${status}
               AND pk < COALESCE((SELECT pk FROM webhook_events WHERE id = @beforeId::text AND app_id = @appId), 9223372036854775807)
             ORDER BY pk DESC LIMIT @limit`,
            params,
          );
          return { deliveries: await withLogs(db, found.slice(0, query.limit)), hasMore: found.length > query.limit };
        },
        'REPEATABLE READ READ ONLY',
      );
    },
    async get(appId, eventId) {
      const found = await rows<EventRow>(pool, 'SELECT * FROM webhook_events WHERE app_id = @appId AND id = @eventId', { appId, eventId });
      return (await withLogs(pool, found))[0];
    },
    async redeliver(appId, eventId, now) {
      return (
        (await run(
          pool,
          `UPDATE webhook_events SET status = 'pending', next_attempt_at = @now WHERE app_id = @appId AND id = @eventId AND status = 'failed'`,
          { now, appId, eventId },
        )) === 1
      );
    },
    async prune(before) {
      return run(pool, `DELETE FROM webhook_events WHERE status <> 'pending' AND last_attempt_at < @before`, { before });
    },
    async redactMessage(appId, messageId, message) {
      // Rewritten in JS rather than with jsonb_set, which would reorder the payload's keys.
      return inTransaction(pool, async (db) => {
        const found = await rows<{ pk: number; payload: string }>(
          db,
          `SELECT pk, payload FROM webhook_events WHERE app_id = @appId AND (dedupe_key = @sent OR dedupe_key LIKE @edited) FOR UPDATE`,
          { appId, sent: `message.sent:${messageId}`, edited: likePrefix(`message.edited:${messageId}:`) },
        );
        for (const row of found) {
          const payload = JSON.parse(row.payload) as { data?: Record<string, unknown> };
          payload.data = { ...payload.data, message };
          await run(db, 'UPDATE webhook_events SET payload = @payload WHERE pk = @pk', { payload: JSON.stringify(payload), pk: row.pk });
        }
        return found.length;
      });
    },
  };
}

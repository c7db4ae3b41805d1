import type { WebhookDeliveryLog, WebhookEventStatus, WebhookStore } from '../types.js';
import { toDelivery, toAttempt, type EventRow, type AttemptRow } from '../rows/webhooks.js';
import type { SqliteDatabase } from './driver.js';
import { createSqliteWebhookLeases } from './webhook-leases.js';

/**
 * The webhook outbox in SQLite (tables from migration 4). Indexes each statement relies on:
 *
 * - `webhook_events_pending` (app_id, next_attempt_at, pk) WHERE pending: the dispatcher's "an
 *   app's pending events, soonest first" is a range read of that partial index.
 * - `webhook_events_by_app` (app_id, status, pk): the delivery log, newest first (all or one status).
 * - `webhook_events_finished` (last_attempt_at) WHERE finished: retention.
 * - `webhook_attempts` PRIMARY KEY (event_pk, attempt): an event's attempts.
 */

export function createSqliteWebhookStore(db: SqliteDatabase): WebhookStore {
  // Served by UNIQUE (app_id, dedupe_key): one seek for the sent event, a range for the edits.
  const redact = db.prepare(`
    UPDATE webhook_events SET payload = json_set(payload, '$.data.message', json(@message))
    WHERE app_id = @appId AND (dedupe_key = @sent OR dedupe_key LIKE @edited)`);
  const insert = db.prepare(`
    INSERT INTO webhook_events (id, app_id, type, dedupe_key, payload, created_at, next_attempt_at)
    VALUES (@id, @appId, @type, @dedupeKey, @payload, @createdAt, @createdAt)
    ON CONFLICT (app_id, dedupe_key) DO NOTHING`);
  const pending = db.prepare(`
    SELECT * FROM webhook_events WHERE app_id = ? AND status = 'pending'
    ORDER BY next_attempt_at, pk LIMIT ?`);
  const insertAttempt = db.prepare(`
    INSERT INTO webhook_attempts (event_pk, attempt, started_at, duration_ms, status_code, error)
    VALUES (@pk, @attempt, @startedAt, @durationMs, @statusCode, @error)
    ON CONFLICT DO NOTHING`);
  const updateEvent = db.prepare(`
    UPDATE webhook_events SET
      status = @status,
      attempts = MAX(attempts, @attempt),
      next_attempt_at = @nextAttemptAt,
      last_attempt_at = @startedAt,
      last_status_code = @statusCode,
      last_error = @error,
      delivered_at = @deliveredAt
    WHERE pk = @pk AND status = 'pending'`);
  // Two statements rather than `@status IS NULL OR status = @status`, which would not use the index.
  const listAll = db.prepare(`
    SELECT * FROM webhook_events WHERE app_id = @appId
      AND pk < COALESCE((SELECT pk FROM webhook_events WHERE id = @beforeId AND app_id = @appId), 9223372036854775807)
    ORDER BY pk DESC LIMIT @limit`);
  const listStatus = db.prepare(`
    SELECT * FROM webhook_events WHERE app_id = @appId AND status = @status
      AND pk < COALESCE((SELECT pk FROM webhook_events WHERE id = @beforeId AND app_id = @appId), 9223372036854775807)
    ORDER BY pk DESC LIMIT @limit`);
  const getOne = db.prepare('SELECT * FROM webhook_events WHERE app_id = ? AND id = ?');
  const attemptsOf = db.prepare('SELECT * FROM webhook_attempts WHERE event_pk = ? ORDER BY attempt');
  const redeliver = db.prepare(`
    UPDATE webhook_events SET status = 'pending', next_attempt_at = ? WHERE app_id = ? AND id = ? AND status = 'failed'`);
  const prune = db.prepare(`DELETE FROM webhook_events WHERE status <> 'pending' AND last_attempt_at < ?`);

  const withLog = (row: EventRow): WebhookDeliveryLog => ({
    ...toDelivery(row),
    log: (attemptsOf.all(row.pk) as AttemptRow[]).map(toAttempt),
  });

  const attemptTx = db.transaction((pk: number, outcome: Parameters<WebhookStore['recordAttempt']>[1]) => {
    const params = {
      pk,
      attempt: outcome.attempt,
      startedAt: outcome.startedAt,
      durationMs: outcome.durationMs,
      statusCode: outcome.statusCode ?? null,
      error: outcome.error ?? null,
    };
    insertAttempt.run(params);
    updateEvent.run({
      ...params,
      status: outcome.status,
      nextAttemptAt: outcome.nextAttemptAt,
      deliveredAt: outcome.status === 'delivered' ? outcome.startedAt + outcome.durationMs : null,
    });
  });

  const listTx = db.transaction((appId: string, status: WebhookEventStatus | undefined, limit: number, beforeId: string | null) => {
    const params = { appId, limit: limit + 1, beforeId };
    const rows = (status === undefined ? listAll.all(params) : listStatus.all({ ...params, status })) as EventRow[];
    return { deliveries: rows.slice(0, limit).map(withLog), hasMore: rows.length > limit };
  });

  return {
    ...createSqliteWebhookLeases(db),
    async redactMessage(appId, messageId, message) {
      return redact.run({ appId, sent: `message.sent:${messageId}`, edited: `message.edited:${messageId}:%`, message: JSON.stringify(message) })
        .changes;
    },
    async enqueue(event) {
      const result = insert.run({ ...event, dedupeKey: event.dedupeKey ?? null });
      return result.changes === 1;
    },
    async pending(appId, limit) {
      return (pending.all(appId, limit) as EventRow[]).map(toDelivery);
    },
    async recordAttempt(pk, outcome) {
      attemptTx.immediate(pk, outcome);
    },
    async list(appId, query) {
      return listTx.deferred(appId, query.status, query.limit, query.beforeId ?? null);
    },
    async get(appId, eventId) {
      const row = getOne.get(appId, eventId) as EventRow | undefined;
      return row && withLog(row);
    },
    async redeliver(appId, eventId, now) {
      return redeliver.run(now, appId, eventId).changes === 1;
    },
    async prune(before) {
      return prune.run(before).changes;
    },
  };
}

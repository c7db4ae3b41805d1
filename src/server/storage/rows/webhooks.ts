import type { WebhookAttempt, WebhookDelivery, WebhookEventStatus } from '../types.js';

/** `webhook_events` / `webhook_attempts` rows as both engines return them (same columns in both). */
export interface EventRow {
  pk: number;
  id: string;
  app_id: string;
  type: string;
  payload: string;
  created_at: number;
  status: WebhookEventStatus;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

export interface AttemptRow {
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
}

export function toDelivery(row: EventRow): WebhookDelivery {
  const delivery: WebhookDelivery = {
    pk: row.pk,
    id: row.id,
    appId: row.app_id,
    type: row.type,
    payload: row.payload,
    createdAt: row.created_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
  };
  if (row.last_attempt_at !== null) delivery.lastAttemptAt = row.last_attempt_at;
  if (row.last_status_code !== null) delivery.lastStatusCode = row.last_status_code;
  if (row.last_error !== null) delivery.lastError = row.last_error;
  if (row.delivered_at !== null) delivery.deliveredAt = row.delivered_at;
  return delivery;
}

export function toAttempt(row: AttemptRow): WebhookAttempt {
  const attempt: WebhookAttempt = { attempt: row.attempt, startedAt: row.started_at, durationMs: row.duration_ms };
  if (row.status_code !== null) attempt.statusCode = row.status_code;
  if (row.error !== null) attempt.error = row.error;
  return attempt;
}

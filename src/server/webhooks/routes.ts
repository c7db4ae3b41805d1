import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { REST_BASE_PATH, RtmError } from '../../protocol/index.js';
import type { AppRegistry } from '../apps.js';
import { HttpRtmError } from '../http/errors.js';
import { authenticate } from '../http/rest/auth.js';
import { restErrorHandler } from '../http/rest/errors.js';
import type { WebhookDeliveryLog, WebhookEventStatus, WebhookStore } from '../storage/types.js';

/** Most deliveries one page of the log returns (and the default). */
export const MAX_DELIVERIES_PAGE = 100;
const DEFAULT_DELIVERIES_PAGE = 20;

const STATUSES: readonly WebhookEventStatus[] = ['pending', 'delivered', 'failed'];

/** One event in the delivery log as the endpoint answers it (snake_case, like the REST API). */
export interface DeliveryBody {
  event_id: string;
  type: string;
  status: WebhookEventStatus;
  created_at: number;
  attempts: number;
  /** Pending only: when the next attempt is due. */
  next_attempt_at?: number;
  last_attempt_at?: number;
  last_status_code?: number;
  last_error?: string;
  delivered_at?: number;
  log: { attempt: number; started_at: number; duration_ms: number; status_code?: number; error?: string }[];
  /** The event as POSTed (single-event answers only). */
  event?: unknown;
}

function toBody(delivery: WebhookDeliveryLog, withEvent: boolean): DeliveryBody {
  const body: DeliveryBody = {
    event_id: delivery.id,
    type: delivery.type,
    status: delivery.status,
    created_at: delivery.createdAt,
    attempts: delivery.attempts,
    log: delivery.log.map((a) => ({
      attempt: a.attempt,
      started_at: a.startedAt,
      duration_ms: a.durationMs,
      ...(a.statusCode !== undefined && { status_code: a.statusCode }),
      ...(a.error !== undefined && { error: a.error }),
    })),
  };
  if (delivery.status === 'pending') body.next_attempt_at = delivery.nextAttemptAt;
  if (delivery.lastAttemptAt !== undefined) body.last_attempt_at = delivery.lastAttemptAt;
  if (delivery.lastStatusCode !== undefined) body.last_status_code = delivery.lastStatusCode;
  if (delivery.lastError !== undefined) body.last_error = delivery.lastError;
  if (delivery.deliveredAt !== undefined) body.delivered_at = delivery.deliveredAt;
  if (withEvent) body.event = JSON.parse(delivery.payload);
  return body;
}

type LogRequest = FastifyRequest<{ Params: { appid: string; event_id?: string }; Querystring: Record<string, unknown> }> & {
  restRequestId: string;
};

/**
 * The webhook delivery log for operators, next to the REST API and with its Basic auth (the app's
 * REST key and secret; user tokens are not enough) and error bodies:
 *
 * - `GET /dev/v2/project/<appid>/rtm/webhooks/deliveries?status=&limit=&before=`: events newest
 *   first with their attempts; `next_before` is the cursor for the next page.
 * - `GET /dev/v2/project/<appid>/rtm/webhooks/deliveries/<event_id>`: one event, with the payload.
 * - `POST /dev/v2/project/<appid>/rtm/webhooks/deliveries/<event_id>/retry`: a failed event is sent
 *   again now (409 when it is not failed).
 */
export async function registerWebhookRoutes(
  app: FastifyInstance,
  options: {
    apps: AppRegistry;
    store: WebhookStore;
    now: () => number;
    log: FastifyBaseLogger;
    /** Tells the dispatcher an event became due (absent: the app's webhook is off; it waits). */
    wake?: () => void;
  },
): Promise<void> {
  await app.register(async (scope) => {
    scope.decorateRequest('restRequestId', '');
    scope.setErrorHandler(restErrorHandler(options.log));
    const onRequest = async (request: FastifyRequest) => {
      const req = request as LogRequest;
      req.restRequestId = randomUUID();
      if (request.headers.authorization === undefined) {
        throw new RtmError('MISSING_CREDENTIALS', 'The delivery log needs "Authorization: Basic <base64 of restKey:restSecret>".');
      }
      // Basic auth answers for any user id; the empty one is never a token's.
      await authenticate(options.apps, req.params.appid, '', request, options.now());
    };
    const base = `${REST_BASE_PATH}/:appid/rtm/webhooks/deliveries`;

    scope.get(base, { onRequest }, async (request) => {
      const req = request as LogRequest;
      const { status, limit, before } = req.query;
      if (status !== undefined && !STATUSES.includes(status as WebhookEventStatus)) {
        throw new RtmError('INVALID_ARGUMENT', `"status" must be one of ${STATUSES.join(', ')}.`);
      }
      const size = limit === undefined ? DEFAULT_DELIVERIES_PAGE : Number(limit);
      if (!Number.isInteger(size) || size < 1 || size > MAX_DELIVERIES_PAGE) {
        throw new RtmError('INVALID_ARGUMENT', `"limit" must be an integer from 1 to ${MAX_DELIVERIES_PAGE}.`);
      }
      if (before !== undefined && typeof before !== 'string') throw new RtmError('INVALID_ARGUMENT', '"before" must be an event id.');
      const page = await options.store.list(req.params.appid, {
        limit: size,
        ...(status !== undefined && { status: status as WebhookEventStatus }),
        ...(before !== undefined && { beforeId: before }),
      });
      const deliveries = page.deliveries.map((delivery) => toBody(delivery, false));
      return {
        result: 'success',
        request_id: req.restRequestId,
        deliveries,
        ...(page.hasMore && { next_before: deliveries[deliveries.length - 1]!.event_id }),
      };
    });

    scope.get(`${base}/:event_id`, { onRequest }, async (request) => {
      const req = request as LogRequest;
      const delivery = await options.store.get(req.params.appid, req.params.event_id ?? '');
      if (!delivery) throw new HttpRtmError('NOT_FOUND', `No webhook event ${JSON.stringify(req.params.event_id)} in app "${req.params.appid}"'s log.`, 404);
      return { result: 'success', request_id: req.restRequestId, delivery: toBody(delivery, true) };
    });

    scope.post(`${base}/:event_id/retry`, { onRequest }, async (request) => {
      const req = request as LogRequest;
      const { appid } = req.params;
      const eventId = req.params.event_id ?? '';
      if (!(await options.store.redeliver(appid, eventId, options.now()))) {
        const existing = await options.store.get(appid, eventId);
        if (!existing) throw new HttpRtmError('NOT_FOUND', `No webhook event ${JSON.stringify(eventId)} in app "${appid}"'s log.`, 404);
        throw new HttpRtmError('INVALID_ARGUMENT', `Event ${eventId} is ${existing.status}; only failed events are sent again.`, 409);
      }
      options.wake?.();
      const delivery = await options.store.get(appid, eventId);
      return { result: 'success', request_id: req.restRequestId, delivery: toBody(delivery!, false) };
    });
  });
}

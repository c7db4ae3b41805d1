import type { FastifyBaseLogger } from 'fastify';
import type { ConfigFile, WebhookConfig } from '../config.js';
import type { WebhookStore } from '../storage/types.js';
import { WebhookDispatcher, type WebhookDispatchOptions } from './dispatcher.js';
import { WebhookRecorder } from './recorder.js';

export { classifyWebhookStatus, webhookRetryDelayMs, WebhookDispatcher, type WebhookDispatchOptions } from './dispatcher.js';
export { newEventId, type WebhookEvent, type WebhookEventData } from './events.js';
export { WebhookRecorder, type WebhookEvents } from './recorder.js';
export { registerWebhookRoutes } from './routes.js';
export { signWebhook, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, type VerifyWebhookOptions } from './signature.js';

/** The webhook of each app that has one in the config file. */
export function webhookTargets(config: ConfigFile | undefined): Map<string, WebhookConfig> {
  const targets = new Map<string, WebhookConfig>();
  for (const app of config?.apps ?? []) if (app.webhook) targets.set(app.id, app.webhook);
  return targets;
}

export interface Webhooks {
  /** What the gateway and the REST API call after a write. */
  events: WebhookRecorder;
  dispatcher: WebhookDispatcher;
}

/** The recorder and the dispatcher over one outbox; the recorder wakes the dispatcher. */
export function createWebhooks(options: {
  store: WebhookStore;
  targets: ReadonlyMap<string, WebhookConfig>;
  now: () => number;
  log: FastifyBaseLogger;
  dispatch?: WebhookDispatchOptions;
}): Webhooks {
  const { store, targets, now, log } = options;
  const dispatcher = new WebhookDispatcher({ ...options.dispatch, store, targets, now, log });
  const events = new WebhookRecorder({ store, targets, now, log, onRecorded: () => dispatcher.wake() });
  return { events, dispatcher };
}

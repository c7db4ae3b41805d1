import type { FastifyBaseLogger } from 'fastify';
import type { AppRegistry } from '../apps.js';
import type { ConversationStore, MediaStore, MessageStore } from '../storage/types.js';
import type { WebhookEvents } from '../webhooks/recorder.js';
import type { PresenceRouter } from './presence-router.js';
import type { ConnectionRateLimits } from './rate-limit.js';

/** Everything a frame handler may use; built once per server. */
export interface GatewayContext {
  apps: AppRegistry;
  messages: MessageStore;
  /** Channel membership, read and delivery markers, conversation lists. */
  conversations: ConversationStore;
  /** Media records, to check the ids IMAGE and FILE messages carry. */
  media: MediaStore;
  presence: PresenceRouter;
  /** The server clock (injectable for tests: offline expiry, token expiry, message times). */
  now: () => number;
  log: FastifyBaseLogger;
  loginDeadlineMs: number;
  /** Webhook events to record after a write (absent: no app has a webhook). */
  webhooks?: WebhookEvents;
  /** Per-connection rate limits; undefined = the protocol defaults, false = none (benchmarks). */
  rateLimits?: ConnectionRateLimits | false;
}

import type { FastifyBaseLogger } from 'fastify';
import type { AppRegistry } from '../apps.js';
import type { SendContext } from '../messaging/deliver.js';
import type { AttributeStore, ConversationStore, MediaStore } from '../storage/types.js';
import type { ConnectionRateLimits } from './rate-limit.js';

/**
 * Everything a frame handler may use; built once per server. The part that sends messages
 * (messages, presence, clock, webhooks) is the one the REST API shares.
 */
export interface GatewayContext extends SendContext {
  apps: AppRegistry;
  /** Channel membership, read and delivery markers, conversation lists. */
  conversations: ConversationStore;
  /** Media records, to check the ids IMAGE and FILE messages carry. */
  media: MediaStore;
  /** User and channel attributes. */
  attributes: AttributeStore;
  log: FastifyBaseLogger;
  loginDeadlineMs: number;
  /** Per-connection rate limits; undefined = the protocol defaults, false = none (benchmarks). */
  rateLimits?: ConnectionRateLimits | false;
}

import type { FastifyBaseLogger } from 'fastify';
import type { AppRegistry } from '../apps.js';
import type { MessageStore } from '../storage/types.js';
import type { Presence } from './presence.js';

/** Everything a frame handler may use; built once per server. */
export interface GatewayContext {
  apps: AppRegistry;
  messages: MessageStore;
  presence: Presence;
  /** The server clock (injectable for tests: offline expiry, token expiry, message times). */
  now: () => number;
  log: FastifyBaseLogger;
  loginDeadlineMs: number;
}

import type { Storage } from '../types.js';
import { createPostgresAttributeStore } from './attributes.js';
import { createPostgresAppStore } from './apps.js';
import { createPostgresConversationStore } from './conversations.js';
import { openPostgres, type PostgresOptions } from './database.js';
import { createPostgresHealthStore } from './health.js';
import { createPostgresMediaStore } from './media.js';
import { createPostgresMessageStore } from './messages.js';
import { createPostgresWebhookStore } from './webhooks.js';

/**
 * Storage on PostgreSQL (`RTM_DATABASE_URL=postgres://…`), for running more than one node on one
 * database. Opens a pool and migrates before resolving.
 */
export async function createPostgresStorage(url: string, options: PostgresOptions = {}): Promise<Storage> {
  const pool = await openPostgres(url, options);
  let closed = false;
  return {
    apps: createPostgresAppStore(pool),
    messages: createPostgresMessageStore(pool),
    conversations: createPostgresConversationStore(pool),
    health: createPostgresHealthStore(pool),
    media: createPostgresMediaStore(pool),
    attributes: createPostgresAttributeStore(pool),
    webhooks: createPostgresWebhookStore(pool),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

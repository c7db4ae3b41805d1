import type { Storage } from '../types.js';
import { createSqliteAppStore } from './apps.js';
import { createSqliteConversationStore } from './conversations.js';
import { openDatabase } from './database.js';
import { createSqliteHealthStore } from './health.js';
import { createSqliteMediaStore } from './media.js';
import { createSqliteMessageStore } from './messages.js';
import { createSqliteWebhookStore } from './webhooks.js';

/** The embedded default storage: one SQLite file in the data directory. */
export function createSqliteStorage(dataDir: string, now = Date.now()): Storage {
  const db = openDatabase(dataDir, now);
  return {
    apps: createSqliteAppStore(db),
    messages: createSqliteMessageStore(db),
    conversations: createSqliteConversationStore(db),
    health: createSqliteHealthStore(db),
    media: createSqliteMediaStore(db),
    webhooks: createSqliteWebhookStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}

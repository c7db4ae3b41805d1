import type { Storage } from '../types.js';
import { createSqliteAttributeStore } from './attributes.js';
import { createSqliteAppStore } from './apps.js';
import { createSqliteConversationStore } from './conversations.js';
import { openDatabase } from './database.js';
import { createGroupCommit } from './group-commit.js';
import { createSqliteHealthStore } from './health.js';
import { createSqliteMediaStore } from './media.js';
import { createSqliteMessageStore } from './messages.js';
import { createSqliteWebhookStore } from './webhooks.js';

/** The embedded default storage: one SQLite file in the data directory. */
export function createSqliteStorage(dataDir: string, now = Date.now()): Storage {
  const db = openDatabase(dataDir, now);
  // One queue for the hot-path writes of both stores: they share batches and stay in issue order.
  const writes = createGroupCommit(db);
  return {
    apps: createSqliteAppStore(db),
    messages: createSqliteMessageStore(db, writes),
    conversations: createSqliteConversationStore(db, writes),
    health: createSqliteHealthStore(db),
    media: createSqliteMediaStore(db),
    attributes: createSqliteAttributeStore(db, writes),
    webhooks: createSqliteWebhookStore(db),
    async close() {
      // Writes already issued commit (and their callers settle) before the file is closed.
      await writes.drain();
      if (db.open) db.close();
    },
  };
}

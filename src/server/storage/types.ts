import type { StoredMessage, WireMessage } from '../../protocol/index.js';

/**
 * Storage interfaces. The gateway and the HTTP routes only see these, so a PostgreSQL adapter can
 * replace the SQLite one without touching them; that is also why every method returns a Promise
 * even though better-sqlite3 is synchronous.
 */

/** An app: its id, REST credentials, token secret and the page origins allowed to use it. */
export interface AppRecord {
  id: string;
  restKey: string;
  restSecret: string;
  tokenSecret: string;
  /** Origins like `https://example.com`, or `'*'` for any. */
  allowedOrigins: string[];
  createdAt: number;
}

export interface AppStore {
  list(): Promise<AppRecord[]>;
  get(id: string): Promise<AppRecord | undefined>;
  /** Inserts the app, or replaces its credentials and origins (keeping `createdAt`). */
  upsert(app: AppRecord): Promise<void>;
  /** Inserts the app unless one with this id exists; true when it was inserted. */
  insertIfMissing(app: AppRecord): Promise<boolean>;
}

/** A message to store. The caller decides the conversation, ids, time and offline handling. */
export interface NewMessage {
  appId: string;
  /** Conversation key, see `messaging/conversations.ts`. */
  conv: string;
  id: string;
  ts: number;
  from: string;
  to?: string;
  channel?: string;
  cmid: string;
  message: WireMessage;
  /** What the ack will say; stored so a resend gets the same answer. */
  ack: { peerReceived: boolean; storedOffline: boolean };
  /** Keep it for `to` while they are offline (peer messages only). */
  offline?: { expiresAt: number; maxPerReceiver: number };
}

export interface StoreResult {
  message: StoredMessage;
  /** True when (app, sender, cmid) had been stored before; `message` is the original. */
  duplicate: boolean;
  ack: { peerReceived: boolean; storedOffline: boolean };
}

export interface HistoryPage {
  messages: StoredMessage[];
  hasMore: boolean;
}

export interface OfflineBatch {
  /** Opaque handles to pass to `deleteOffline` once the messages were delivered. */
  handles: number[];
  messages: StoredMessage[];
}

export interface MessageStore {
  /**
   * Stores a message atomically: idempotency lookup by (app, sender, cmid), next seq in the
   * conversation, and the offline copy (trimming the receiver's oldest beyond the cap and purging
   * expired ones). Resolves only after the commit. Rejects with INVALID_CLIENT_MESSAGE_ID when the
   * cmid was already used for another conversation.
   */
  store(input: NewMessage, now: number): Promise<StoreResult>;
  /** Newest first, only seq < beforeSeq when given. */
  history(appId: string, conv: string, limit: number, beforeSeq?: number): Promise<HistoryPage>;
  /** The receiver's unexpired offline messages, oldest first. Expired ones are purged. */
  offlineFor(appId: string, receiver: string, now: number): Promise<OfflineBatch>;
  deleteOffline(handles: number[]): Promise<void>;
  /** Deletes every expired offline message; returns how many. */
  purgeExpiredOffline(now: number): Promise<number>;
}

export interface HealthStore {
  /** Performs a real write; rejects when the database cannot be written. */
  checkWritable(now: number): Promise<void>;
}

export interface Storage {
  apps: AppStore;
  messages: MessageStore;
  health: HealthStore;
  close(): Promise<void>;
}

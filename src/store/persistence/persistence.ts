import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RtmMessage } from '../../client/index.js';
import type { ChatMessage } from '../chat-message.js';
import { compositeKey, type ConversationKey } from '../keys.js';

/** How many of a conversation's newest cached messages a mount shows before the server answers. */
const CACHED_PAGE = 100;

/** A text send not acknowledged yet; its `localId` is the client message id it is sent again with. */
export interface OutboxEntry {
  conversation: ConversationKey;
  localId: string;
  message: RtmMessage;
  createdAt: number;
}

interface Schema extends DBSchema {
  /** Stored (`sent`) messages: the serializable parts of ChatMessage (no Blob, no error). */
  messages: { key: [string, string]; value: ChatMessage; indexes: { seq: [string, number] } };
  outbox: { key: string; value: OutboxEntry };
  /** Per conversation: the change number its cached messages are up to date with (version 2). */
  cursors: { key: string; value: { conversation: ConversationKey; changeSeq: number } };
}

type Db = IDBPDatabase<Schema>;

/**
 * One user's chat cache in IndexedDB (database `rtm-chat <origin> <appId> <userId>`, so users and
 * servers never share one): the stored messages of each conversation and the outbox of text sends
 * made while offline. Every failure (no IndexedDB, private mode, a quota) is logged once and
 * answered as "nothing cached": the session then works from memory as before.
 */
export class Persistence {
  readonly #name: () => string;
  /** Opened on first use, so a session that never shows a conversation never opens it. */
  #db: Promise<Db | undefined> | undefined;
  /** Messages to write, by conversation + local id: written together once the current task ends. */
  readonly #queue = new Map<string, ChatMessage>();
  #flush: Promise<void> | undefined;
  /** The objects read from the cache: merging them back changes nothing, so they are not rewritten. */
  readonly #read = new WeakSet<ChatMessage>();
  #warned = false;

  /** `name` may throw (a bad server URL): that counts as IndexedDB being unavailable. */
  constructor(name: () => string) {
    this.#name = name;
  }

  #open(): Promise<Db | undefined> {
    return (this.#db ??= (async () =>
      openDB<Schema>(this.#name(), 2, {
        upgrade(db, oldVersion) {
          if (oldVersion < 1) {
            db.createObjectStore('messages', { keyPath: ['conversation', 'localId'] }).createIndex('seq', ['conversation', 'seq']);
            db.createObjectStore('outbox', { keyPath: 'localId' });
          }
          // Messages cached by version 1 have no cursor: their conversation catches up from the
          // server's history page as before (changes since are not known, so none are assumed).
          if (oldVersion < 2) db.createObjectStore('cursors', { keyPath: 'conversation' });
        },
        // A newer version in another tab: let it upgrade; this session goes on from memory.
        blocking: () => void this.close(),
      }))().catch((error: unknown) => this.#fail(error)));
  }

  /** The newest cached messages of a conversation, oldest first. */
  recent(conversation: ConversationKey): Promise<ChatMessage[]> {
    return this.#run([], async (db) => {
      const found: ChatMessage[] = [];
      const range = IDBKeyRange.bound([conversation, 0], [conversation, Infinity]);
      let cursor = await db.transaction('messages').store.index('seq').openCursor(range, 'prev');
      for (; cursor && found.length < CACHED_PAGE; cursor = await cursor.continue()) found.unshift(cursor.value);
      for (const message of found) this.#read.add(message);
      return found;
    });
  }

  /**
   * Queues a stored message for writing; the queue is written in one transaction per task. A
   * transient message is never written: it exists in memory only.
   */
  save(message: ChatMessage): void {
    if (message.status !== 'sent' || message.transient || this.#read.has(message)) return;
    this.#queue.set(compositeKey(message.conversation, message.localId), serializable(message));
    this.#flush ??= new Promise<void>((resolve) => setTimeout(resolve)).then(() => {
      const batch = [...this.#queue.values()];
      this.#queue.clear();
      this.#flush = undefined;
      return this.#run(undefined, async (db) => {
        const tx = db.transaction('messages', 'readwrite');
        for (const message of batch) void tx.store.put(message);
        await tx.done;
      });
    });
  }

  /** The change number the conversation's cached messages are up to date with; undefined when unknown. */
  changeCursor(conversation: ConversationKey): Promise<number | undefined> {
    return this.#run(undefined, async (db) => (await db.get('cursors', conversation))?.changeSeq);
  }

  /** Records that the cached messages are up to date with the changes up to `changeSeq` (after the queued writes). */
  setChangeCursor(conversation: ConversationKey, changeSeq: number): Promise<void> {
    return this.#run(undefined, async (db) => {
      await this.#flush;
      await db.put('cursors', { conversation, changeSeq });
    });
  }

  /**
   * Rewrites a cached message with its changed copy (an edit, a retraction: the old content must
   * not stay on disk); a message that is not cached stays uncached.
   */
  replaceIfCached(message: ChatMessage): Promise<void> {
    return this.#run(undefined, async (db) => {
      const tx = db.transaction('messages', 'readwrite');
      const cached = await tx.store.index('seq').get([message.conversation, message.seq ?? -1]);
      if (cached) await tx.store.put(serializable({ ...message, localId: cached.localId }));
      await tx.done;
    });
  }

  /** Deletes the cached message with this seq (deleted for this user). */
  forget(conversation: ConversationKey, seq: number): Promise<void> {
    return this.#run(undefined, async (db) => {
      const tx = db.transaction('messages', 'readwrite');
      const key = await tx.store.index('seq').getKey([conversation, seq]);
      if (key) await tx.store.delete(key);
      await tx.done;
    });
  }

  /** Every pending send, oldest first. */
  outbox(): Promise<OutboxEntry[]> {
    return this.#run([], async (db) => (await db.getAll('outbox')).sort((a, b) => a.createdAt - b.createdAt));
  }

  /** Keeps a send until `unqueue`; resolves once it is written (or could not be). */
  enqueue(entry: OutboxEntry): Promise<void> {
    return this.#run(undefined, async (db) => void (await db.put('outbox', entry)));
  }

  unqueue(localId: string): Promise<void> {
    return this.#run(undefined, (db) => db.delete('outbox', localId));
  }

  /** Writes what is queued, then closes the database. */
  async close(): Promise<void> {
    await this.#flush;
    const db = this.#db;
    this.#db = undefined;
    (await db)?.close();
  }

  async #run<T>(fallback: T, use: (db: Db) => Promise<T>): Promise<T> {
    try {
      const db = await this.#open();
      return db ? await use(db) : fallback;
    } catch (error) {
      this.#fail(error);
      return fallback;
    }
  }

  #fail(error: unknown): undefined {
    if (!this.#warned) console.warn('rtm-chat: IndexedDB unavailable, keeping chat history in memory only.', error);
    this.#warned = true;
    return undefined;
  }
}

/** The name of a user's database: per server origin, app and user. */
export function databaseName(server: string, appId: string, userId: string): string {
  return `rtm-chat ${new URL(server).origin} ${appId} ${userId}`;
}

/** A copy IndexedDB can store: no error object, and no thumbnail Blob (the attachment keeps its data: URL). */
function serializable(chat: ChatMessage): ChatMessage {
  const { error: _error, ...rest } = chat;
  if (!('thumbnail' in chat.message)) return rest;
  const { thumbnail: _thumbnail, ...message } = chat.message;
  return { ...rest, message: message as RtmMessage };
}

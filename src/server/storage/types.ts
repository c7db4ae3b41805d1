import type { Readable, Writable } from 'node:stream';
import type {
  AttributeOwner,
  AttributeWrite,
  ConversationState,
  MemberReadState,
  MessageChange,
  StoredMessage,
  WireTextMessage,
} from '../../protocol/index.js';

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
export interface NewMessage extends Omit<StoredMessage, 'seq'> {
  appId: string;
  /** Conversation key, see `messaging/conversations.ts`. */
  conv: string;
  /**
   * What the ack will say; stored so a resend gets the same answer. `peerReceived` on a peer
   * message also moves the receiver's delivery marker to the new message (it is being sent to an
   * open connection of theirs).
   */
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
  /** The conversation's newest change number when the page was read. */
  changeSeq: number;
}

/** A change to apply to one stored message (see {@link MessageStore.change}). */
export type MessageUpdate =
  | { kind: 'retract' }
  /** `editor`: the editing user's id, or '' for the app's backend (REST, Basic auth). */
  | { kind: 'edit'; editor: string; cmid: string; message: WireTextMessage }
  | { kind: 'reaction'; uid: string; emoji: string; add: boolean }
  | { kind: 'delete'; uid: string };

/** A stored message found by id, with the conversation it belongs to. */
export interface FoundMessage {
  conv: string;
  message: StoredMessage;
}

export interface ChangeResult {
  /** The message after the change (for `delete`, as it was). */
  message: StoredMessage;
  /** False when the update changed nothing (a repeat: idempotent); no change number was used. */
  changed: boolean;
  /** The change number given to this change (the message's current one when `changed` is false). */
  changeSeq: number;
}

export interface SearchQuery {
  query: string;
  /** One conversation; absent: every conversation of the viewer. */
  conv?: string;
  types?: readonly string[];
  /** ms since the epoch: `after` ≤ ts < `before`. */
  after?: number;
  before?: number;
  /** From the previous page: only older results. */
  cursor?: number;
  limit: number;
}

export interface SearchPage {
  hits: { message: StoredMessage; text: string }[];
  hasMore: boolean;
  cursor?: number;
}

export interface MessageSearch {
  search(appId: string, viewer: string, query: SearchQuery): Promise<SearchPage>;
}

export interface ChangesPage {
  /** Ascending change number. */
  changes: MessageChange[];
  hasMore: boolean;
  /** Ask from here next time (the newest change number read, or the conversation's newest). */
  changeSeq: number;
}

export interface SyncPage {
  /** Ascending seq. */
  messages: StoredMessage[];
  /** The conversation's newest change number when the page was read. */
  changeSeq: number;
  /** Newer messages follow the last one returned. */
  hasMore: boolean;
  /** The caller was too far behind (or ahead): `messages` are the newest page instead. */
  reset: boolean;
}

export interface OfflineBatch {
  /** Opaque handles to pass to `deleteOffline` once the messages were delivered. */
  handles: number[];
  messages: StoredMessage[];
}

export interface MessageStore {
  /**
   * Stores a message atomically: idempotency lookup by (app, sender, cmid), next seq in the
   * conversation, for peer messages the conversation as one of the sender's and the receiver's
   * (unread counts and the conversation list come from there, whatever path stored the message)
   * and the receiver's delivery marker when `ack.peerReceived`, and the offline copy (trimming the
   * receiver's oldest beyond the cap and purging expired ones). Resolves only after the commit. Rejects with INVALID_CLIENT_MESSAGE_ID when the
   * cmid was already used for another conversation.
   */
  store(input: NewMessage, now: number): Promise<StoreResult>;
  /** Newest first, only seq < beforeSeq when given; leaves out what `viewer` deleted for themself. */
  history(appId: string, conv: string, viewer: string, limit: number, beforeSeq?: number): Promise<HistoryPage>;
  /**
   * Messages with seq > afterSeq, ascending, at most `limit`. When more than `maxGap` messages
   * follow afterSeq, or afterSeq is beyond the newest message (the server lost what the client
   * has), the newest `limit` messages instead (ascending), with `reset: true`.
   */
  sync(appId: string, conv: string, viewer: string, afterSeq: number, limit: number, maxGap: number): Promise<SyncPage>;
  /** The message with this server id, unless `viewer` deleted it for themself. */
  find(appId: string, messageId: string, viewer?: string): Promise<FoundMessage | undefined>;
  /**
   * Applies one update in one transaction and gives it the conversation's next change number.
   * Rejects with MESSAGE_NOT_FOUND (no such message, or deleted for the acting user),
   * MESSAGE_RETRACTED (an edit or a reaction on a retracted message) and INVALID_REACTION (one
   * emoji more than MAX_REACTIONS_PER_MESSAGE). Who may do what is the caller's business.
   * Retracting replaces the body with the retracted placeholder and drops reactions; a repeat of
   * a retract, of an applied edit (same editor and cmid), of a reaction state or of a delete
   * changes nothing (`changed: false`).
   */
  change(appId: string, messageId: string, update: MessageUpdate, now: number): Promise<ChangeResult>;
  /** Messages of `viewer`'s conversations (or of `query.conv`) matching every word of the query, newest first. */
  search: MessageSearch['search'];
  /** Changes visible to `viewer` after `afterChangeSeq`, ascending, at most `limit`. */
  changes(appId: string, conv: string, viewer: string, afterChangeSeq: number, limit: number): Promise<ChangesPage>;
  /** The receiver's unexpired offline messages, oldest first. Expired ones are purged. */
  offlineFor(appId: string, receiver: string, now: number): Promise<OfflineBatch>;
  deleteOffline(handles: number[]): Promise<void>;
  /** Deletes every expired offline message; returns how many. */
  purgeExpiredOffline(now: number): Promise<number>;
}

/** Where a user's read marker of one conversation stands after `markRead`. */
export interface ReadResult {
  readSeq: number;
  /** The marker went up (false: it was already there or further). */
  moved: boolean;
  /** Messages from others after the marker in this conversation. */
  unread: number;
  /** Unread messages over all the user's conversations. */
  totalUnread: number;
}

/**
 * A conversation as one user sees it (`conversationOf` in `messaging/conversations.ts` builds it):
 * its key, its kind, and the other user's id (the user themself for notes to self) or the channel.
 */
export interface UserConversation {
  conv: string;
  kind: 'peer' | 'channel';
  target: string;
}

/**
 * Persistent channel membership, read and delivery markers, and the per-user conversation list with
 * unread counts. Everything is per app. Unread counts are computed from the stored messages, so
 * they hold for any path that stores through {@link MessageStore.store}, after restarts and for
 * users who were offline.
 */
export interface ConversationStore {
  /**
   * Makes `uid` a member of `channel`; true when they were not one. A new member's read marker
   * moves up to the channel's newest message (history before joining is not "unread").
   */
  join(appId: string, channel: string, uid: string, now: number): Promise<boolean>;
  /** Ends the membership; true when there was one. The read marker is kept. */
  leave(appId: string, channel: string, uid: string): Promise<boolean>;
  isMember(appId: string, channel: string, uid: string): Promise<boolean>;
  /** Every member with their read marker, sorted by uid. */
  channelReadStates(appId: string, channel: string): Promise<MemberReadState[]>;
  /**
   * Moves the read marker to max(current, min(seq, newest seq)); for a peer conversation the
   * delivery marker follows it (what was read was delivered).
   */
  markRead(appId: string, uid: string, conversation: UserConversation, seq: number): Promise<ReadResult>;
  /** Moves `uid`'s delivery marker up to `seq`; the new marker when it moved, else undefined. */
  markDelivered(appId: string, uid: string, conversation: UserConversation, seq: number): Promise<number | undefined>;
  /** The user's conversations (newest activity first) and the unread total. */
  list(appId: string, uid: string): Promise<{ conversations: ConversationState[]; totalUnread: number }>;
  /**
   * Deletes a conversation for `uid` only: read up to its newest message and off their list until
   * a newer one arrives; `withHistory` also clears every message up to it from their history,
   * sync, changes and search. The other side keeps everything. Returns the cleared seq (0: none).
   */
  deleteConversation(
    appId: string,
    uid: string,
    conversation: UserConversation,
    withHistory: boolean,
  ): Promise<{ clearedSeq: number; totalUnread: number }>;
}

export interface HealthStore {
  /** Performs a real write; rejects when the database cannot be written. */
  checkWritable(now: number): Promise<void>;
}

/** An uploaded media object's metadata (the bytes live in {@link MediaObjects}). */
export interface MediaRecord {
  mediaId: string;
  appId: string;
  /** User id of the uploader. */
  uploader: string;
  size: number;
  /** Declared type, normalized (`type/subtype`, lowercase). */
  contentType: string;
  /** From the image header, when it is a JPEG, PNG, GIF, BMP or WebP. */
  width?: number;
  height?: number;
  /** SHA-256 of the bytes, base64url: the strong ETag. */
  sha256: string;
  uploadedAt: number;
  expiresAt: number;
}

export interface MediaStore {
  /** Records an object whose bytes are already committed to {@link MediaObjects}. */
  insert(record: MediaRecord): Promise<void>;
  /** The record, expired or not (callers compare `expiresAt` with their clock). */
  get(mediaId: string): Promise<MediaRecord | undefined>;
  /** Ids of records with `expiresAt <= now`, oldest first, at most `limit`. */
  listExpired(now: number, limit: number): Promise<string[]>;
  /** Which of `mediaIds` have a record (expired or not). */
  existing(mediaIds: readonly string[]): Promise<Set<string>>;
  /** Deletes these records; returns how many existed. */
  delete(mediaIds: readonly string[]): Promise<number>;
}

/**
 * A new object being written. Nothing is visible under its id until `commit()` resolves; `abort()`
 * (or a failed commit) leaves nothing behind. Exactly one of the two must be called.
 */
export interface MediaWriter {
  /** Where the bytes go; honours backpressure (`write()` returning false, then 'drain'). */
  readonly stream: Writable;
  /** Flushes the bytes to stable storage and publishes them under the id. */
  commit(): Promise<void>;
  /** Discards what was written. Safe to call after a failed commit, and more than once. */
  abort(): Promise<void>;
}

/**
 * The bytes of media objects, by media id (a local directory today; an S3-like bucket later).
 * Ids are server-generated `[A-Za-z0-9_-]` strings: user file names never reach the store.
 */
export interface MediaObjects {
  create(mediaId: string): Promise<MediaWriter>;
  /**
   * Opens an object for reading, optionally the inclusive byte range `start..end`. Resolves once
   * the object is known to exist; rejects with an error whose `code` is `'ENOENT'` when it does not.
   */
  read(mediaId: string, range?: { start: number; end: number }): Promise<Readable>;
  /** Deletes an object; a missing one is not an error. */
  delete(mediaId: string): Promise<void>;
  /**
   * Deletes leftovers of writes that never committed (a crash mid-upload) whose bytes were last
   * written before `writtenBefore` (ms since the epoch, wall clock). Younger ones are left alone:
   * with a store shared by several nodes they may be another node's upload in progress. Returns how
   * many were removed.
   */
  removeIncomplete(writtenBefore: number): Promise<number>;
  /**
   * Committed object ids whose bytes were last written before `writtenBefore` (for finding objects
   * whose record was never written; a younger one's record may be being inserted by another node).
   * Objects deleted meanwhile are skipped, not errors.
   */
  list(writtenBefore: number): AsyncIterable<string>;
}

/** Where a webhook event stands: waiting for an attempt, delivered (a 2xx), or given up. */
export type WebhookEventStatus = 'pending' | 'delivered' | 'failed';

/** A webhook event to put in the outbox (see `webhooks/events.ts` for the payload). */
export interface NewWebhookEvent {
  /** `evt_…`, unique. */
  id: string;
  appId: string;
  type: string;
  /** The exact JSON body to POST. */
  payload: string;
  /**
   * Makes recording idempotent: a second event of the app with the same key is not stored (a
   * resent message records its `message.sent` again). Omit for events that cannot repeat.
   */
  dedupeKey?: string;
  createdAt: number;
}

/** One delivery attempt of a webhook event. */
export interface WebhookAttempt {
  /** 1 for the first. */
  attempt: number;
  startedAt: number;
  durationMs: number;
  /** The receiver's HTTP status, when it answered. */
  statusCode?: number;
  /** Why there was no answer (timeout, connection refused, …), or why a status is not success. */
  error?: string;
}

/** An outbox row: the event, its delivery state and summary. */
export interface WebhookDelivery {
  /** Storage handle (the dispatcher's in-flight key). */
  pk: number;
  id: string;
  appId: string;
  type: string;
  payload: string;
  createdAt: number;
  status: WebhookEventStatus;
  /** Attempts made so far. */
  attempts: number;
  /** When a pending event is due (meaningless once it is finished). */
  nextAttemptAt: number;
  lastAttemptAt?: number;
  lastStatusCode?: number;
  lastError?: string;
  deliveredAt?: number;
}

/** A delivery with its attempts, oldest first: the delivery log of one event. */
export interface WebhookDeliveryLog extends WebhookDelivery {
  log: WebhookAttempt[];
}

/** What an attempt led to: `delivered`, `failed` (given up), or `pending` again at `nextAttemptAt`. */
export interface WebhookAttemptOutcome extends WebhookAttempt {
  status: WebhookEventStatus;
  nextAttemptAt: number;
}

/** Whether a node holds an app's dispatch lease after asking for it, and for how much longer. */
export interface WebhookDispatchLease {
  /** True: the asking node holds it (taken, renewed or taken over from an expired holder). */
  held: boolean;
  /** Ms until the lease expires: the asker's own, or the other holder's (when to ask again). */
  expiresInMs: number;
}

/**
 * The durable webhook outbox and its delivery log. Events are recorded right after the write that
 * caused them and delivered by a background dispatcher, so pending ones survive restarts.
 */
export interface WebhookStore {
  /** Adds a pending event due now; false when its `dedupeKey` was recorded before for the app. */
  enqueue(event: NewWebhookEvent): Promise<boolean>;
  /** The app's pending events, soonest `nextAttemptAt` first (due or not), at most `limit`. */
  pending(appId: string, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Takes, renews or takes over (when the holder's has expired) the right to dispatch the app's
   * events for `ttlMs`, for `holder` (a dispatcher's id). Atomic across nodes sharing the
   * database: at most one holder at a time. Expiry is judged by the database's clock where it
   * has one of its own (PostgreSQL), so nodes whose clocks differ still agree.
   */
  acquireDispatchLease(appId: string, holder: string, ttlMs: number): Promise<WebhookDispatchLease>;
  /** Gives the app's lease up if `holder` holds it (it ran out of work, or stops). */
  releaseDispatchLease(appId: string, holder: string): Promise<void>;
  /** Records an attempt and its outcome (one transaction: log row + event summary). */
  recordAttempt(pk: number, outcome: WebhookAttemptOutcome): Promise<void>;
  /**
   * The app's events with their logs, newest first, optionally of one status and older than the
   * event `beforeId` (the cursor: the last id of the previous page).
   */
  list(
    appId: string,
    query: { status?: WebhookEventStatus; limit: number; beforeId?: string },
  ): Promise<{ deliveries: WebhookDeliveryLog[]; hasMore: boolean }>;
  /** One event of the app with its log. */
  get(appId: string, eventId: string): Promise<WebhookDeliveryLog | undefined>;
  /**
   * Makes a failed event of the app pending and due at `now` (an operator's "send it again"); false
   * when there is no such failed event. Its attempts go on counting from where they stopped.
   */
  redeliver(appId: string, eventId: string, now: number): Promise<boolean>;
  /** Deletes delivered and failed events whose last attempt is older than `before`; returns how many. */
  prune(before: number): Promise<number>;
  /**
   * Replaces the message in the app's recorded `message.sent` and `message.edited` events of this
   * message (pending or logged) with `message` — a retraction takes the content out of the outbox
   * and the delivery log too. Returns how many events were rewritten.
   */
  redactMessage(appId: string, messageId: string, message: StoredMessage): Promise<number>;
}

/** Whose attributes: a user's own, or a channel's. */
export interface AttributeOwnerRef {
  kind: AttributeOwner;
  /** The user id or the channel name. */
  id: string;
}

/** One stored attribute, with who set it last and when (ms since the epoch). */
export interface StoredAttribute {
  key: string;
  value: string;
  updatedBy: string;
  updatedAt: number;
}

/** User and channel attributes (protocol/attributes.ts has the rules). */
export interface AttributeStore {
  /** The owner's attributes (all, or those of `keys` that exist), by key order. */
  read(appId: string, owner: AttributeOwnerRef, keys?: readonly string[]): Promise<StoredAttribute[]>;
  /**
   * Applies `write` by user `by`, checked against the owner's limits in the same transaction (two
   * writers take turns, so a limit holds). Resolves with the owner's attributes after it; rejects
   * with TOO_MANY_ATTRIBUTES or ATTRIBUTES_TOO_LARGE, having changed nothing.
   */
  write(appId: string, owner: AttributeOwnerRef, write: AttributeWrite, by: string, now: number): Promise<StoredAttribute[]>;
}

export interface Storage {
  apps: AppStore;
  messages: MessageStore;
  conversations: ConversationStore;
  health: HealthStore;
  media: MediaStore;
  attributes: AttributeStore;
  /** The webhook outbox; an adapter without one cannot send webhooks (the server says so at start). */
  webhooks?: WebhookStore;
  close(): Promise<void>;
}

import type { ReadableAtom } from 'nanostores';
import type { RtmClientOptions, WebSocketConstructor } from '../client/index.js';
import type { MessageType, PeerStatus, RtmError } from '../protocol/index.js';
import type { ChatMessage } from './chat-message.js';
import type { ConversationSummary } from './conversation-list.js';
import type { ChatStoreListener, ConnectionSnapshot } from './events.js';
import type { ConversationKey, ConversationKind } from './keys.js';
import type { ChannelReaders } from './live/readers.js';
import type { ChatInvitation } from './live/invitations.js';
import type { ChatProfile, ChatProfileUpdate } from './live/profiles.js';
import type { ChatReceipt } from './receipts.js';
import type { ChatDownload, TransferSnapshot } from './transfer.js';

/** Options of {@link createChatSession}. */
export interface ChatSessionOptions {
  /** The http(s) base URL of the rtm-chat server. */
  server: string;
  appId: string;
  /** The user this session signs in as. */
  userId: string;
  /** A token for `userId`. Used when there is no `tokenProvider`. */
  token?: string;
  /** Called for a token at every `start()`; takes precedence over `token`. */
  tokenProvider?: () => Promise<string>;
  /** A WebSocket constructor (a wrapper in tests, or a Worker's). Default: the global one. */
  WebSocket?: WebSocketConstructor;
  /** Transport settings passed to the client (for tests, or a shorter give-up time). */
  client?: Pick<RtmClientOptions, 'logFilter' | 'reconnectGiveUpMs' | 'sendTimeoutMs'>;
  /**
   * Share one connection among this user's tabs on this origin (default true, where the browser
   * has Web Locks and BroadcastChannel): one tab holds the socket, the others go through it, and
   * another takes over when it closes. `false` gives this session a socket of its own.
   */
  shareConnection?: boolean;
  /**
   * This user's display name and avatar URL, written to their user attributes (PROFILE_ATTRIBUTES)
   * at every sign-in, so other users' views show them; '' removes one.
   */
  profile?: ChatProfileUpdate;
}

/**
 * One signed-in user's chat state over one transport client: connection, conversation list, and
 * the messages of each conversation, plus the actions the views call. Views never see the client.
 * Stored messages and the offline outbox are kept in IndexedDB, one database per server origin,
 * app and user; without IndexedDB (private mode, a Worker without it) it all stays in memory.
 */
/** What `search` looks for: words, in one conversation (`key`) or all, of some types, in a time range. */
export interface ChatSearchQuery {
  query: string;
  key?: ConversationKey;
  types?: MessageType[];
  after?: number;
  before?: number;
  /** From the previous page, for older results. */
  cursor?: number;
  limit?: number;
}

/** One page of `search`: each message with the text that matched and the ranges to highlight. */
export interface ChatSearchPage {
  results: { message: ChatMessage; text: string; highlights: [number, number][] }[];
  hasMore: boolean;
  cursor?: number;
}

/** Options of `send`. */
export interface SendOptions {
  /** The stored message of the same conversation this one replies to (it shows as a quote). */
  replyTo?: ChatMessage;
  /** User ids mentioned (`@uid`). */
  mentions?: readonly string[];
  /** `@all`, in a channel. */
  mentionAll?: boolean;
  /**
   * Deliver it to whoever is connected now and keep it nowhere (seed 003 `noSaveOffline`): the
   * message has `transient: true`, lives in this session's memory only (never in IndexedDB, not
   * even in the offline outbox), has no `seq`, and is never the conversation's preview or unread.
   * Editing, retracting, reacting to or replying to it fails (MESSAGE_NOT_FOUND, INVALID_REPLY).
   */
  transient?: boolean;
  /**
   * Default true. `false`: `receiptsOf(key)` gives it no delivered or read state, on every device
   * of this user (the message carries `needReadReceipt: false`), so views show just "sent".
   */
  needReadReceipt?: boolean;
}

export interface ChatSession {
  /** The session's user id. */
  readonly userId: string;
  /** The connection state (`IDLE` until `start()`). */
  readonly $connection: ReadableAtom<ConnectionSnapshot>;
  /**
   * This user's conversations, most recently active first: loaded from the server at every
   * (re)connect — peer conversations with any message and the channels the user is a member of,
   * including those with no message loaded in this session — with unread counts and read
   * markers, then kept current by messages, read markers (this tab's and other tabs'), receipts
   * and presence.
   */
  readonly $conversations: ReadableAtom<readonly ConversationSummary[]>;
  /** Unread messages over every conversation (an `unread` event announces each change). */
  readonly $totalUnread: ReadableAtom<number>;
  /** The key of a conversation: `peer:<id>` or `channel:<name>`. */
  conversationKey(kind: ConversationKind, id: string): ConversationKey;
  /**
   * The messages of a conversation (the same atom for the same key). Mounting it shows the newest
   * messages cached in IndexedDB at once (when available), then joins a channel
   * (membership lasts: the channel stays in `$conversations` and keeps counting unread after the
   * view closes) and loads the latest history page; after every reconnect a mounted conversation
   * catches up on what it missed (`syncMessages` after its newest message, or the newest page when
   * it is too far behind).
   */
  messagesOf(key: ConversationKey): ReadableAtom<readonly ChatMessage[]>;
  /**
   * Loads the page of history before the oldest message shown (infinite scroll upward); resolves
   * `false` once the beginning of the conversation is reached. One page at a time: a call while one
   * is loading shares it. Needs the conversation mounted (`messagesOf(key)` subscribed).
   */
  loadOlder(key: ConversationKey): Promise<boolean>;
  /**
   * Marks the conversation read up to its newest loaded message (no-op when already read that
   * far). The view decides when: the newest message is visible and the page visible and focused.
   * The unread count drops at once; the server's answer and other tabs follow.
   */
  markRead(key: ConversationKey): void;
  /**
   * The receipts of this user's stored messages in a conversation, by local id, kept current:
   * peer messages `sent`, `delivered` (reached a device of the peer) or `read` (the peer's read
   * marker passed it); channel messages with who of the other members has read them and who not.
   * Mounting it for a channel mounts `readersOf(key)`, which loads the members' read markers.
   * Views subscribe to this rather than asking `receiptOf` per message while rendering.
   */
  receiptsOf(key: ConversationKey): ReadableAtom<ReadonlyMap<string, ChatReceipt>>;
  /**
   * For one of this user's sent peer messages, now: `read` once the peer's read marker passed it,
   * `delivered` once it reached a device of the peer, else `sent`. Undefined for other messages.
   * Reads the current state without subscribing (views use `receiptsOf`).
   */
  receiptOf(key: ConversationKey, message: ChatMessage): 'sent' | 'delivered' | 'read' | undefined;
  /**
   * A channel's members with their read markers: mounting it loads them (after every reconnect
   * too) and follows their changes. Undefined until loaded, and for peer conversations.
   */
  readersOf(key: ConversationKey): ReadableAtom<ChannelReaders | undefined>;
  /**
   * For this user's channel messages, now: how many members other than the sender have read it,
   * of how many. Needs `readersOf(key)` (or `receiptsOf(key)`) mounted; undefined otherwise.
   */
  readCount(key: ConversationKey, message: ChatMessage): { read: number; of: number } | undefined;
  /** The ids of the users typing in a conversation now; each disappears when their notice expires. */
  $typingOf(key: ConversationKey): ReadableAtom<readonly string[]>;
  /**
   * Leaves a channel for good: the membership ends, so it leaves `$conversations` and stops
   * counting unread (showing its messages again joins it again). Rejects with the RtmError.
   */
  leave(key: ConversationKey): Promise<void>;
  /** Tells the conversation this user is typing; call it on every input (it is throttled). */
  typing(key: ConversationKey): void;
  /** A user's online status: mounting it subscribes, unmounting unsubscribes. Undefined until known. */
  presenceOf(userId: string): ReadableAtom<PeerStatus | undefined>;
  /**
   * Display names and avatars by user id, of the users asked for with `loadProfiles` (from their
   * user attributes, fetched once per sign-in). A user not in the map, or without a name, shows
   * as their user id.
   */
  readonly $profiles: ReadableAtom<ReadonlyMap<string, ChatProfile>>;
  /** Call invitations to this user waiting for an answer, oldest first (Agora's RemoteInvitation). */
  readonly $invitations: ReadableAtom<readonly ChatInvitation[]>;
  /**
   * Accepts or refuses a waiting invitation, with an optional response for the caller; it leaves
   * `$invitations` at once, and an `invitation` event says how it ended (accepted once the
   * caller's side confirmed: start the call then).
   */
  answerInvitation(id: string, accept: boolean, response?: string): void;
  /** Fetches the profiles of users a view shows (each once per sign-in). */
  loadProfiles(userIds: Iterable<string>): void;
  /**
   * Changes this user's display name or avatar ('' removes one; an error event and a rejection
   * for a value user attributes refuse); others see it at their next fetch.
   */
  setProfile(update: ChatProfileUpdate): Promise<void>;
  /**
   * Where a "New" divider goes: the seq of the first message from others that was unread when the
   * conversation was opened (mounted), kept while it stays open; messages arriving after that do
   * not move it, nor does marking read. Before the messages there are loaded it is the read marker
   * + 1 when something was unread. Undefined when nothing was unread, and until the conversation
   * list is loaded. Mounting it mounts `messagesOf(key)`.
   */
  firstUnreadOf(key: ConversationKey): ReadableAtom<number | undefined>;
  /** The current value of `firstUnreadOf(key)`, without subscribing. */
  firstUnreadSeq(key: ConversationKey): number | undefined;
  /**
   * Signs in (token from `tokenProvider`, else `token`). Idempotent while signing in or signed in;
   * after the connection ended it signs in again. Rejects with the login's RtmError, which also
   * lands in `$connection.error` and as an `error` event.
   */
  start(): Promise<void>;
  /**
   * Signs out, detaches from the client and closes the IndexedDB cache: no listeners, no timers
   * remain. `start()` may follow.
   */
  stop(): Promise<void>;
  /**
   * Sends a text message. Throws the RtmError synchronously, adding nothing, when `validateDraft`
   * refuses it. Otherwise adds a `sending` message at once and resolves with it once `sent` or
   * `failed` (never rejects: a failure is the message's `error` and an `error` event). Sent while
   * offline, it is kept in an IndexedDB outbox until acknowledged: the next `start()` (after a
   * reload, say) shows it as `sending` and sends it again with the same client message id, so
   * the server stores it once. Files are not kept: an upload does not survive a reload. A
   * `transient` message is not kept either: sent while offline, it waits in memory only.
   */
  send(key: ConversationKey, text: string, options?: SendOptions): Promise<ChatMessage>;
  /**
   * Sends a failed message again with the same client message id (the server stores it once);
   * a message whose upload failed uploads again first. Resolves like `send`; rejects with
   * INVALID_ARGUMENT when there is no such own message.
   */
  retry(key: ConversationKey, localId: string): Promise<ChatMessage>;
  /**
   * Retracts one of this user's sent messages (within 3 minutes of sending): it shows as
   * retracted here and for everyone. Rejects with the RtmError (RETRACT_WINDOW_PASSED,
   * NOT_MESSAGE_SENDER, …); the message is unchanged then.
   */
  retract(message: ChatMessage): Promise<void>;
  /** Replaces the text of one of this user's sent TEXT messages (shown as edited). Rejects with the RtmError. */
  edit(message: ChatMessage, text: string): Promise<void>;
  /** Adds this user's reaction with `emoji`, or removes it when they already reacted with it. Rejects with the RtmError. */
  toggleReaction(message: ChatMessage, emoji: string): Promise<void>;
  /** Deletes a stored message for this user only, on every device (the others keep it). Rejects with the RtmError. */
  deleteForMe(message: ChatMessage): Promise<void>;
  /**
   * Forwards a stored message to another conversation (a channel must be joined): its content as a
   * new message of this user, media by id without uploading again. Resolves with the new message
   * once stored (it shows in `to` then); rejects with the RtmError.
   */
  forward(message: ChatMessage, to: ConversationKey): Promise<ChatMessage>;
  /**
   * Deletes a conversation for this user only (seeds 002, 003): off `$conversations` until a newer
   * message arrives; with `history: true` its messages so far are gone from every device of the
   * user (and this cache). Rejects with the RtmError.
   */
  deleteConversation(key: ConversationKey, options?: { history?: boolean }): Promise<void>;
  /**
   * Searches this user's messages on the server (seed 002): every word of `query`, Chinese
   * included, newest first, with the ranges to highlight. Rejects with the RtmError.
   */
  search(query: ChatSearchQuery): Promise<ChatSearchPage>;
  /** Why `text` cannot be sent to `key` (MESSAGE_EMPTY, MESSAGE_TOO_LARGE, INVALID_USER_ID, …), or undefined. */
  validateDraft(key: ConversationKey, text: string): RtmError | undefined;
  /**
   * Why each file cannot be sent to `key`, without uploading anything: MEDIA_EMPTY,
   * MEDIA_TOO_LARGE (over 30 MB), INVALID_FILE_NAME, or the key's error; undefined for a good one.
   */
  validateFiles(key: ConversationKey, files: readonly File[]): (RtmError | undefined)[];
  /**
   * Sends files: each becomes its own message at once (status `uploading`, with an `attachment`),
   * uploads (images as IMAGE with pixel size and a generated thumbnail, shown as a local preview
   * as soon as it exists; `video/*` as VIDEO with its duration, pixel size and a poster frame
   * made in the browser (the local preview; none when the browser cannot decode the video);
   * `audio/*` as AUDIO with its duration; an audio or video file whose duration the browser cannot
   * read goes as FILE instead; everything else as FILE), then is sent (peers: kept offline too).
   * Follow an upload with `transferOf(localId)`. Throws the first RtmError of `validateFiles`
   * synchronously, adding nothing. A failed upload or send leaves the message `failed` (`retry`).
   */
  sendFiles(key: ConversationKey, files: readonly File[]): ChatMessage[];
  /**
   * Sends a voice message (AUDIO) whose duration the caller measured: MediaRecorder's WebM has no
   * usable duration header, so the recorder times it. Like `sendFiles` for one file: the message
   * exists at once (`uploading`, its `attachment` carrying `durationMs`), uploads, then is sent;
   * a failed or cancelled upload stays `failed` for `retry`. A Blob is named `voice`. Throws,
   * adding nothing: INVALID_MESSAGE unless `durationMs` is an integer from 1 to
   * MAX_MEDIA_DURATION_MS, and the errors of `validateFiles`.
   *
   * @example
   * recorder.onstop = () => session.sendVoice(key, new Blob(chunks, { type: recorder.mimeType }), Date.now() - startedAt);
   */
  sendVoice(key: ConversationKey, voice: Blob, durationMs: number): ChatMessage;
  /** The upload of an own message (by local id): undefined until it starts, kept after it ends. */
  transferOf(localId: string): ReadableAtom<TransferSnapshot | undefined>;
  /**
   * Cancels the upload of an own message: it becomes `failed` with error CANCELLED (`retry`
   * uploads again). No effect once the upload finished.
   */
  cancelUpload(key: ConversationKey, localId: string): void;
  /** Downloads a media object, with progress and cancel. */
  download(mediaId: string): ChatDownload;
  /**
   * A signed URL of a media object for `<img src>` or a link (`fileName` names a saved file);
   * cached until shortly before it expires.
   */
  mediaUrl(mediaId: string, fileName?: string): Promise<string>;
  /** Listens to store events (incoming messages, unread total, errors, connection changes); returns the unsubscribe. */
  subscribe(listener: ChatStoreListener): () => void;
}

import { atom, onMount, type ReadableAtom, type WritableAtom } from 'nanostores';
import {
  ConnectionState,
  checkMediaSize,
  type ChannelMessageProps,
  type ConversationTarget,
  createClientMessageId,
  createInstance,
  thumbnailDataUrl,
  type RtmChannel,
  type RtmClient,
  type RtmClientEvents,
  type RtmClientOptions,
  type RtmFileMessage,
  type RtmImageMessage,
  type RtmMessage,
  type ReceivedMessage,
  type WebSocketConstructor,
  shareConnection,
  type SharedConnection,
} from '../client/index.js';
import {
  INLINE_IMAGE_TYPES,
  MEDIA_URL_TTL_MS,
  RtmError,
  TOKEN_RENEW_MIN_INTERVAL_MS,
  checkChannelName,
  checkFileName,
  checkUserId,
  normalizeMediaType,
  parseWireMessage,
  type PeerStatus,
  type ReadState,
} from '../protocol/index.js';
import { attachmentOf, historyChatMessage, storedChatMessage, textOf, type ChatMessage } from './chat-message.js';
import { ConversationMessages } from './conversation.js';
import { ConversationList, type ConversationSummary } from './conversation-list.js';
import { StoreEvents, type ChatStoreListener, type ConnectionSnapshot } from './events.js';
import { conversationKey, parseConversationKey, type ConversationKey, type ConversationKind } from './keys.js';
import { Persistence, databaseName } from './persistence/persistence.js';
import { PresenceState, ReadersState, TypingState, type ChannelReaders, type LiveHost } from './live-state.js';
import type { ChatDownload, TransferSnapshot } from './transfer.js';
import { TokenRetry } from './token-retry.js';

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
}

/**
 * One signed-in user's chat state over one transport client: connection, conversation list, and
 * the messages of each conversation, plus the actions the views call. Views never see the client.
 * Stored messages and the offline outbox are kept in IndexedDB, one database per server origin,
 * app and user; without IndexedDB (private mode, a Worker without it) it all stays in memory.
 */
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
   * For this user's sent peer messages: `read` once the peer's read marker passed it, `delivered`
   * once it reached a device of the peer, else `sent`. Undefined for other messages.
   */
  receiptOf(key: ConversationKey, message: ChatMessage): 'sent' | 'delivered' | 'read' | undefined;
  /**
   * A channel's members with their read markers: mounting it loads them (after every reconnect
   * too) and follows their changes. Undefined until loaded, and for peer conversations.
   */
  readersOf(key: ConversationKey): ReadableAtom<ChannelReaders | undefined>;
  /**
   * For this user's channel messages: how many members other than the sender have read it, of
   * how many. Needs `readersOf(key)` mounted; undefined otherwise.
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
   * The seq of the first message from others after the read marker the conversation had when it
   * was opened (mounted), for a "New" divider that stays while the conversation is open. Before
   * the messages there are loaded it is the marker + 1 when something is unread; read it again
   * when the messages change.
   */
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
   * the server stores it once. Files are not kept: an upload does not survive a reload.
   */
  send(key: ConversationKey, text: string): Promise<ChatMessage>;
  /**
   * Sends a failed message again with the same client message id (the server stores it once);
   * a message whose upload failed uploads again first. Resolves like `send`; rejects with
   * INVALID_ARGUMENT when there is no such own message.
   */
  retry(key: ConversationKey, localId: string): Promise<ChatMessage>;
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
   * as soon as it exists; everything else as FILE), then is sent (peers: kept offline too).
   * Follow an upload with `transferOf(localId)`. Throws the first RtmError of `validateFiles`
   * synchronously, adding nothing. A failed upload or send leaves the message `failed` (`retry`).
   */
  sendFiles(key: ConversationKey, files: readonly File[]): ChatMessage[];
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

/**
 * Creates a chat session. Nothing happens on the network until `start()`.
 *
 * @example
 * const session = createChatSession({ server: 'https://chat.example.com', appId: 'demo', userId: 'alice', token });
 * await session.start();
 * const $messages = session.messagesOf(session.conversationKey('peer', 'bob'));
 * $messages.subscribe((messages) => render(messages));
 * session.send('peer:bob', 'hello');
 */
export function createChatSession(options: ChatSessionOptions): ChatSession {
  return new Session(options);
}

interface Mounted {
  /** The history page before the oldest message, while it loads. */
  older?: Promise<boolean>;
  /** Set once a page came back with nothing older. */
  reachedStart?: boolean;
  /** Whether the history page was loaded; from then on reconnects catch up with syncMessages. */
  loaded: boolean;
  /** The read marker when the conversation was opened (for `firstUnreadSeq`), once known. */
  openedReadSeq?: number;
  /** Settles once the cached messages are shown: the server's answers merge into them after. */
  cached?: Promise<void>;
}

class Session implements ChatSession {
  readonly userId: string;
  readonly #options: ChatSessionOptions;
  readonly #$connection = atom<ConnectionSnapshot>({ state: 'IDLE' });
  readonly #events = new StoreEvents();
  readonly #list = new ConversationList((total) => this.#events.emit({ type: 'unread', total }));
  /** Whether $conversations came from the server at least once. */
  #listLoaded = false;
  readonly #conversations = new Map<ConversationKey, ConversationMessages>();
  readonly #mounted = new Map<ConversationKey, Mounted>();
  /** Channels whose events this session listens to (shown or listed), with the detaching function. */
  readonly #followed = new Map<ConversationKey, () => void>();
  readonly #live: LiveHost = {
    client: () => {
      const state = this.#active ? this.#client?.connectionState : undefined;
      return state === ConnectionState.DISCONNECTED || state === ConnectionState.ABORTED ? undefined : this.#client;
    },
    connected: () => this.#active && this.#client?.connectionState === ConnectionState.CONNECTED,
    error: (error, key, background) => {
      if (!background || !lostConnection(error)) this.#error(error, key);
    },
  };
  readonly #typing = new TypingState();
  readonly #presence = new PresenceState(this.#live);
  readonly #readers = new ReadersState(this.#live);
  #client: RtmClient | undefined;
  /** The connection shared with this user's other tabs, when sharing. */
  #shared: SharedConnection | undefined;
  /** Leaves the leader election (handing the socket over when this tab leads). */
  #leaveElection: (() => void) | undefined;
  #starting: Promise<void> | undefined;
  /** Whether the session is started (listeners attached); false before start and after stop. */
  #active = false;
  /** The token request of a start() in progress, retried while the provider fails. */
  #tokenRetry: TokenRetry | undefined;
  /** The token request of a renewal in progress (the token expires soon, or did). */
  #renewal: TokenRetry | undefined;
  #renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last renewal ended (Date.now()). */
  #renewedAt = 0;
  #renewAgain = false;
  /** Bumped by stop(), so a start() still waiting for its token does not log in afterwards. */
  #generation = 0;
  #detachClient: (() => void) | undefined;
  /** Files of own messages not uploaded yet (kept for retry), by local id. */
  readonly #files = new Map<string, File>();
  readonly #uploads = new Map<string, AbortController>();
  readonly #transfers = new Map<string, WritableAtom<TransferSnapshot | undefined>>();
  readonly #urls = new Map<string, { url: Promise<string>; renewAt: number }>();
  readonly #cache: Persistence;
  /** Local ids of this session's sends that are in the outbox (removed from it once acked). */
  readonly #queued = new Set<string>();
  /** Local ids of the sends waiting for their ack. */
  readonly #inFlight = new Set<string>();

  constructor(options: ChatSessionOptions) {
    this.#options = options;
    this.userId = options.userId;
    this.#cache = new Persistence(() => databaseName(options.server, options.appId, options.userId));
  }

  get $connection(): ReadableAtom<ConnectionSnapshot> {
    return this.#$connection;
  }

  get $conversations(): ReadableAtom<readonly ConversationSummary[]> {
    return this.#list.$list;
  }

  get $totalUnread(): ReadableAtom<number> {
    return this.#list.$total;
  }

  conversationKey(kind: ConversationKind, id: string): ConversationKey {
    return conversationKey(kind, id);
  }

  messagesOf(key: ConversationKey): ReadableAtom<readonly ChatMessage[]> {
    return this.#conversation(key).$messages;
  }

  subscribe(listener: ChatStoreListener): () => void {
    return this.#events.subscribe(listener);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    const generation = this.#generation;
    const starting = this.#login(generation).catch((error: unknown) => {
      const rtmError = asRtmError(error, 'INVALID_TOKEN');
      if (this.#starting === starting) this.#starting = undefined;
      if (generation === this.#generation) {
        const { state, reason } = this.#$connection.get();
        // Failures before the client tried (bad server URL, no token, the token provider kept
        // failing) leave no state behind.
        const failedEarly =
          state === 'IDLE' ||
          state === ConnectionState.CONNECTING ||
          (state === ConnectionState.RECONNECTING && this.#client?.connectionState === ConnectionState.DISCONNECTED);
        this.#$connection.set(
          failedEarly
            ? { state: ConnectionState.DISCONNECTED, reason: 'LOGIN_FAILURE', error: rtmError }
            : { state, reason, error: rtmError },
        );
        this.#events.emit({ type: 'error', error: rtmError });
      }
      throw rtmError;
    });
    this.#starting = starting;
    return starting;
  }

  async #login(generation: number): Promise<void> {
    const client = this.#ensureClient();
    this.#attach(client);
    const outbox = this.#restoreOutbox();
    const { tokenProvider, token } = this.#options;
    let fresh = token;
    if (tokenProvider) {
      const retry = new TokenRetry(tokenProvider, () => {
        if (generation === this.#generation) this.#$connection.set({ state: ConnectionState.RECONNECTING, reason: 'INTERRUPTED' });
      });
      this.#tokenRetry = retry;
      try {
        fresh = await retry.fetch();
      } finally {
        if (this.#tokenRetry === retry) this.#tokenRetry = undefined;
      }
    }
    if (generation !== this.#generation) throw new RtmError('CANCELLED', 'The session was stopped.');
    if (typeof fresh !== 'string' || fresh.length === 0) {
      throw new RtmError('INVALID_TOKEN', 'No token: pass a token or a tokenProvider.');
    }
    const login = client.login({ uid: this.userId, token: fresh });
    this.#leaveElection ??= this.#shared?.elect(() => void this.#takeOverOutbox());
    this.#presence.resume();
    // Logging in: the client holds requests until connected, so the outbox can go out now.
    void outbox.then((chats) => chats.forEach((chat) => void this.#transmit(chat.conversation, chat)));
    await login;
  }

  async stop(): Promise<void> {
    this.#generation++;
    this.#tokenRetry?.cancel();
    this.#renewal?.cancel();
    clearTimeout(this.#renewTimer);
    this.#starting = undefined;
    this.#detach();
    this.#typing.clear();
    this.#presence.clear();
    await this.#client?.logout();
    this.#leaveElection?.();
    this.#leaveElection = undefined;
    await this.#cache.close();
    this.#$connection.set({ state: 'IDLE' });
  }

  /** The client, created on first use: a bad server URL surfaces as start()'s rejection. */
  #ensureClient(): RtmClient {
    if (!this.#client) {
      const { server, appId, userId, WebSocket, client, shareConnection: share = true } = this.#options;
      const own = WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
      this.#shared = share && own ? shareConnection(`${server} ${appId} ${userId}`, own) : undefined;
      this.#client = createInstance(appId, {
        ...client,
        server,
        WebSocket: this.#shared?.WebSocket ?? WebSocket,
      });
    }
    return this.#client;
  }

  /** Listens to the client (once per start) and to the channels of mounted conversations. */
  #attach(client: RtmClient): void {
    if (this.#active) return;
    this.#active = true;
    const listeners: Partial<RtmClientEvents> = {
      ConnectionStateChanged: (state, reason) => this.#onConnection(state, reason),
      MessageFromPeer: (message, peerId, props) => {
        this.#receive(conversationKey('peer', peerId), message, { ...props, from: peerId }, true);
      },
      MessageSynced: (message, props) => {
        const key = props.channelId !== undefined ? conversationKey('channel', props.channelId) : conversationKey('peer', props.peerId ?? '');
        this.#receive(key, message, { ...props, from: this.userId }, false);
      },
      OfflineMessagesReceived: ({ peerId, messages }) => this.#receiveBatch(conversationKey('peer', peerId), messages),
      ReadStateChanged: (state) => this.#onRead(state),
      MessageReceipt: ({ kind, peerId, seq }) => this.#list.receipt(conversationKey('peer', peerId), kind, seq),
      ChannelReadStateChanged: ({ channelId, memberId, readSeq }) =>
        this.#readers.read(conversationKey('channel', channelId), memberId, readSeq),
      TypingStarted: ({ from, channelId, expiresInMs }) => {
        const key = channelId !== undefined ? conversationKey('channel', channelId) : conversationKey('peer', from);
        this.#typing.started(key, from, expiresInMs);
      },
      TokenPrivilegeWillExpire: () => this.#renewToken(false),
      TokenExpired: () => this.#renewToken(true),
      PeersOnlineStatusChanged: (status) => {
        this.#presence.changed(status);
        for (const [uid, value] of Object.entries(status)) this.#list.online(conversationKey('peer', uid), value === 'ONLINE');
      },
    };
    for (const [event, listener] of Object.entries(listeners)) client.on(event as keyof RtmClientEvents, listener as never);
    this.#detachClient = () => {
      for (const [event, listener] of Object.entries(listeners)) client.off(event as keyof RtmClientEvents, listener as never);
    };
    for (const key of this.#mounted.keys()) this.#follow(key);
    for (const { key } of this.#list.$list.get()) this.#follow(key);
  }

  /**
   * The token expires soon (or did): asks the tokenProvider for a new one, retrying while it fails,
   * and hands it to the client, which renews the live connection (or reconnects with it). While the
   * token is still valid, renewals are at least TOKEN_RENEW_MIN_INTERVAL_MS apart. Without a
   * provider the session ends when the token expires (reason TOKEN_EXPIRED).
   */
  #renewToken(expired: boolean): void {
    const provider = this.#options.tokenProvider;
    if (!provider) return;
    // A warning during a renewal: the new token expires soon too; renew again after the interval.
    if (this.#renewal) {
      this.#renewAgain = true;
      return;
    }
    clearTimeout(this.#renewTimer);
    const wait = expired ? 0 : this.#renewedAt + TOKEN_RENEW_MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.#renewTimer = setTimeout(() => this.#renewToken(false), wait);
      return;
    }
    const renewal = new TokenRetry(provider, () => {});
    this.#renewal = renewal;
    renewal
      .fetch()
      .then((token) => this.#client?.renewToken(token))
      .catch((error: unknown) => this.#active && this.#error(error))
      .finally(() => {
        this.#renewedAt = Date.now();
        if (this.#renewal !== renewal) return;
        this.#renewal = undefined;
        if (this.#renewAgain && this.#active) this.#renewToken(false);
        this.#renewAgain = false;
      });
  }

  #detach(): void {
    this.#active = false;
    this.#detachClient?.();
    this.#detachClient = undefined;
    for (const detach of this.#followed.values()) detach();
    this.#followed.clear();
  }

  #onConnection(state: ConnectionState, reason: string): void {
    this.#$connection.set({ state, reason });
    this.#events.emit({ type: 'connection', state, reason });
    if (state === ConnectionState.CONNECTED) {
      // After the first login and after every reconnect: catch up on what was missed meanwhile.
      void this.#loadConversations();
      this.#readers.reload();
      for (const key of this.#mounted.keys()) void this.#load(key);
    } else if (state === ConnectionState.DISCONNECTED || state === ConnectionState.ABORTED) {
      // The connection ended; the next start() signs in again.
      this.#starting = undefined;
      if (reason === 'TOKEN_EXPIRED') {
        this.#error(new RtmError('TOKEN_EXPIRED', 'The token expired and was not renewed: give the session a tokenProvider.'));
      }
    }
  }

  // ---- conversations --------------------------------------------------------------------------

  #conversation(key: ConversationKey): ConversationMessages {
    let conversation = this.#conversations.get(key);
    if (!conversation) {
      conversation = new ConversationMessages(key, (message) => this.#cache.save(message));
      this.#conversations.set(key, conversation);
      onMount(conversation.$messages, () => {
        this.#mount(key);
        return () => this.#unmount(key);
      });
    }
    return conversation;
  }

  #mount(key: ConversationKey): void {
    const mounted: Mounted = { loaded: false };
    if (this.#listLoaded) mounted.openedReadSeq = this.#list.get(key)?.readSeq ?? 0;
    this.#mounted.set(key, mounted);
    mounted.cached = this.#cache.recent(key).then((cached) => {
      if (this.#mounted.get(key) !== mounted || cached.length === 0) return;
      const conversation = this.#conversation(key);
      conversation.upsert(...cached);
      this.#list.touch(conversation);
    });
    if (this.#active) this.#follow(key);
    if (this.#client?.connectionState === ConnectionState.CONNECTED) void this.#load(key);
  }

  #unmount(key: ConversationKey): void {
    // A channel stays joined: membership lasts, and the list keeps counting its unread messages.
    this.#mounted.delete(key);
  }

  /** The client's target of a key (undefined for a key that is not one). */
  #target(key: ConversationKey): ConversationTarget | undefined {
    const parsed = parseConversationKey(key);
    if (!parsed) return undefined;
    return parsed.kind === 'peer' ? { peerId: parsed.id } : { channelId: parsed.id };
  }

  /** The channel object of a channel key (undefined for peers, bad names, or no client yet). */
  #channelOf(key: ConversationKey): RtmChannel | undefined {
    const parsed = parseConversationKey(key);
    if (!this.#client || parsed?.kind !== 'channel' || checkChannelName(parsed.id)) return undefined;
    return this.#client.createChannel(parsed.id);
  }

  /** Listens to a channel's messages and joins while the session is started (channels only). */
  #follow(key: ConversationKey): void {
    const channel = this.#channelOf(key);
    if (!channel || !this.#active || this.#followed.has(key)) return;
    const onMessage = (message: RtmMessage, memberId: string, props: ChannelMessageProps) => {
      this.#receive(key, message, { ...props, from: memberId }, true);
    };
    const onJoined = (memberId: string) => this.#readers.joined(key, memberId);
    channel.on('ChannelMessage', onMessage).on('MemberJoined', onJoined);
    this.#followed.set(key, () => channel.off('ChannelMessage', onMessage).off('MemberJoined', onJoined));
  }

  /** Loads the conversation list from the server; follows (and joins) its channels. */
  async #loadConversations(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      const { conversations } = await client.getConversations();
      if (!this.#active || client !== this.#client) return;
      this.#list.load(
        conversations.map(({ kind, id, lastMessage, lastSeq, readSeq, unread, peerReadSeq, peerDeliveredSeq }) => {
          const key = conversationKey(kind, id);
          return {
            key,
            lastMessage: lastMessage && historyChatMessage(key, lastMessage, this.userId),
            lastSeq,
            readSeq,
            unread,
            peerReadSeq,
            peerDeliveredSeq,
          };
        }),
        (key) => this.#conversations.get(key)?.last,
      );
      this.#listLoaded = true;
      for (const [key, mounted] of this.#mounted) mounted.openedReadSeq ??= this.#list.get(key)?.readSeq ?? 0;
      for (const { key, kind } of this.#list.$list.get()) {
        if (kind !== 'channel') continue;
        this.#follow(key);
        this.#channelOf(key)
          ?.join()
          .catch((error: unknown) => this.#active && !lostConnection(error) && this.#error(error, key));
      }
    } catch (error) {
      if (this.#active && client === this.#client && !lostConnection(error)) this.#error(error);
    }
  }

  loadOlder(key: ConversationKey): Promise<boolean> {
    const mounted = this.#mounted.get(key);
    const client = this.#client;
    const target = this.#target(key);
    if (!mounted || !client || !target || mounted.reachedStart) return Promise.resolve(false);
    if (mounted.older) return mounted.older;
    const conversation = this.#conversation(key);
    const beforeSeq = conversation.minSeq;
    if (beforeSeq === 1) {
      mounted.reachedStart = true;
      return Promise.resolve(false);
    }
    const older = (async () => {
      try {
        const page = await client.getHistory(beforeSeq > 0 ? { ...target, beforeSeq } : target);
        if (this.#mounted.get(key) !== mounted) return false;
        conversation.upsert(...page.messages.map((received) => historyChatMessage(key, received, this.userId)));
        if (!page.hasMore) mounted.reachedStart = true;
        return page.hasMore;
      } catch (error) {
        if (this.#active && !lostConnection(error)) this.#error(error, key);
        return true;
      } finally {
        mounted.older = undefined;
      }
    })();
    mounted.older = older;
    return older;
  }

  /**
   * Brings a mounted conversation up to date: joins a channel, then loads the newest history page
   * the first time, or catches up after the newest message it has (after a reconnect).
   */
  async #load(key: ConversationKey): Promise<void> {
    const mounted = this.#mounted.get(key);
    const client = this.#client;
    const target = this.#target(key);
    if (!mounted || !client || !target) return;
    const stale = () => this.#mounted.get(key) !== mounted;
    const chatsOf = (messages: ReceivedMessage[]) => messages.map((received) => historyChatMessage(key, received, this.userId));
    const conversation = this.#conversation(key);
    try {
      if (target.channelId !== undefined) {
        await client.createChannel(target.channelId).join();
        // A member now: listed even before anyone writes.
        if (this.#active) this.#list.ensure(key);
      }
      if (stale()) return;
      if (!mounted.loaded) {
        const page = await client.getHistory(target);
        // Asked for at once, applied after the cache so it reconciles with what the cache showed.
        await mounted.cached;
        if (stale()) return;
        const chats = chatsOf(page.messages);
        const known = conversation.maxSeq;
        // A page that does not reach back to what was here would leave a hole: start from it.
        if (page.hasMore && known > 0 && chats.length > 0 && chats[0]!.seq! > known + 1) conversation.reset(chats);
        else conversation.upsert(...chats);
        mounted.loaded = true;
        this.#list.touch(conversation);
        return;
      }
      let afterSeq = conversation.maxSeq;
      for (;;) {
        const page = await client.syncMessages({ ...target, afterSeq });
        if (stale()) return;
        const chats = chatsOf(page.messages);
        if (page.reset) conversation.reset(chats);
        else conversation.upsert(...chats);
        this.#list.touch(conversation, chats);
        const last = chats.at(-1)?.seq ?? afterSeq;
        if (page.reset || !page.hasMore || last <= afterSeq) return;
        afterSeq = last;
      }
    } catch (error) {
      if (!stale() && this.#active && !lostConnection(error)) this.#error(error, key);
    }
  }

  /** A pushed message (from someone else, or our own from another tab). */
  #receive(
    key: ConversationKey,
    message: RtmMessage,
    stored: { from: string; messageId: string; seq: number; serverReceivedTs: number; clientMessageId: string },
    notify: boolean,
  ): void {
    const conversation = this.#conversation(key);
    const chat = storedChatMessage(key, message, stored, this.userId);
    const added = conversation.upsert(chat);
    this.#list.touch(conversation, [chat]);
    this.#typing.stopped(key, stored.from);
    if (notify) for (const chat of added) this.#events.emit({ type: 'message', conversation: key, message: chat });
  }

  /** The offline messages of one peer conversation, applied at once (seed 003). */
  #receiveBatch(key: ConversationKey, messages: ReceivedMessage[]): void {
    const conversation = this.#conversation(key);
    const chats = messages.map((received) => historyChatMessage(key, received, this.userId));
    const added = conversation.upsert(...chats);
    this.#list.touch(conversation, chats);
    for (const chat of added) this.#events.emit({ type: 'message', conversation: key, message: chat });
  }

  /** This user's read marker moved (here or in another tab). */
  #onRead(state: ReadState): void {
    const key = conversationKey(state.kind, state.id);
    this.#list.read(key, state.readSeq, state.unread);
    if (state.kind === 'channel') this.#readers.read(key, this.userId, state.readSeq);
  }

  // ---- read state, receipts, typing, presence ---------------------------------------------------

  markRead(key: ConversationKey): void {
    const client = this.#client;
    const target = this.#target(key);
    const seq = this.#conversations.get(key)?.maxSeq ?? 0;
    if (!client || !this.#active || !target || seq === 0 || seq <= (this.#list.get(key)?.readSeq ?? 0)) return;
    this.#list.markedRead(key, seq);
    client.markRead({ ...target, seq }).catch((error: unknown) => this.#active && this.#error(error, key));
  }

  receiptOf(key: ConversationKey, message: ChatMessage): 'sent' | 'delivered' | 'read' | undefined {
    if (!key.startsWith('peer:') || !message.own || message.status !== 'sent' || message.seq === undefined) return undefined;
    const { peerReadSeq = 0, peerDeliveredSeq = 0 } = this.#list.get(key) ?? {};
    return message.seq <= peerReadSeq ? 'read' : message.seq <= peerDeliveredSeq ? 'delivered' : 'sent';
  }

  readersOf(key: ConversationKey): ReadableAtom<ChannelReaders | undefined> {
    return this.#readers.$of(key);
  }

  readCount(key: ConversationKey, message: ChatMessage): { read: number; of: number } | undefined {
    const members = this.#readers.peek(key)?.members;
    const seq = message.seq;
    if (!members || !message.own || seq === undefined || !key.startsWith('channel:')) return undefined;
    const others = members.filter((member) => member.uid !== message.from);
    return { read: others.filter((member) => member.readSeq >= seq).length, of: others.length };
  }

  leave(key: ConversationKey): Promise<void> {
    const channel = this.#channelOf(key);
    if (!channel) {
      const why = `${JSON.stringify(key)} is not a channel, or the session never started.`;
      return Promise.reject(new RtmError('INVALID_ARGUMENT', why));
    }
    this.#followed.get(key)?.();
    this.#followed.delete(key);
    this.#list.remove(key);
    return channel.leave();
  }

  $typingOf(key: ConversationKey): ReadableAtom<readonly string[]> {
    return this.#typing.$of(key);
  }

  typing(key: ConversationKey): void {
    const target = this.#target(key);
    if (!this.#active || !target) return;
    // Best effort: a lost typing notice (or one the client refuses, for a bad id) is not worth an error.
    this.#client?.sendTypingIndicator(target).catch(() => {});
  }

  presenceOf(userId: string): ReadableAtom<PeerStatus | undefined> {
    return this.#presence.$of(userId);
  }

  firstUnreadSeq(key: ConversationKey): number | undefined {
    const summary = this.#list.get(key);
    const baseline = this.#mounted.get(key)?.openedReadSeq ?? (this.#listLoaded ? (summary?.readSeq ?? 0) : undefined);
    if (baseline === undefined) return undefined;
    const stored = (this.#conversations.get(key)?.$messages.value ?? []).filter((m) => m.seq !== undefined);
    // The loaded messages answer only when they reach back to the marker.
    if (stored.length > 0 && stored[0]!.seq! <= baseline + 1) return stored.find((m) => !m.own && m.seq! > baseline)?.seq;
    return summary && summary.unread > 0 ? baseline + 1 : undefined;
  }

  // ---- sending --------------------------------------------------------------------------------

  #checkKey(key: ConversationKey): RtmError | undefined {
    const parsed = parseConversationKey(key);
    if (!parsed) {
      return new RtmError('INVALID_ARGUMENT', `${JSON.stringify(key)} is not a conversation key like "peer:bob" or "channel:lobby".`);
    }
    return parsed.kind === 'peer' ? checkUserId(parsed.id, 'Peer id') : checkChannelName(parsed.id);
  }

  validateDraft(key: ConversationKey, text: string): RtmError | undefined {
    const badKey = this.#checkKey(key);
    if (badKey) return badKey;
    try {
      parseWireMessage({ type: 'TEXT', text });
    } catch (error) {
      return asRtmError(error, 'INVALID_MESSAGE');
    }
    return undefined;
  }

  send(key: ConversationKey, text: string): Promise<ChatMessage> {
    const invalid = this.validateDraft(key, text);
    if (invalid) throw invalid;
    const message: RtmMessage = { messageType: 'TEXT', text };
    const chat: ChatMessage = {
      localId: createClientMessageId(),
      conversation: key,
      from: this.userId,
      own: true,
      text: textOf(message),
      message,
      ts: Date.now(),
      status: 'sending',
    };
    const conversation = this.#conversation(key);
    conversation.upsert(chat);
    this.#list.touch(conversation);
    return this.#transmit(key, chat);
  }

  /**
   * Shows the outbox (sends a closed page left unacknowledged) as `sending` messages, to be sent
   * again with the same client message ids once logging in: the server stores each once, even
   * when an earlier attempt reached it. Only text survives a reload: a file still uploading is
   * lost with the page.
   */
  async #restoreOutbox(): Promise<ChatMessage[]> {
    const chats: ChatMessage[] = [];
    for (const { conversation: key, localId, message, createdAt } of await this.#cache.outbox()) {
      const conversation = this.#conversation(key);
      const known = conversation.get(this.userId, localId);
      if (known?.status === 'sent') void this.#cache.unqueue(localId);
      if (known?.status === 'sent' || this.#inFlight.has(localId)) continue;
      this.#queued.add(localId);
      const chat: ChatMessage = {
        localId,
        conversation: key,
        from: this.userId,
        own: true,
        text: textOf(message),
        message,
        ts: known?.ts ?? createdAt,
        status: 'sending',
      };
      if (known) conversation.update(this.userId, localId, () => chat);
      else conversation.upsert(chat);
      this.#list.touch(conversation);
      chats.push(chat);
    }
    return chats;
  }

  /**
   * This tab became the one holding the shared connection: sends what a closed leader tab left in
   * the outbox (each message has its client id, so one another tab is sending too is stored once).
   */
  async #takeOverOutbox(): Promise<void> {
    const chats = (await this.#restoreOutbox()).filter((chat) => !this.#inFlight.has(chat.localId));
    for (const chat of chats) void this.#transmit(chat.conversation, chat);
  }

  retry(key: ConversationKey, localId: string): Promise<ChatMessage> {
    const conversation = this.#conversations.get(key);
    const known = conversation?.get(this.userId, localId);
    if (!conversation || !known) {
      return Promise.reject(new RtmError('INVALID_ARGUMENT', `No own message ${JSON.stringify(localId)} in ${key}.`));
    }
    if (known.status !== 'failed') return Promise.resolve(known);
    if (this.#files.has(localId)) {
      conversation.update(this.userId, localId, (m) => withoutError({ ...m, status: 'uploading' }));
      this.#list.touch(conversation);
      return this.#upload(key, localId);
    }
    const sending = conversation.update(this.userId, localId, (m) => withoutError({ ...m, status: 'sending' }))!;
    this.#list.touch(conversation);
    return this.#transmit(key, sending);
  }

  // ---- files ----------------------------------------------------------------------------------

  validateFiles(key: ConversationKey, files: readonly File[]): (RtmError | undefined)[] {
    const badKey = this.#checkKey(key);
    return Array.from(files, (file) => badKey ?? checkMediaSize(file.size) ?? checkFileName(file.name));
  }

  sendFiles(key: ConversationKey, files: readonly File[]): ChatMessage[] {
    const invalid = this.validateFiles(key, files).find(Boolean);
    if (invalid) throw invalid;
    const conversation = this.#conversation(key);
    const chats = Array.from(files, (file): ChatMessage => {
      // Only raster types a browser shows inline are images; SVG and the rest go as files.
      const mimeType = normalizeMediaType(file.type) ?? '';
      const message: RtmImageMessage | RtmFileMessage = {
        messageType: INLINE_IMAGE_TYPES.includes(mimeType) ? 'IMAGE' : 'FILE',
        mediaId: '',
        size: file.size,
        fileName: file.name,
        description: '',
        mimeType,
        thumbnailWidth: 0,
        thumbnailHeight: 0,
      };
      const localId = createClientMessageId();
      this.#files.set(localId, file);
      return {
        localId,
        conversation: key,
        from: this.userId,
        own: true,
        text: undefined,
        message,
        attachment: attachmentOf(message),
        ts: Date.now(),
        status: 'uploading',
      };
    });
    conversation.upsert(...chats);
    this.#list.touch(conversation);
    for (const chat of chats) void this.#upload(key, chat.localId);
    return chats;
  }

  transferOf(localId: string): ReadableAtom<TransferSnapshot | undefined> {
    return this.#transferAtom(localId);
  }

  #transferAtom(localId: string): WritableAtom<TransferSnapshot | undefined> {
    let $transfer = this.#transfers.get(localId);
    if (!$transfer) this.#transfers.set(localId, ($transfer = atom<TransferSnapshot | undefined>(undefined)));
    return $transfer;
  }

  cancelUpload(_key: ConversationKey, localId: string): void {
    this.#uploads.get(localId)?.abort();
  }

  /** Uploads the file of an own `uploading` message, then sends it; settles its status. */
  async #upload(key: ConversationKey, localId: string): Promise<ChatMessage> {
    const conversation = this.#conversation(key);
    const file = this.#files.get(localId)!;
    const update = (change: (m: ChatMessage) => ChatMessage): ChatMessage => {
      const updated = conversation.update(this.userId, localId, change)!;
      this.#list.touch(conversation);
      return updated;
    };
    const controller = new AbortController();
    this.#uploads.set(localId, controller);
    const $transfer = this.#transferAtom(localId);
    const progress = (state: TransferSnapshot['state'], currentSize: number, totalSize = file.size): TransferSnapshot => ({
      direction: 'upload',
      state,
      currentSize,
      totalSize,
    });
    $transfer.set(progress('queued', 0));
    try {
      const client = this.#client;
      if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
      const pending = conversation.get(this.userId, localId)!.message as RtmImageMessage | RtmFileMessage;
      const message = await client.createMediaMessageByUploading(
        file,
        { messageType: pending.messageType, fileName: file.name },
        {
          cancelSignal: controller.signal,
          onOperationProgress: (p) => $transfer.set(progress('active', p.currentSize, p.totalSize)),
          // The local preview: the thumbnail the message will carry, shown while the upload runs.
          onThumbnail: ({ thumbnail, width, height, thumbnailWidth, thumbnailHeight }) =>
            update((m) =>
              m.status === 'uploading' && m.attachment
                ? {
                    ...m,
                    attachment: {
                      ...m.attachment,
                      width,
                      height,
                      thumbnailWidth,
                      thumbnailHeight,
                      thumbnailUrl: thumbnailDataUrl({ thumbnail }),
                    },
                  }
                : m,
            ),
        },
      );
      $transfer.set(progress('done', file.size));
      this.#files.delete(localId);
      return this.#transmit(key, update((m) => ({ ...m, message, attachment: attachmentOf(message), status: 'sending' })));
    } catch (caught) {
      const error = asRtmError(caught, 'INTERNAL_ERROR');
      const cancel = error.reason === 'CANCELLED';
      const last = $transfer.get();
      $transfer.set({ ...progress(cancel ? 'cancelled' : 'failed', last?.currentSize ?? 0), error });
      // Cancelling is the user's own doing, and after stop() nobody is listening.
      if (this.#active && !cancel) this.#error(error, key);
      return update((m) => ({ ...m, status: 'failed', error }));
    } finally {
      if (this.#uploads.get(localId) === controller) this.#uploads.delete(localId);
    }
  }

  download(mediaId: string): ChatDownload {
    const $transfer = atom<TransferSnapshot>({ direction: 'download', state: 'queued', currentSize: 0, totalSize: 0 });
    const set = (change: Partial<TransferSnapshot>): void => $transfer.set({ ...$transfer.get(), ...change });
    const controller = new AbortController();
    const client = this.#client;
    const result = (
      client
        ? client.downloadMedia(mediaId, {
            cancelSignal: controller.signal,
            onOperationProgress: (p) => set({ state: 'active', ...p }),
          })
        : Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call start() first.'))
    ).then(
      (blob) => {
        set({ state: 'done', currentSize: blob.size, totalSize: blob.size });
        return blob;
      },
      (caught: unknown) => {
        const error = asRtmError(caught, 'INTERNAL_ERROR');
        set({ state: error.reason === 'CANCELLED' ? 'cancelled' : 'failed', error });
        throw error;
      },
    );
    return { transfer: $transfer, result, cancel: () => controller.abort() };
  }

  mediaUrl(mediaId: string, fileName?: string): Promise<string> {
    const key = fileName === undefined ? mediaId : `${mediaId}\u0000${fileName}`;
    const cached = this.#urls.get(key);
    if (cached && Date.now() < cached.renewAt) return cached.url;
    if (!this.#client) return Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call start() first.'));
    // Renewed a minute before the server's expiry, so a URL handed out is still good for a while.
    const renewAt = Date.now() + MEDIA_URL_TTL_MS - 60_000;
    const url = this.#client.getMediaUrl(mediaId, fileName);
    this.#urls.set(key, { url, renewAt });
    url.catch(() => {
      if (this.#urls.get(key)?.url === url) this.#urls.delete(key);
    });
    return url;
  }

  /** Sends an own message that is in the conversation with status `sending`; settles its status. */
  async #transmit(key: ConversationKey, chat: ChatMessage): Promise<ChatMessage> {
    const conversation = this.#conversation(key);
    const { kind, id } = parseConversationKey(key)!;
    let outcome: (m: ChatMessage) => ChatMessage;
    this.#inFlight.add(chat.localId);
    try {
      // A text sent offline goes to the outbox first, so a reload sends it again (with the same id).
      if (chat.text !== undefined && !this.#live.connected() && !this.#queued.has(chat.localId)) {
        this.#queued.add(chat.localId);
        await this.#cache.enqueue({ conversation: key, localId: chat.localId, message: chat.message, createdAt: chat.ts });
      }
      const client = this.#client;
      if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
      const options = { clientMessageId: chat.localId };
      let ack: { messageId: string; seq: number; serverReceivedTs: number };
      if (kind === 'peer') {
        ack = await client.sendMessageToPeer(chat.message, id, { ...options, enableOfflineMessaging: true });
      } else {
        const channel = client.createChannel(id);
        // A shown channel may still be joining (first connect, reconnect): send after the join.
        if (this.#mounted.has(key)) await channel.join();
        ack = await channel.sendMessage(chat.message, options);
      }
      outcome = (m) => withoutError({ ...m, id: ack.messageId, seq: ack.seq, ts: ack.serverReceivedTs, status: 'sent' });
      if (this.#queued.delete(chat.localId)) void this.#cache.unqueue(chat.localId);
    } catch (caught) {
      const error = asRtmError(caught, 'INTERNAL_ERROR');
      // A copy from history or another tab may have shown it stored meanwhile: keep that.
      outcome = (m) => (m.status === 'sending' ? { ...m, status: 'failed', error } : m);
      // After stop() the failures are our own logout's cancellations: nobody to tell.
      if (this.#active) this.#error(error, key);
    }
    this.#inFlight.delete(chat.localId);
    const settled = conversation.update(chat.from, chat.localId, outcome) ?? chat;
    this.#list.touch(conversation, [settled]);
    return settled;
  }

  #error(error: unknown, conversation?: ConversationKey): void {
    const rtmError = asRtmError(error, 'INTERNAL_ERROR');
    this.#events.emit(conversation ? { type: 'error', error: rtmError, conversation } : { type: 'error', error: rtmError });
  }
}

function withoutError(message: ChatMessage): ChatMessage {
  if (!('error' in message)) return message;
  const { error: _error, ...rest } = message;
  return rest;
}

/**
 * Whether a background load failed only because the connection went away: the reconnect that
 * follows loads again, so there is nothing to tell the user.
 */
function lostConnection(error: unknown): boolean {
  const reason = (error as RtmError | undefined)?.reason;
  return reason === 'SERVER_NOT_REACHABLE' || reason === 'MESSAGE_WEBSOCKET_DISCONNECTED' || reason === 'CANCELLED';
}

function asRtmError(error: unknown, fallback: 'INVALID_TOKEN' | 'INVALID_MESSAGE' | 'INTERNAL_ERROR'): RtmError {
  if (error instanceof RtmError) return error;
  return new RtmError(fallback, error instanceof Error ? error.message : String(error));
}

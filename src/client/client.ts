import {
  RtmError,
  type MediaInfo,
  type MemberReadState,
  type ReadState,
  checkChannelName,
  checkClientMessageId,
  checkUserId,
  parseAttributeKeys,
  type ClientFrame,
  type ReplyResults,
  type StoredMessage,
  type WireMessage,
} from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { AttributeHost, AttributesMap, ChannelAttributeOptions, ChannelAttributes } from './attributes.js';
import type { RtmSearchHit, SearchQuery } from './change-requests.js';
import { MessageChangeRequests, type ChangesQuery, type RtmChangesPage } from './changes.js';
import { RtmChannel, beforeSend, channelInternals, type ChannelHost } from './channel.js';
import { Connection } from './connection.js';
import { conversationRef, type ConversationTarget } from './conversation-target.js';
import { TypedEmitter } from './emitter.js';
import type { RtmClientEvents } from './events.js';
import { checkLimit, checkSeq, receivedMessages, type HistoryPage, type HistoryQuery } from './history.js';
import { defaultServer } from './default-server.js';
import { createClientMessageId } from './ids.js';
import { importAttributes, type AttributesModule } from './load-attributes.js';
import { importInvitations, type InvitationsModule } from './load-invitations.js';
import { LocalInvitation } from './local-invitation.js';
import { createLogger, setLogFilter, type LogFilter, type Logger } from './log.js';
import { createMessage, toWireMessage, type ReceivedMessage, type RtmMessage, type RtmMessageInit, type RtmSendableMessage } from './messages.js';
import { MediaClient, type MediaMessageParams, type MediaTransferHandler, type MediaUploadHandler } from './media/media-client.js';
import type { RtmMediaMessage } from './media/media-message.js';
import { Outbox, type RequestOptions } from './outbox.js';
import { PresenceRequests, type ChannelMemberCountResult, type PeersOnlineStatusResult, type PresenceHost } from './presence.js';
import { routeFrame, type PushHost } from './push-router.js';
import { ReadStateRequests, type ReadStateHost, type RtmConversationList, type SyncPage, type SyncQuery } from './read-state.js';
import { socketUrl, type WebSocketConstructor } from './socket.js';
import { ConnectionState, type ConnectionChangeReason } from './states.js';
import { TypingRequests, type TypingHost } from './typing.js';

// The event and history types moved to their own modules; exported here too so imports of
// `client.js` keep working.
export type { PeerMessageProps, RtmClientEvents, SyncedMessageProps } from './events.js';
export type { HistoryPage, HistoryQuery } from './history.js';

/** Agora's `RtmConfig`, as {@link RtmClient.updateConfig} takes it. */
export interface RtmConfig {
  /** Which log levels reach the console from now on. */
  logFilter?: LogFilter;
  /** Accepted and ignored: there is no log service to upload to. */
  enableLogUpload?: boolean;
  /** Accepted and ignored: the client connects to your server's one URL. */
  enableCloudProxy?: boolean;
}

/** What a client can follow about other users (Agora's `PeerSubscriptionOption`): online status. */
export type PeerSubscriptionOption = 'ONLINE_STATUS';

/** Options of {@link createInstance}. */
export interface RtmClientOptions {
  /** The http(s) base URL of the rtm-chat server; the socket goes to `ws(s)://…/ws` under it. */
  server: string;
  /** Which log levels reach the console. Default {@link LOG_FILTER_WARNING}. */
  logFilter?: LogFilter;
  /** The WebSocket constructor to use (a wrapper, or a Worker's). Default: the global `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /**
   * Give up reconnecting after this many ms without a connection (then sends reject with
   * MESSAGE_WEBSOCKET_DISCONNECTED until the next `login()`). Default `RECONNECT_GIVE_UP_MS`
   * (5 minutes). Lower it for tests or for apps that would rather show "offline" sooner.
   */
  reconnectGiveUpMs?: number;
  /**
   * How long a transmitted request waits for its reply before the socket is presumed dead.
   * Default `SEND_TIMEOUT_MS` (10 s). Meant for tests; leave it alone in apps.
   */
  sendTimeoutMs?: number;
}

/** Options of `sendMessageToPeer`. */
export interface PeerSendOptions {
  /** Keep the message for the peer when they are offline (delivered at their next login). */
  enableOfflineMessaging?: boolean;
  /**
   * Our addition (seed 003 `noSaveOffline`): deliver it to the connections open now (the peer's,
   * and this user's other tabs and devices) and store it nowhere — no history, sync, search,
   * unread count, offline copy or webhook event. The ack has `seq` 0; `hasPeerReceived` says
   * whether the peer got it. Not with `enableOfflineMessaging` (the server answers INVALID_FIELD).
   * Editing, retracting, reacting to or replying to it is refused (MESSAGE_NOT_FOUND, INVALID_REPLY).
   */
  transient?: boolean;
  /**
   * Our addition (seed 003 `needReadReceipt`), default true: `false` is stored with the message, and
   * this user's clients then show no delivered or read receipt for it (just "sent") on any device.
   */
  needReadReceipt?: boolean;
  /**
   * The idempotency key (1–64 of `[A-Za-z0-9_-]`): sending again with the same id stores one
   * message and resolves with the original ack. Generated when omitted.
   */
  clientMessageId?: string;
}

/** The outcome of `sendMessageToPeer`. */
export interface PeerSendResult {
  /** Whether at least one connection of the peer received it. */
  hasPeerReceived: boolean;
  /** Server message id. */
  messageId: string;
  /** Sequence number within the peer conversation (0 for a transient message). */
  seq: number;
  /** Server receive time, ms since the epoch. */
  serverReceivedTs: number;
  /** Whether it was kept for the offline peer. */
  storedOffline: boolean;
}

/**
 * What the client's parts use of it, each through its own interface: channels, the push router,
 * and the read-state, presence, typing and attribute requests.
 */
type ClientHost = ChannelHost & PushHost & AttributeHost & Omit<ReadStateHost & PresenceHost & TypingHost, 'emit'>;

/** Own client message ids remembered to recognise our own messages echoed back by the server. */
const OWN_IDS_REMEMBERED = 512;

/**
 * The transport core: one logged-in user on one rtm-chat server, with the Agora RTM 1.x method
 * names. Create it with {@link createInstance}.
 *
 * @example
 * const client = createInstance('demo', { server: 'https://chat.example.com' });
 * client.on('MessageFromPeer', (message, peerId) => console.log(peerId, message));
 * await client.login({ uid: 'alice', token });
 * await client.sendMessageToPeer({ text: 'hi' }, 'bob', { enableOfflineMessaging: true });
 */
export class RtmClient extends TypedEmitter<RtmClientEvents> {
  /** The app id the client logs in to. */
  readonly appId: string;
  readonly #log: Logger;
  readonly #connection: Connection;
  readonly #outbox: Outbox;
  readonly #changes: MessageChangeRequests;
  readonly #channels = new Map<string, RtmChannel>();
  readonly #host: ClientHost;
  /**
   * `none`: not logged in (new, or after logout / a refused first login) → NOT_LOGGED_IN.
   * `active`: logging in, connected or reconnecting → requests go through the outbox.
   * `ended`: the connection ended without logout (gave up, replaced, refused on re-login) →
   * MESSAGE_WEBSOCKET_DISCONNECTED until the next login.
   */
  #session: 'none' | 'active' | 'ended' = 'none';
  #token = '';
  #lastState: ConnectionState = ConnectionState.DISCONNECTED;
  /** Bumped on every `ready` and `lost`, so a slow rejoin does not resume a newer socket's outbox. */
  #socketGeneration = 0;
  readonly #ownIds = new Set<string>();
  readonly #media: MediaClient;
  /** The conversation list, read markers and receipts. */
  readonly #readState: ReadStateRequests;
  readonly #presence: PresenceRequests;
  readonly #typing: TypingRequests;

  /** The call invitations, loaded with the first one (or the first push about one). */
  #invitations: Promise<InvitationsModule> | undefined;

  /** Use {@link createInstance}. */
  constructor(appId: string, given: Partial<RtmClientOptions> = {}) {
    super();
    if (typeof appId !== 'string' || appId.length === 0) {
      throw new RtmError('INVALID_ARGUMENT', 'createInstance needs a non-empty app id.');
    }
    const options = { ...given, server: given?.server ?? defaultServer() };
    if (typeof given !== 'object' || given === null || typeof options.server !== 'string') {
      throw new RtmError('INVALID_ARGUMENT', 'createInstance needs { server: "https://…" }, the URL of your rtm-chat server.');
    }
    const WebSocketImpl: WebSocketConstructor | undefined = options.WebSocket ?? globalThis.WebSocket;
    if (typeof WebSocketImpl !== 'function') {
      throw new RtmError('INVALID_ARGUMENT', 'No WebSocket here; pass one with { WebSocket }.');
    }
    this.appId = appId;
    this.#log = createLogger(options.logFilter);
    this.#connection = new Connection({
      url: socketUrl(options.server),
      appId,
      WebSocket: WebSocketImpl,
      log: this.#log,
      reconnectGiveUpMs: options.reconnectGiveUpMs,
    });
    this.#outbox = new Outbox(
      {
        transmit: (frame) => this.#connection.transmit(frame),
        nextRequestId: () => this.#connection.nextRequestId(),
        forceReconnect: (why) => this.#connection.forceReconnect(why),
      },
      { sendTimeoutMs: options.sendTimeoutMs },
    );
    const connection = this.#connection;
    const host: ClientHost = {
      request: <T extends keyof ReplyResults>(
        build: (id: number) => ClientFrame & { t: T },
        requestOptions?: RequestOptions,
      ) => this.#request<T>(build, requestOptions),
      prepareSend: (message, clientMessageId) => this.#prepareSend(message, clientMessageId),
      uid: () => connection.uid,
      channels: this.#channels,
      ownIds: this.#ownIds,
      log: this.#log,
      // PushHost's `emit` takes every client event, so it serves the feature requests too.
      emit: (event, ...args) => this.emit(event, ...args),
      invitation: (frame) => this.#invitation((m) => m.onFrame(host, frame)),
      ready: () => connection.ready,
      active: () => this.#session === 'active',
      received: (stored) => this.#received(stored),
    };
    this.#host = host;
    connection.on('state', (state, reason, error) => this.#onState(state, reason, error));
    connection.on('ready', () => this.#onReady());
    connection.on('tokenExpired', () => this.emit('TokenExpired'));
    connection.on('lost', () => {
      void this.#invitations?.then((m) => m.lost(host));
      this.#socketGeneration++;
      this.#outbox.pause();
    });
    connection.on('frame', (frame) => {
      if (!this.#outbox.handleFrame(frame)) routeFrame(frame, host);
    });
    this.#readState = new ReadStateRequests(host);
    this.#changes = new MessageChangeRequests(host);
    this.#presence = new PresenceRequests(host);
    this.#typing = new TypingRequests(host);
    this.#media = new MediaClient({ server: options.server, appId, token: () => this.#token });
  }

  /** The current connection state. */
  get connectionState(): ConnectionState {
    return this.#connection.state;
  }

  /**
   * Logs in. Resolves when the server accepted; rejects with an {@link RtmError}: INVALID_USER_ID
   * (nothing sent), INVALID_TOKEN, TOKEN_EXPIRED, TOKEN_MISMATCH, INVALID_APP_ID,
   * ORIGIN_NOT_ALLOWED, LOGIN_TIMEOUT, or ALREADY_LOGGED_IN. Sends made before it resolves wait
   * for it.
   */
  login(options: { uid: string; token?: string }): Promise<void> {
    const uid = options?.uid;
    const invalid = checkUserId(uid);
    if (invalid) return Promise.reject(invalid);
    const token = options.token ?? this.#token;
    if (typeof token !== 'string') return Promise.reject(new RtmError('INVALID_ARGUMENT', 'The token must be a string.'));
    const state = this.#connection.state;
    if (state !== ConnectionState.DISCONNECTED && state !== ConnectionState.ABORTED) {
      return Promise.reject(new RtmError('ALREADY_LOGGED_IN', 'Already logged in or logging in; call logout() first.'));
    }
    if (uid !== this.#connection.uid) {
      // Channel memberships kept across a give-up belong to the previous user.
      for (const channel of this.#channels.values()) channelInternals(channel).reset();
      this.#ownIds.clear();
    }
    this.#token = token;
    this.#session = 'active';
    return this.#connection.open(uid, token);
  }

  /**
   * Logs out: closes the connection, leaves every channel, and rejects every unsettled request
   * with CANCELLED. Every timer stops. Resolves at once; safe to call when not logged in.
   */
  logout(): Promise<void> {
    this.#session = 'none';
    this.#presence.clear();
    this.#typing.clear();
    this.#outbox.failAll(new RtmError('CANCELLED', 'Logged out.'));
    this.#media.cancelAll();
    for (const channel of this.#channels.values()) channelInternals(channel).reset();
    this.#connection.close();
    return Promise.resolve();
  }

  /**
   * Gives the client a new token (Agora's name): the logged-in connection switches to it at once
   * (the server then keeps it open until the new token expires), and later re-logins use it. Call
   * it on `TokenPrivilegeWillExpire`, or on `TokenExpired`, after which the client reconnects with
   * it. Rejects with INVALID_ARGUMENT for a non-string or empty token, and with the server's
   * INVALID_TOKEN / TOKEN_EXPIRED / TOKEN_MISMATCH for a token it refuses (the old one stays).
   */
  renewToken(token: string): Promise<void> {
    if (typeof token !== 'string' || token.length === 0) {
      return Promise.reject(new RtmError('INVALID_ARGUMENT', 'renewToken needs a non-empty token.'));
    }
    const previous = this.#token;
    this.#token = token;
    this.#connection.setToken(token);
    if (!this.#connection.ready) return Promise.resolve();
    return this.#request<'renew'>((id) => ({ t: 'renew', id, token })).then(
      () => {},
      (error: unknown) => {
        if (this.#token === token) {
          this.#token = previous;
          this.#connection.setToken(previous);
        }
        throw error;
      },
    );
  }

  /**
   * Sends a message to one user. Rejects at once, sending nothing, for an invalid peer id
   * (INVALID_USER_ID), message (INVALID_MESSAGE, MESSAGE_EMPTY, MESSAGE_TOO_LARGE) or client
   * message id; with NOT_LOGGED_IN before login; with MESSAGE_WEBSOCKET_DISCONNECTED (510) after
   * the client gave up reconnecting. While reconnecting the send waits and goes out after the
   * reconnect; with no ack within the send timeout it is retried once after a forced reconnect,
   * then rejects with SERVER_NOT_REACHABLE (300).
   */
  sendMessageToPeer(message: RtmMessageInit, peerId: string, options: PeerSendOptions = {}): Promise<PeerSendResult> {
    const pending = beforeSend(message);
    if (pending) return pending.then(() => this.sendMessageToPeer(message, peerId, options));
    return attempt(() => {
      const invalidPeer = checkUserId(peerId, 'Peer id');
      if (invalidPeer) throw invalidPeer;
      const { wire, cmid } = this.#prepareSend(message, options?.clientMessageId);
      const offline = options?.enableOfflineMessaging === true;
      const { transient, needReadReceipt } = options;
      return this.#request<'peer.send'>((id) => ({ t: 'peer.send', id, to: peerId, cmid, message: wire, offline, transient, needReadReceipt })).then(
        (ack) => ({
          hasPeerReceived: ack.hasPeerReceived,
          messageId: ack.messageId,
          seq: ack.seq,
          serverReceivedTs: ack.ts,
          storedOffline: ack.storedOffline,
        }),
      );
    });
  }

  /**
   * The channel object for `channelId` (the same object for the same id). Throws an
   * {@link RtmError} (INVALID_CHANNEL_NAME) for an invalid name.
   */
  createChannel(channelId: string): RtmChannel {
    const invalid = checkChannelName(channelId);
    if (invalid) throw invalid;
    let channel = this.#channels.get(channelId);
    if (!channel) {
      channel = new RtmChannel(channelId, this.#host);
      this.#channels.set(channelId, channel);
    }
    return channel;
  }

  /**
   * An outgoing call invitation to `calleeId` (Agora's name): set its `content`, then `send()`.
   * Throws INVALID_USER_ID. (One to this user fails: LocalInvitationFailure UNKNOWN, the server's
   * INVITATION_TO_SELF in the log.)
   */
  createLocalInvitation(calleeId: string): LocalInvitation {
    const invalid = checkUserId(calleeId);
    if (invalid) throw invalid;
    return new LocalInvitation(calleeId, (invitation, op) => this.#invitation((m) => m[op](this.#host, invitation)));
  }

  /** Runs `use` with invitations.ts, loading it first; calls keep their order. */
  #invitation(use: (module: InvitationsModule) => void): void {
    (this.#invitations ??= importInvitations()).then(use, (error: unknown) => {
      this.#invitations = undefined;
      this.#log.error('Could not load the call invitations:', error);
    });
  }

  /**
   * Builds a message object: `{ messageType: 'TEXT', text }` or
   * `{ messageType: 'RAW', rawMessage, description? }`. Throws INVALID_MESSAGE for a wrong shape.
   */
  createMessage(init: RtmMessageInit): RtmSendableMessage {
    return createMessage(init);
  }

  /**
   * Our addition: one page of a conversation's stored history (peer conversation with `peerId`,
   * or channel `channelId`), in ascending `seq`. Page back with `beforeSeq`. Rejects at once with
   * INVALID_ARGUMENT, INVALID_USER_ID or INVALID_CHANNEL_NAME for a bad query.
   *
   * @example
   * const { messages, hasMore } = await client.getHistory({ peerId: 'bob', limit: 50 });
   * if (hasMore) await client.getHistory({ peerId: 'bob', beforeSeq: messages[0].seq });
   */
  getHistory(query: HistoryQuery): Promise<HistoryPage> {
    return attempt(() => {
      const ref = conversationRef(query, 'getHistory');
      const limit = checkLimit(query.limit);
      const { beforeSeq } = query;
      if (beforeSeq !== undefined) checkSeq(beforeSeq, 'beforeSeq', 1);
      const extra = beforeSeq !== undefined ? { beforeSeq } : {};
      return this.#request<'history'>((id) => ({ t: 'history', id, limit, ...ref, ...extra })).then((page) => ({
        messages: this.#received(page.messages),
        hasMore: page.hasMore,
        changeSeq: page.changeSeq,
      }));
    });
  }

  // ---- conversations and read state -----------------------------------------------------------

  /**
   * Our addition: this user's conversations as the server keeps them — peer conversations with
   * any message and the channels the user joined (membership lasts until `leave()`), newest
   * activity first — each with its newest message, this user's read marker (`readSeq`), the
   * server-computed `unread` count and, for peers, `peerReadSeq` / `peerDeliveredSeq` (how far
   * the peer has read / received this user's messages); plus `totalUnread`.
   *
   * @example
   * const { conversations, totalUnread } = await client.getConversations();
   * for (const c of conversations) console.log(c.kind, c.id, c.unread);
   */
  getConversations(): Promise<RtmConversationList> {
    return this.#readState.conversations();
  }

  /**
   * Our addition: moves this user's read marker of a conversation up to `seq` (never back: a
   * lower `seq` changes nothing) and resolves with the read state after it, which is also emitted
   * as `ReadStateChanged` (the user's other connections get it too). The peer of a peer
   * conversation gets a `read` receipt; channel members get `ChannelReadStateChanged`. Rejects at
   * once with INVALID_ARGUMENT, INVALID_USER_ID or INVALID_CHANNEL_NAME.
   *
   * @example
   * await client.markRead({ peerId: 'bob', seq: lastShown.seq });
   */
  markRead(options: ConversationTarget & { seq: number }): Promise<ReadState> {
    return this.#readState.markRead(options);
  }

  /**
   * Our addition: every member's read marker in a channel, for "read by N of M". Only members may
   * ask (NOT_JOINED otherwise). Follow changes with `ChannelReadStateChanged`.
   */
  getChannelReceipts(channelId: string): Promise<MemberReadState[]> {
    return this.#readState.channelReceipts(channelId);
  }

  /**
   * Our addition, for catching up after a reconnect: the messages of a conversation after
   * `afterSeq`, oldest first. Call again with the last `seq` while `hasMore`. When more than
   * `MAX_SYNC_GAP` messages are missing the page says `reset: true` and holds the newest messages
   * instead: drop what you have and start from it. The client does not know what its caller has
   * shown, so it never catches up by itself.
   *
   * @example
   * let page;
   * do {
   *   page = await client.syncMessages({ peerId: 'bob', afterSeq });
   *   if (page.reset) shown = [];
   *   shown.push(...page.messages);
   *   afterSeq = page.messages.at(-1)?.seq ?? afterSeq;
   * } while (page.hasMore);
   */
  syncMessages(query: SyncQuery): Promise<SyncPage> {
    return attempt(() => {
      const ref = conversationRef(query, 'syncMessages');
      const afterSeq = checkSeq(query.afterSeq, 'afterSeq', 0);
      const limit = checkLimit(query.limit);
      return this.#request<'sync'>((id) => ({ t: 'sync', id, afterSeq, limit, ...ref })).then((page) => ({
        messages: this.#received(page.messages),
        hasMore: page.hasMore,
        reset: page.reset,
        changeSeq: page.changeSeq,
      }));
    });
  }

  // ---- messages that change -------------------------------------------------------------------

  /**
   * Our addition (seed 003): retracts one of this user's messages within `RETRACT_WINDOW_MS`
   * (3 minutes) of its server time. Everyone in the conversation gets `MessageRetracted`; the
   * content is deleted on the server. Resolves with the message as it is now (`RETRACTED`).
   * Rejects with RETRACT_WINDOW_PASSED, NOT_MESSAGE_SENDER, MESSAGE_NOT_FOUND, or at once with
   * INVALID_ARGUMENT for a malformed id. Retracting twice succeeds.
   *
   * @example
   * const { messageId } = await client.sendMessageToPeer({ text: 'oops' }, 'bob');
   * await client.retractMessage(messageId);
   */
  retractMessage(messageId: string): Promise<ReceivedMessage> {
    return this.#changes.call('retract', messageId);
  }

  /**
   * Our addition: replaces the text of one of this user's TEXT messages (last edit wins; everyone
   * gets `MessageEdited`). `clientMessageId` names the edit (generated when omitted): the same edit
   * resent after a reconnect changes nothing. Rejects with NOT_MESSAGE_SENDER, MESSAGE_RETRACTED,
   * MESSAGE_NOT_EDITABLE, MESSAGE_NOT_FOUND, or at once with MESSAGE_EMPTY / MESSAGE_TOO_LARGE.
   */
  editMessage(messageId: string, message: { text: string }, options: { clientMessageId?: string } = {}): Promise<ReceivedMessage> {
    return this.#changes.call('edit', messageId, message, options.clientMessageId);
  }

  /**
   * Our addition: adds this user's reaction with one emoji (idempotent; everyone gets
   * `ReactionChanged`). Rejects at once with INVALID_REACTION for anything but exactly one emoji;
   * MESSAGE_RETRACTED, MESSAGE_NOT_FOUND (in a channel: only members react) from the server.
   */
  addReaction(messageId: string, emoji: string): Promise<ReceivedMessage> {
    return this.#changes.call('react', messageId, emoji, true);
  }

  /** Our addition: removes this user's reaction with `emoji` (idempotent). Errors as `addReaction`. */
  removeReaction(messageId: string, emoji: string): Promise<ReceivedMessage> {
    return this.#changes.call('react', messageId, emoji, false);
  }

  /**
   * Our addition (seed 002): deletes a message for this user only — gone from their history on
   * every device (their other connections get `MessageDeleted`); the other users keep it.
   * Idempotent. Rejects with MESSAGE_NOT_FOUND for a message outside this user's conversations.
   */
  deleteMessage(messageId: string): Promise<void> {
    return this.#changes.call('remove', messageId);
  }

  /**
   * Our addition (seed 003): sends `message` — one received or sent — to another peer or a joined
   * channel as a new message of this user: its content without its reply and mentions; media by
   * media id, never uploaded again (within the 7 days a media object lives). Resolves like a send;
   * NOT_JOINED for a channel this client has not joined, INVALID_ARGUMENT for a retracted message.
   *
   * @example
   * await client.forwardMessage(received.message, { channelId: 'team' });
   */
  forwardMessage(
    message: RtmMessage,
    target: ConversationTarget,
    options: { clientMessageId?: string } = {},
  ): Promise<{ messageId: string; seq: number; serverReceivedTs: number }> {
    return this.#changes.call('forward', message, target, (content, to) =>
      to.peerId !== undefined
        ? this.sendMessageToPeer(content, to.peerId, { ...options, enableOfflineMessaging: true })
        : this.createChannel(to.channelId!).sendMessage(content, options),
    );
  }

  /**
   * Our addition (seed 003's transparent messages): sends `payload` (text, up to 32 KB; stringify
   * JSON yourself) to whoever of the conversation is connected now, as `CommandReceived`. Never
   * stored, never shown, not delivered to this user's other tabs and devices; not retried (a late
   * command means nothing). Rejects with MESSAGE_WEBSOCKET_DISCONNECTED while the connection is
   * down, NOT_JOINED for a channel not joined, TOO_OFTEN past the send rate.
   *
   * @example
   * await client.sendCommand({ peerId: 'bob' }, JSON.stringify({ op: 'call.ring' }));
   */
  sendCommand(target: ConversationTarget, payload: string): Promise<void> {
    return this.#changes.call('command', target, payload);
  }

  /**
   * Our addition (seeds 002, 003): deletes a conversation for this user only — off their
   * conversation list until a newer message arrives, and with `history: true` every message so
   * far gone from their history, sync and search on every device (`clearedSeq` is the last one
   * cleared). Their other tabs and devices get `ConversationDeleted`; the other side keeps all.
   */
  deleteConversation(target: ConversationTarget, options: { history?: boolean } = {}): Promise<{ clearedSeq: number }> {
    return this.#changes.call('deleteConversation', target, options);
  }

  /**
   * Our addition (seed 002): the messages with every word of `query` (Chinese included: the
   * server splits words), in one conversation (`peerId` / `channelId`) or in all of this user's,
   * newest first, each with the text that matched and the ranges to highlight. Filter with
   * `types` and `after` / `before`; page with the `cursor` returned while `hasMore`. Retracted
   * messages and the ones this user deleted never match.
   *
   * @example
   * const { results } = await client.searchMessages({ query: '北京', peerId: 'bob' });
   */
  searchMessages(query: SearchQuery): Promise<{ results: RtmSearchHit[]; hasMore: boolean; cursor?: number }> {
    return this.#changes.call('search', query);
  }

  /**
   * Our addition, for catching up: what changed in a conversation after change number
   * `afterChangeSeq` (from a history or sync page's `changeSeq`, or the previous call's), each
   * changed message once in its current state, and the messages this user deleted. Call again
   * with the returned `changeSeq` while `hasMore`.
   *
   * @example
   * let page;
   * do {
   *   page = await client.getMessageChanges({ peerId: 'bob', afterChangeSeq: cursor });
   *   for (const change of page.changes) change.message ? replace(change.message) : remove(change.deleted.messageId);
   *   cursor = page.changeSeq;
   * } while (page.hasMore);
   */
  getMessageChanges(query: ChangesQuery): Promise<RtmChangesPage> {
    return this.#changes.changes(query);
  }

  // ---- typing and presence --------------------------------------------------------------------

  /**
   * Our addition: tells the other side of a conversation that this user is typing (relayed to
   * whoever is online, never stored: a typing notice means nothing later). Call it on every input;
   * notices go out at most once per `TYPING_MIN_INTERVAL_MS` per conversation, and the server's
   * TOO_OFTEN is swallowed. Best effort: resolves without sending while the connection is down.
   * Rejects with NOT_LOGGED_IN before login, or at once for a bad target.
   */
  sendTypingIndicator(target: ConversationTarget): Promise<void> {
    return this.#typing.send(target);
  }

  /**
   * Whether each of up to `MAX_PRESENCE_QUERY` users is online now (Agora's name and result:
   * true for online). Rejects at once with INVALID_ARGUMENT or INVALID_USER_ID.
   *
   * @example
   * const online = await client.queryPeersOnlineStatus(['bob', 'carol']); // { bob: true, carol: false }
   */
  queryPeersOnlineStatus(peerIds: string[]): Promise<PeersOnlineStatusResult> {
    return this.#presence.query(peerIds);
  }

  /**
   * Follows the online status of users (Agora's name): `PeersOnlineStatusChanged` reports their
   * current status once the server confirmed, then every change, and again after each reconnect
   * (the client subscribes again by itself) until `unsubscribePeersOnlineStatus` or logout.
   * Rejects at once with INVALID_ARGUMENT (more than `MAX_PRESENCE_QUERY`) or INVALID_USER_ID.
   */
  subscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this.#presence.subscribe(peerIds);
  }

  /** Stops following the online status of users (Agora's name). */
  unsubscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this.#presence.unsubscribe(peerIds);
  }

  /**
   * The users whose online status this client follows (Agora's name; `ONLINE_STATUS` is the only
   * option, anything else rejects with INVALID_ARGUMENT).
   */
  queryPeersBySubscriptionOption(option: PeerSubscriptionOption): Promise<string[]> {
    return this.#presence.followed(option);
  }

  /**
   * How many users have joined each channel now (Agora's name), up to `MAX_MEMBER_COUNT_QUERY`
   * (32) channels, joined or not; a user with several tabs counts once. Rejects at once with
   * INVALID_ARGUMENT or INVALID_CHANNEL_NAME. A joined channel also reports its count with
   * `MemberCountUpdated`.
   */
  getChannelMemberCount(channelIds: string[]): Promise<ChannelMemberCountResult> {
    return this.#presence.memberCount(channelIds);
  }

  /**
   * Agora's client settings: `logFilter` takes effect at once; `enableLogUpload` and
   * `enableCloudProxy` are accepted and ignored (there is no log service to upload to, and the
   * client connects to your server's one URL).
   */
  updateConfig(config: RtmConfig): void {
    if (config.logFilter) setLogFilter(this.#log, config.logFilter);
  }

  /** The same as {@link updateConfig} (Agora has both names). */
  setParameters(config: RtmConfig): void {
    this.updateConfig(config);
  }

  // ---- user and channel attributes (Agora) ----------------------------------------------------

  static {
    // The twelve attribute methods (declared, with their documentation, in the interface
    // `RtmClient` below the class) forward to attributes.ts, loaded with the first call (the
    // script-tag build's companion rtm-chat.attributes.js). One loop over their names costs the
    // script-tag bundle about 70 B gzip less than twelve method bodies; the object's keys are
    // checked to be exactly attributes.ts's exports.
    let requests: Promise<AttributesModule> | undefined;
    const methods = {
      setLocalUserAttributes: 0,
      addOrUpdateLocalUserAttributes: 0,
      deleteLocalUserAttributesByKeys: 0,
      clearLocalUserAttributes: 0,
      getUserAttributes: 0,
      setChannelAttributes: 0,
      addOrUpdateChannelAttributes: 0,
      deleteChannelAttributesByKeys: 0,
      clearChannelAttributes: 0,
      getChannelAttributes: 0,
      getChannelAttributesByKeys: 0,
    } satisfies Record<keyof AttributesModule, 0>;
    for (const name of Object.keys(methods) as (keyof AttributesModule)[]) {
      (this.prototype as unknown as Record<string, unknown>)[name] = function (this: RtmClient, ...args: unknown[]): Promise<unknown> {
        requests ??= importAttributes().catch((error: unknown) => {
          requests = undefined;
          throw new RtmError('INTERNAL_ERROR', `Could not load the attribute requests: ${String(error)}`);
        });
        return requests.then((module) => (module[name] as (host: AttributeHost, ...rest: unknown[]) => Promise<unknown>)(this.#host, ...args));
      };
    }
  }

  /**
   * The attributes of a user with these keys (Agora's name); keys it does not have are missing
   * from the result. Rejects at once with INVALID_USER_ID, INVALID_ARGUMENT (not a non-empty array)
   * or INVALID_ATTRIBUTE_KEY. Unlike the other attribute methods it is in the bundle: every view
   * reads display names with it, and a text conversation loads no companion file.
   */
  getUserAttributesByKeys(userId: string, attributeKeys: string[]): Promise<AttributesMap> {
    return attempt(() => {
      const invalid = checkUserId(userId);
      if (invalid) throw invalid;
      if (!Array.isArray(attributeKeys) || attributeKeys.length === 0) {
        throw new RtmError('INVALID_ARGUMENT', 'attributeKeys must be a non-empty array of attribute keys.');
      }
      const keys = parseAttributeKeys(attributeKeys, 'attributeKeys');
      return this.#request<'user.attributes.get'>((id) => ({ t: 'user.attributes.get', id, uid: userId, keys })).then((result) => result.attributes);
    });
  }

  /** Stored messages as ReceivedMessages in ascending seq, skipping undecodable ones. */
  #received(stored: StoredMessage[]): ReceivedMessage[] {
    return receivedMessages(stored, this.#connection.uid, this.#log);
  }

  // ---- media ----------------------------------------------------------------------------------

  /**
   * Uploads a file and resolves with the image, file, voice or video message that names it, ready
   * for `sendMessageToPeer` / `channel.sendMessage` (media is kept 7 days; the message can be sent
   * any number of times).
   *
   * Refused before anything is sent: INVALID_ARGUMENT (not a Blob, bad `messageType`), MEDIA_EMPTY,
   * MEDIA_TOO_LARGE (over 30 MB), INVALID_FILE_NAME, INVALID_MESSAGE (bad dimensions; an AUDIO or
   * VIDEO whose duration was not given and the browser cannot read), and MESSAGE_TOO_LARGE when
   * the message (file name, description, thumbnail) cannot fit 32 KB.
   * For an IMAGE the pixel size is read from the file header (or by decoding it), unless you pass
   * `width`/`height`; without a `thumbnail` one is generated off the main thread (none when the
   * image cannot be decoded). For AUDIO and VIDEO a missing `durationMs` is read from the file in
   * a detached media element; a VIDEO also gets its pixel size and, without a `thumbnail`, a poster
   * frame from a little after its start (none when the browser cannot decode it). At most MAX_CONCURRENT_TRANSFERS uploads and downloads run at once;
   * the rest wait in order. Cancel with `transHandler.cancelSignal` or `cancelMediaUpload(requestId)`
   * (CANCELLED). Server refusals: INVALID_TOKEN, TOKEN_EXPIRED, ORIGIN_NOT_ALLOWED, MEDIA_TOO_LARGE;
   * network failures: MEDIA_TRANSFER_FAILED.
   *
   * @example
   * const message = await client.createMediaMessageByUploading(file, { messageType: 'IMAGE' }, {
   *   cancelSignal: controller.signal,
   *   onOperationProgress: ({ currentSize, totalSize }) => (bar.value = currentSize / totalSize),
   * });
   * await client.sendMessageToPeer(message, 'bob');
   */
  createMediaMessageByUploading(
    blob: Blob,
    params: MediaMessageParams,
    transHandler?: MediaUploadHandler,
  ): Promise<RtmMediaMessage> {
    return this.#mediaCall(() => this.#media.upload(blob, params, transHandler));
  }

  /**
   * Downloads a media object (any user's, for 7 days after its upload) as a Blob. Rejects with
   * INVALID_MEDIA_ID, MEDIA_NOT_FOUND, MEDIA_EXPIRED, CANCELLED, MEDIA_TRANSFER_FAILED. Shares the
   * transfer queue and the cancelling rules of `createMediaMessageByUploading`.
   *
   * @example
   * const blob = await client.downloadMedia(message.mediaId, { onOperationProgress: show });
   */
  downloadMedia(mediaId: string, transHandler?: MediaTransferHandler): Promise<Blob> {
    return this.#mediaCall(() => this.#media.download(mediaId, transHandler));
  }

  /**
   * Cancels an upload by the request id from `onRequestId` (as Agora's `cancelMediaUpload`): one
   * still waiting never starts, a running one is aborted; either rejects with CANCELLED. Rejects
   * with NOTHING_TO_CANCEL once it finished, failed or was cancelled (or for an unknown id).
   */
  cancelMediaUpload(requestId: number): Promise<void> {
    return this.#media.cancel('upload', requestId);
  }

  /** Cancels a download by request id; see {@link cancelMediaUpload}. */
  cancelMediaDownload(requestId: number): Promise<void> {
    return this.#media.cancel('download', requestId);
  }

  /** Our addition: what the server knows of a media object (MEDIA_NOT_FOUND, MEDIA_EXPIRED otherwise). */
  getMediaInfo(mediaId: string): Promise<MediaInfo> {
    return this.#mediaCall(() => this.#media.info(mediaId));
  }

  /**
   * Our addition: a short-lived signed URL of a media object (valid MEDIA_URL_TTL_MS) that needs
   * no headers, for `<img src>` and links; `fileName` names the file a browser saves from it.
   */
  getMediaUrl(mediaId: string, fileName?: string): Promise<string> {
    return this.#mediaCall(() => this.#media.signedUrl(mediaId, fileName));
  }

  // ---- internals ------------------------------------------------------------------------------

  #prepareSend(message: RtmMessageInit, clientMessageId: string | undefined): { wire: WireMessage; cmid: string } {
    let wire: WireMessage;
    try {
      wire = toWireMessage(message);
    } catch (error) {
      throw error instanceof RtmError ? error : new RtmError('INVALID_MESSAGE', String(error));
    }
    const cmid = clientMessageId ?? createClientMessageId();
    const invalidId = checkClientMessageId(cmid);
    if (invalidId) throw invalidId;
    this.#rememberOwnId(cmid);
    return { wire, cmid };
  }

  /** A media request: it needs the login token, but not the socket. */
  #mediaCall<T>(call: () => Promise<T>): Promise<T> {
    return this.#session === 'none' ? Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call login() first.')) : call();
  }

  /** A request through the outbox, refused up front when the session cannot carry it. */
  #request<T extends keyof ReplyResults>(
    build: (id: number) => ClientFrame & { t: T },
    options?: RequestOptions,
  ): Promise<ReplyResults[T]> {
    if (this.#session === 'none') {
      return Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call login() first.'));
    }
    if (this.#session === 'ended') {
      return Promise.reject(
        new RtmError('MESSAGE_WEBSOCKET_DISCONNECTED', 'The connection is down and the client gave up; call login() again.'),
      );
    }
    return this.#outbox.request<T>(build, options);
  }

  #onState(state: ConnectionState, reason: ConnectionChangeReason, error: RtmError | undefined): void {
    const previous = this.#lastState;
    this.#lastState = state;
    const ended = state === ConnectionState.DISCONNECTED || state === ConnectionState.ABORTED;
    if (ended && this.#session === 'active') {
      // A refused first login leaves the client logged out (NOT_LOGGED_IN); losing an established
      // session (gave up, replaced, refused on re-login) leaves it "disconnected" until the next
      // login, so later sends fail as Agora's do once it gave up (MESSAGE_WEBSOCKET_DISCONNECTED).
      const firstLoginFailed = previous === ConnectionState.CONNECTING;
      this.#session = firstLoginFailed ? 'none' : 'ended';
      this.#outbox.failAll(
        firstLoginFailed
          ? new RtmError('NOT_LOGGED_IN', `Login failed (${error?.reason ?? reason}).`)
          : new RtmError('MESSAGE_WEBSOCKET_DISCONNECTED', `The connection ended (${error?.message ?? reason}).`),
      );
    }
    this.emit('ConnectionStateChanged', state, reason);
  }

  async #onReady(): Promise<void> {
    const generation = ++this.#socketGeneration;
    const rejoins = [...this.#channels.values()].map((channel) =>
      channelInternals(channel)
        .rejoin()
        .catch((error: unknown) => this.#log.warn(`Could not rejoin channel ${channel.channelId}:`, error)),
    );
    this.#presence.resubscribe();
    // Queued channel sends must reach the server after the rejoin, or they would be refused.
    if (rejoins.length > 0) await Promise.all(rejoins);
    if (generation === this.#socketGeneration) this.#outbox.resume();
  }

  #rememberOwnId(cmid: string): void {
    this.#ownIds.delete(cmid);
    this.#ownIds.add(cmid);
    if (this.#ownIds.size > OWN_IDS_REMEMBERED) {
      this.#ownIds.delete(this.#ownIds.values().next().value!);
    }
  }
}

/**
 * Agora RTM 1.x's user and channel attributes: string key-value pairs a user keeps on itself (a
 * display name, an avatar) or the members of a channel keep on it (a topic, a pinned message).
 * Limits (limits.ts): a key is 1–`MAX_ATTRIBUTE_KEY_BYTES` (32) visible ASCII characters, a value
 * 1 byte – `MAX_ATTRIBUTE_VALUE_BYTES` (8 KB) of UTF-8; a user holds at most `MAX_USER_ATTRIBUTES`
 * (32) of `MAX_USER_ATTRIBUTES_BYTES` (16 KB) together, a channel `MAX_CHANNEL_ATTRIBUTES` (32) of
 * `MAX_CHANNEL_ATTRIBUTES_BYTES` (32 KB), keys and values counted. Every method rejects with
 * NOT_LOGGED_IN before login and MESSAGE_WEBSOCKET_DISCONNECTED after the client gave up
 * reconnecting, and follows the outbox's delivery rules otherwise (queued while reconnecting, one
 * retry, then SERVER_NOT_REACHABLE). A refused write changes nothing.
 *
 * (Declared here and defined by the class's static block; see there why.)
 */
export interface RtmClient {
  /**
   * Replaces all of this user's attributes with `attributes` (Agora's name; `{}` clears them). Any
   * user of the app can read them with `getUserAttributes`. Rejects at once, sending nothing, with
   * INVALID_ARGUMENT (not an object), INVALID_ATTRIBUTE_KEY, INVALID_ATTRIBUTE_VALUE (not a string,
   * empty, over 8 KB), TOO_MANY_ATTRIBUTES (over 32) or ATTRIBUTES_TOO_LARGE (over 16 KB together,
   * or a request over the socket's `MAX_FRAME_BYTES` once JSON-escaped); with NOT_LOGGED_IN before
   * login. A refused write changes nothing.
   *
   * @example
   * await client.setLocalUserAttributes({ displayName: 'Alice', avatarUrl: 'https://…/alice.png' });
   */
  setLocalUserAttributes(attributes: AttributesMap): Promise<void>;

  /**
   * Adds `attributes` to this user's, replacing the values of keys it already has (Agora's name).
   * Errors as `setLocalUserAttributes`; TOO_MANY_ATTRIBUTES and ATTRIBUTES_TOO_LARGE also come from
   * the server when the result (stored attributes plus these) would be over 32 or 16 KB.
   */
  addOrUpdateLocalUserAttributes(attributes: AttributesMap): Promise<void>;

  /**
   * Deletes this user's attributes with these keys (Agora's name; keys it does not have are
   * ignored). Rejects at once with INVALID_ARGUMENT (not a non-empty array) or
   * INVALID_ATTRIBUTE_KEY (an invalid key, or one named twice).
   */
  deleteLocalUserAttributesByKeys(attributeKeys: string[]): Promise<void>;

  /** Deletes all of this user's attributes (Agora's name). Rejects with NOT_LOGGED_IN before login. */
  clearLocalUserAttributes(): Promise<void>;

  /**
   * All attributes of a user, this one or any other of the app (Agora's name); `{}` when it has
   * none. Rejects at once with INVALID_USER_ID.
   */
  getUserAttributes(userId: string): Promise<AttributesMap>;

  /**
   * Replaces all attributes of a channel with `attributes` (Agora's name); each keeps who set it
   * last and when (`lastUpdateUserId`, `lastUpdateTs`). With
   * `enableNotificationToChannelMembers: true` every joined member, this client included, gets
   * `AttributesUpdated` with the channel's attributes after the write. Unlike Agora, only a member
   * may change them: the server answers NOT_JOINED when this connection has not joined the channel
   * (the client does not refuse early, as `sendMessage` does, because tabs sharing one connection
   * share its joins). Rejects at once, sending nothing, with INVALID_CHANNEL_NAME,
   * INVALID_ARGUMENT, INVALID_ATTRIBUTE_KEY, INVALID_ATTRIBUTE_VALUE, TOO_MANY_ATTRIBUTES (over 32)
   * or ATTRIBUTES_TOO_LARGE (over 32 KB together, or a request over `MAX_FRAME_BYTES` once
   * JSON-escaped). A refused write changes nothing.
   *
   * @example
   * await client.setChannelAttributes('team', { topic: 'Release' }, { enableNotificationToChannelMembers: true });
   */
  setChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void>;

  /**
   * Adds `attributes` to a channel's, replacing the values of keys it already has (Agora's name).
   * Notification and errors as `setChannelAttributes`; TOO_MANY_ATTRIBUTES and
   * ATTRIBUTES_TOO_LARGE also come from the server when the result would be over 32 or 32 KB.
   */
  addOrUpdateChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void>;

  /**
   * Deletes a channel's attributes with these keys (Agora's name). Notification and NOT_JOINED as
   * `setChannelAttributes`; rejects at once with INVALID_CHANNEL_NAME, INVALID_ARGUMENT (not a
   * non-empty array) or INVALID_ATTRIBUTE_KEY.
   */
  deleteChannelAttributesByKeys(channelId: string, attributeKeys: string[], options?: ChannelAttributeOptions): Promise<void>;

  /**
   * Deletes all attributes of a channel (Agora's name). Notification and NOT_JOINED as
   * `setChannelAttributes`; rejects at once with INVALID_CHANNEL_NAME.
   */
  clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void>;

  /**
   * All attributes of a channel, each with its value, `lastUpdateUserId` and `lastUpdateTs`
   * (Agora's name); no need to have joined it. Rejects at once with INVALID_CHANNEL_NAME.
   */
  getChannelAttributes(channelId: string): Promise<ChannelAttributes>;

  /**
   * The attributes of a channel with these keys (Agora's name); no need to have joined it. Rejects
   * at once with INVALID_CHANNEL_NAME, INVALID_ARGUMENT (not a non-empty array) or
   * INVALID_ATTRIBUTE_KEY.
   */
  getChannelAttributesByKeys(channelId: string, keys: string[]): Promise<ChannelAttributes>;
}

/**
 * Creates a client for one app on one rtm-chat server (Agora's `AgoraRTM.createInstance`).
 * `server` may be left out with the script-tag build loaded from that server's `/dist/` (so
 * Agora's `createInstance(appId)` runs unchanged); elsewhere it is needed. Throws an
 * {@link RtmError} (INVALID_ARGUMENT) for a missing app id or a missing or bad server URL.
 *
 * @example
 * const client = createInstance('demo', { server: 'https://chat.example.com' });
 */
export function createInstance(appId: string, options?: Partial<RtmClientOptions>): RtmClient {
  return new RtmClient(appId, options);
}

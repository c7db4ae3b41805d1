import {
  CLIENT_HEARTBEAT_INTERVAL_MS,
  CLIENT_HEARTBEAT_TIMEOUT_MS,
  CloseCodes,
  LOGIN_TIMEOUT_MS,
  RECONNECT_BASE_DELAY_MS,
  RECONNECT_GIVE_UP_MS,
  RECONNECT_MAX_DELAY_MS,
  RtmError,
  type ClientFrame,
  type ErrorReason,
  type ServerFrame,
} from '../protocol/index.js';
import { backoffDelay } from './backoff.js';
import { TypedEmitter } from './emitter.js';
import type { Logger } from './log.js';
import { SOCKET_OPEN, type WebSocketConstructor, type WebSocketLike } from './socket.js';
import { ConnectionState, type ConnectionChangeReason } from './states.js';

/** Settings of a {@link Connection}; timing defaults come from the protocol limits. */
export interface ConnectionOptions {
  /** The socket URL (`ws(s)://host/ws`). */
  url: string;
  appId: string;
  WebSocket: WebSocketConstructor;
  log: Logger;
  /** Give up reconnecting after this long without a connection. Default RECONNECT_GIVE_UP_MS. */
  reconnectGiveUpMs?: number;
  /** A random number in [0, 1) for backoff jitter. */
  random?: () => number;
}

/** What a {@link Connection} reports to the client that owns it. */
export type ConnectionEvents = {
  /** The public state changed; `error` explains DISCONNECTED/ABORTED when there is one. */
  state: (state: ConnectionState, reason: ConnectionChangeReason, error?: RtmError) => void;
  /** A server frame other than the replies to the connection's own login and ping requests. */
  frame: (frame: ServerFrame) => void;
  /** Logged in on a new socket: the moment to rejoin channels and flush queued requests. */
  ready: () => void;
  /** The logged-in socket is gone: requests in flight on it will get no reply. */
  lost: () => void;
  /** The token expired: nothing reconnects until `setToken()` gives a new one. */
  tokenExpired: () => void;
};

/** Login errors that reconnecting cannot fix. */
const REFUSALS: ReadonlySet<ErrorReason> = new Set([
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'TOKEN_MISMATCH',
  'INVALID_APP_ID',
  'ORIGIN_NOT_ALLOWED',
  'INVALID_USER_ID',
]);

type Timer = ReturnType<typeof setTimeout>;

/**
 * The connection state machine: opens the socket, logs in, keeps the socket alive with heartbeats,
 * and reconnects with full-jitter backoff when it drops, until `reconnectGiveUpMs` pass without a
 * connection. It knows nothing of messages or channels; the client reacts to `ready` and `lost`.
 *
 * States: DISCONNECTED → (open) CONNECTING → CONNECTED ⇄ RECONNECTING → DISCONNECTED (gave up,
 * refused, logout) or ABORTED (replaced by another login, revoked by the server).
 */
export class Connection extends TypedEmitter<ConnectionEvents> {
  readonly #options: ConnectionOptions;
  #state: ConnectionState = ConnectionState.DISCONNECTED;
  #uid = '';
  #token = '';
  #socket: WebSocketLike | undefined;
  #loggedIn = false;
  #requestSeq = 0;
  #loginRequestId: number | undefined;
  #pingRequestId: number | undefined;
  #attempt = 0;
  #replaced = false;
  /** The token expired; the next `setToken()` reconnects. */
  #awaitingToken = false;
  #pendingLogin: { resolve: () => void; reject: (error: RtmError) => void } | undefined;

  #loginDeadline: Timer | undefined;
  #attemptTimer: Timer | undefined;
  #retryTimer: Timer | undefined;
  #giveUpTimer: Timer | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #pingTimer: Timer | undefined;
  #stopListeningOnline: (() => void) | undefined;

  constructor(options: ConnectionOptions) {
    super();
    this.#options = options;
  }

  /** The public connection state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The user id of the current or last login. */
  get uid(): string {
    return this.#uid;
  }

  /** Whether a logged-in socket is open right now (requests can be transmitted). */
  get ready(): boolean {
    return this.#loggedIn;
  }

  /**
   * Uses `token` for the next login, including automatic re-logins after a reconnect; when the
   * old token had expired, reconnects with this one at once.
   */
  setToken(token: string): void {
    this.#token = token;
    if (!this.#awaitingToken) return;
    this.#awaitingToken = false;
    this.#connect();
  }

  /** A request id unique on this connection, for the `id` of client frames. */
  nextRequestId(): number {
    // Stay inside the range the server accepts (non-negative 31-bit integers).
    this.#requestSeq = this.#requestSeq >= 2 ** 31 - 1 ? 1 : this.#requestSeq + 1;
    return this.#requestSeq;
  }

  /**
   * Logs in: resolves once the server accepted the login; rejects with the server's refusal
   * (INVALID_TOKEN, TOKEN_EXPIRED, …), LOGIN_TIMEOUT, or CANCELLED when `close()` came first.
   * Network failures within the login timeout are retried with backoff.
   */
  open(uid: string, token: string): Promise<void> {
    if (this.#state !== ConnectionState.DISCONNECTED && this.#state !== ConnectionState.ABORTED) {
      return Promise.reject(new RtmError('ALREADY_LOGGED_IN', 'Already logged in or logging in; call logout() first.'));
    }
    this.#uid = uid;
    this.#token = token;
    this.#attempt = 0;
    this.#replaced = false;
    const done = new Promise<void>((resolve, reject) => {
      this.#pendingLogin = { resolve, reject };
    });
    this.#setState(ConnectionState.CONNECTING, 'LOGIN');
    this.#loginDeadline = setTimeout(() => {
      this.#end(
        ConnectionState.DISCONNECTED,
        'LOGIN_TIMEOUT',
        new RtmError('LOGIN_TIMEOUT', `No login reply from the server within ${LOGIN_TIMEOUT_MS} ms.`),
      );
    }, LOGIN_TIMEOUT_MS);
    this.#listenOnline();
    this.#connect();
    return done;
  }

  /**
   * Logs out: tells the server (best effort), closes the socket, clears every timer, and moves to
   * DISCONNECTED (reason LOGOUT). A pending `open()` rejects with CANCELLED.
   */
  close(): void {
    if (this.#state === ConnectionState.DISCONNECTED || this.#state === ConnectionState.ABORTED) return;
    if (this.#loggedIn) this.#write({ t: 'logout', id: this.nextRequestId() });
    this.#end(ConnectionState.DISCONNECTED, 'LOGOUT', new RtmError('CANCELLED', 'Logged out.'));
  }

  /** Sends a frame on the logged-in socket. Returns false when there is none (nothing was sent). */
  transmit(frame: ClientFrame): boolean {
    return this.#loggedIn && this.#write(frame);
  }

  /**
   * Treats the current socket as dead (a request got no reply in time) and reconnects. Does
   * nothing unless connected: a reconnect is already under way otherwise.
   */
  forceReconnect(why: string): void {
    if (this.#state !== ConnectionState.CONNECTED || !this.#socket) return;
    this.#options.log.warn(`Reconnecting: ${why}.`);
    this.#socketGone(undefined, why, true);
  }

  // ---- socket lifecycle -----------------------------------------------------------------------

  #connect(): void {
    this.#retryTimer = undefined;
    let ws: WebSocketLike;
    try {
      ws = new this.#options.WebSocket(this.#options.url);
    } catch (error) {
      this.#options.log.warn('Could not open the socket:', error);
      this.#scheduleAttempt();
      return;
    }
    this.#socket = ws;
    this.#loggedIn = false;
    // A socket that neither fails nor logs in (a black-holed network) must not stall reconnecting.
    this.#attemptTimer = setTimeout(() => {
      if (ws === this.#socket) this.#socketGone(undefined, 'login attempt timed out', true);
    }, LOGIN_TIMEOUT_MS);
    ws.onopen = () => {
      if (ws !== this.#socket) return;
      const id = this.nextRequestId();
      this.#loginRequestId = id;
      this.#write({ t: 'login', id, appId: this.#options.appId, uid: this.#uid, token: this.#token });
    };
    ws.onmessage = (event) => {
      if (ws === this.#socket) this.#receive(event.data);
    };
    ws.onclose = (event) => {
      if (ws === this.#socket) this.#socketGone(event.code, event.reason, false);
    };
    ws.onerror = () => {
      // A close event always follows; the state machine reacts there.
      this.#options.log.debug('Socket error.');
    };
  }

  #write(frame: ClientFrame): boolean {
    const ws = this.#socket;
    if (!ws || ws.readyState !== SOCKET_OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      this.#options.log.debug('→', frame.t, frame.id);
      return true;
    } catch (error) {
      this.#options.log.warn('Socket send failed:', error);
      return false;
    }
  }

  /** Stops using the current socket: no more events from it, no timers tied to it. */
  #detachSocket(closeIt: boolean, code = 1000, reason = ''): void {
    const ws = this.#socket;
    this.#socket = undefined;
    this.#loggedIn = false;
    this.#loginRequestId = undefined;
    this.#stopHeartbeat();
    clearTimeout(this.#attemptTimer);
    this.#attemptTimer = undefined;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (closeIt) {
      try {
        ws.close(code, reason);
      } catch {
        // Already closing; nothing else to release.
      }
    }
  }

  /**
   * The socket closed (`code` from the close event) or is given up locally (`code` undefined:
   * heartbeat or request timeout, login attempt timeout). Decides between reconnecting and ending.
   */
  #socketGone(code: number | undefined, reason: string, closeIt: boolean): void {
    const wasLoggedIn = this.#loggedIn;
    this.#detachSocket(closeIt, 1000, reason.slice(0, 100));
    if (wasLoggedIn) this.emit('lost');
    this.#options.log.info(`Socket closed (${code ?? 'locally'}${reason ? `: ${reason}` : ''}).`);

    if (this.#replaced) {
      this.#end(ConnectionState.ABORTED, 'REMOTE_LOGIN', new RtmError('SESSION_REPLACED', 'Logged in elsewhere.'));
      return;
    }
    if (code === CloseCodes.TOKEN_EXPIRED && this.#state === ConnectionState.CONNECTED) {
      this.#tokenExpired();
      return;
    }
    const refused = code === CloseCodes.LOGIN_REFUSED || code === CloseCodes.ORIGIN_NOT_ALLOWED;
    if (this.#state === ConnectionState.CONNECTED) {
      if (code === CloseCodes.LOGOUT) {
        this.#end(ConnectionState.DISCONNECTED, 'LOGOUT', new RtmError('CANCELLED', 'Logged out by the server.'));
      } else if (refused) {
        this.#end(ConnectionState.ABORTED, 'BANNED_BY_SERVER', closeError(code, reason));
      } else {
        this.#setState(ConnectionState.RECONNECTING, 'INTERRUPTED');
        const giveUpMs = this.#options.reconnectGiveUpMs ?? RECONNECT_GIVE_UP_MS;
        this.#giveUpTimer = setTimeout(() => {
          this.#end(
            ConnectionState.DISCONNECTED,
            'INTERRUPTED',
            new RtmError('MESSAGE_WEBSOCKET_DISCONNECTED', `Gave up reconnecting after ${giveUpMs} ms.`),
          );
        }, giveUpMs);
        this.#scheduleAttempt();
      }
      return;
    }
    // CONNECTING or RECONNECTING: the login attempt failed.
    if (refused) this.#end(ConnectionState.DISCONNECTED, 'LOGIN_FAILURE', closeError(code, reason));
    else this.#scheduleAttempt();
  }

  /**
   * The token expired (the server closed the connection, or refused a re-login): wait in
   * RECONNECTING, sends queued, for `setToken()`; give up after the usual give-up time.
   */
  #tokenExpired(): void {
    this.#awaitingToken = true;
    this.#setState(ConnectionState.RECONNECTING, 'TOKEN_EXPIRED');
    clearTimeout(this.#giveUpTimer);
    const giveUpMs = this.#options.reconnectGiveUpMs ?? RECONNECT_GIVE_UP_MS;
    this.#giveUpTimer = setTimeout(() => {
      this.#end(
        ConnectionState.DISCONNECTED,
        'TOKEN_EXPIRED',
        new RtmError('TOKEN_EXPIRED', `The token expired and renewToken() gave no new one within ${giveUpMs} ms.`),
      );
    }, giveUpMs);
    this.emit('tokenExpired');
  }

  #scheduleAttempt(): void {
    const delay = backoffDelay(this.#attempt++, {
      baseDelayMs: RECONNECT_BASE_DELAY_MS,
      maxDelayMs: RECONNECT_MAX_DELAY_MS,
      random: this.#options.random,
    });
    this.#options.log.info(`Reconnect attempt ${this.#attempt} in ${delay} ms.`);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  /** The network came back: skip the rest of the backoff delay. */
  #listenOnline(): void {
    // Where there are no window events (Node), there is nothing to listen to.
    const target = globalThis as unknown as Partial<EventTarget>;
    const onOnline = (): void => {
      if (this.#retryTimer === undefined) return;
      clearTimeout(this.#retryTimer);
      this.#connect();
    };
    target.addEventListener?.('online', onOnline);
    this.#stopListeningOnline = () => target.removeEventListener?.('online', onOnline);
  }

  /** Ends the session for good: every timer cleared, socket closed, pending login rejected. */
  #end(state: ConnectionState, reason: ConnectionChangeReason, error: RtmError): void {
    this.#awaitingToken = false;
    this.#detachSocket(true, 1000, reason);
    for (const timer of [this.#loginDeadline, this.#retryTimer, this.#giveUpTimer]) clearTimeout(timer);
    this.#loginDeadline = this.#retryTimer = this.#giveUpTimer = undefined;
    this.#stopListeningOnline?.();
    this.#stopListeningOnline = undefined;
    const pending = this.#pendingLogin;
    this.#pendingLogin = undefined;
    this.#setState(state, reason, error);
    pending?.reject(error);
  }

  #setState(state: ConnectionState, reason: ConnectionChangeReason, error?: RtmError): void {
    this.#state = state;
    this.#options.log.info(`Connection ${state} (${reason}).`);
    this.emit('state', state, reason, error);
  }

  // ---- frames ---------------------------------------------------------------------------------

  #receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.#options.log.warn('Ignoring a non-text frame.');
      return;
    }
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      this.#options.log.warn('Ignoring a frame that is not JSON.');
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.t !== 'string') {
      this.#options.log.warn('Ignoring a frame without a type.');
      return;
    }
    this.#options.log.debug('←', frame.t, 'id' in frame ? frame.id : '');
    if ((frame.t === 'reply' || frame.t === 'error') && frame.id !== undefined) {
      if (frame.id === this.#loginRequestId) return this.#onLoginReply(frame);
      if (frame.id === this.#pingRequestId) return this.#onPong();
    }
    if (frame.t === 'error' && frame.id === undefined && frame.error?.reason === 'SESSION_REPLACED') {
      // The server closes the socket next; remember why, so the close does not trigger a reconnect.
      this.#replaced = true;
    }
    this.emit('frame', frame);
  }

  #onLoginReply(frame: Extract<ServerFrame, { t: 'reply' | 'error' }>): void {
    this.#loginRequestId = undefined;
    clearTimeout(this.#attemptTimer);
    this.#attemptTimer = undefined;
    if (frame.t === 'reply' && frame.ok) {
      this.#loggedIn = true;
      this.#attempt = 0;
      clearTimeout(this.#giveUpTimer);
      clearTimeout(this.#loginDeadline);
      this.#giveUpTimer = this.#loginDeadline = undefined;
      this.#startHeartbeat();
      const pending = this.#pendingLogin;
      this.#pendingLogin = undefined;
      this.#setState(ConnectionState.CONNECTED, 'LOGIN_SUCCESS');
      pending?.resolve();
      this.emit('ready');
      return;
    }
    const error = RtmError.fromBody(frame.error ?? {});
    if (this.#state === ConnectionState.RECONNECTING && error.reason === 'TOKEN_EXPIRED') {
      this.#detachSocket(true);
      this.#tokenExpired();
    } else if (this.#state === ConnectionState.CONNECTING || REFUSALS.has(error.reason)) {
      this.#end(ConnectionState.DISCONNECTED, 'LOGIN_FAILURE', error);
    } else {
      // A transient refusal while reconnecting (server busy, internal error): try again later.
      this.#socketGone(undefined, error.reason, true);
    }
  }

  // ---- heartbeat ------------------------------------------------------------------------------

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    this.#heartbeat = setInterval(() => this.#ping(), CLIENT_HEARTBEAT_INTERVAL_MS);
  }

  #ping(): void {
    if (this.#pingTimer !== undefined) return; // the previous ping is still waiting for its reply
    const id = this.nextRequestId();
    this.#pingRequestId = id;
    this.#write({ t: 'ping', id });
    this.#pingTimer = setTimeout(() => {
      this.#pingTimer = undefined;
      this.forceReconnect(`no heartbeat reply within ${CLIENT_HEARTBEAT_TIMEOUT_MS} ms`);
    }, CLIENT_HEARTBEAT_TIMEOUT_MS);
  }

  #onPong(): void {
    clearTimeout(this.#pingTimer);
    this.#pingTimer = undefined;
    this.#pingRequestId = undefined;
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#pingTimer);
    this.#heartbeat = this.#pingTimer = this.#pingRequestId = undefined;
  }
}

/** The error for a refusing close code; the server may name the reason in the close reason. */
function closeError(code: number | undefined, reason: string): RtmError {
  const word = /^[A-Z_]+/.exec(reason)?.[0] as ErrorReason | undefined;
  if (word && REFUSALS.has(word)) return new RtmError(word, `The server refused the login: ${reason}.`);
  if (code === CloseCodes.ORIGIN_NOT_ALLOWED) {
    return new RtmError('ORIGIN_NOT_ALLOWED', "This page's origin is not allowed for the app.");
  }
  return new RtmError('INVALID_TOKEN', `The server refused the login${reason ? `: ${reason}` : ''}.`);
}

import { ConnectionState, createInstance, shareConnection, type RtmClient, type SharedConnection, type WebSocketConstructor } from '../../client/index.js';
import { RtmError } from '../../protocol/index.js';
import { asRtmError } from '../errors.js';
import type { SessionContext } from './context.js';
import type { Changes } from './changes.js';
import type { Receiver } from './receive.js';
import type { Sending } from './sending.js';
import type { Sync } from './sync.js';
import { TokenRenewal } from './token-renewal.js';
import { TokenRetry } from './token-retry.js';

/** The modules the lifecycle starts and stops. */
export interface LifecycleParts {
  receiver: Receiver;
  changes: Changes;
  sync: Sync;
  sending: Sending;
}

/**
 * Signing in and out: the client (created on first start, sharing one connection among this
 * user's tabs), the token for login (from the provider, retried while it fails), listening to the
 * client while started, the connection state, and what a (re)connect starts.
 */
export class Lifecycle {
  readonly #session: SessionContext;
  readonly #parts: LifecycleParts;
  readonly #renewal: TokenRenewal;
  #starting: Promise<void> | undefined;
  /** Bumped by stop(), so a start() still waiting for its token does not log in afterwards. */
  #generation = 0;
  /** The token request of a start() in progress, retried while the provider fails. */
  #tokenRetry: TokenRetry | undefined;
  /** The connection shared with this user's other tabs, when sharing. */
  #shared: SharedConnection | undefined;
  /** Leaves the leader election (handing the socket over when this tab leads). */
  #leaveElection: (() => void) | undefined;
  #detachClient: (() => void) | undefined;

  constructor(session: SessionContext, parts: LifecycleParts) {
    this.#session = session;
    this.#parts = parts;
    this.#renewal = new TokenRenewal(session);
  }

  /** Signs in (see ChatSession.start). */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    const session = this.#session;
    const generation = this.#generation;
    const starting = this.#login(generation).catch((error: unknown) => {
      const rtmError = asRtmError(error, 'INVALID_TOKEN');
      if (this.#starting === starting) this.#starting = undefined;
      if (generation === this.#generation) {
        const { state, reason } = session.$connection.get();
        // Failures before the client tried (bad server URL, no token, the token provider kept
        // failing) leave no state behind.
        const failedEarly =
          state === 'IDLE' ||
          state === ConnectionState.CONNECTING ||
          (state === ConnectionState.RECONNECTING && session.client?.connectionState === ConnectionState.DISCONNECTED);
        session.$connection.set(
          failedEarly
            ? { state: ConnectionState.DISCONNECTED, reason: 'LOGIN_FAILURE', error: rtmError }
            : { state, reason, error: rtmError },
        );
        session.events.emit({ type: 'error', error: rtmError });
      }
      throw rtmError;
    });
    this.#starting = starting;
    return starting;
  }

  async #login(generation: number): Promise<void> {
    const session = this.#session;
    const { sending } = this.#parts;
    const client = this.#ensureClient();
    this.#attach(client);
    const outbox = sending.restoreOutbox();
    const { tokenProvider, token } = session.options;
    let fresh = token;
    if (tokenProvider) {
      const retry = new TokenRetry(tokenProvider, () => {
        if (generation === this.#generation) session.$connection.set({ state: ConnectionState.RECONNECTING, reason: 'INTERRUPTED' });
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
    const login = client.login({ uid: session.userId, token: fresh });
    this.#leaveElection ??= this.#shared?.elect(() => void sending.takeOverOutbox());
    session.presence.resume();
    // Logging in: the client holds requests until connected, so the outbox can go out now.
    void outbox.then((chats) => sending.resend(chats));
    await login;
    session.profiles.resume();
    const { profile } = session.options;
    if (profile) session.profiles.setOwn(profile).catch((error: unknown) => session.report(error));
  }

  /** Signs out (see ChatSession.stop). */
  async stop(): Promise<void> {
    const session = this.#session;
    this.#generation++;
    this.#tokenRetry?.cancel();
    this.#renewal.cancel();
    this.#starting = undefined;
    this.#detach();
    session.typing.clear();
    session.presence.clear();
    session.profiles.clear();
    session.invitations.clear();
    await session.client?.logout();
    this.#leaveElection?.();
    this.#leaveElection = undefined;
    await session.cache.close();
    session.$connection.set({ state: 'IDLE' });
  }

  /** The client, created on first use: a bad server URL surfaces as start()'s rejection. */
  #ensureClient(): RtmClient {
    const session = this.#session;
    if (!session.client) {
      const { server, appId, userId, WebSocket, client, shareConnection: share = true } = session.options;
      const own = WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
      this.#shared = share && own ? shareConnection(`${server} ${appId} ${userId}`, own) : undefined;
      session.client = createInstance(appId, { ...client, server, WebSocket: this.#shared?.WebSocket ?? WebSocket });
    }
    return session.client;
  }

  /** Listens to the client (once per start) and to the channels of shown and listed conversations. */
  #attach(client: RtmClient): void {
    const session = this.#session;
    if (session.active) return;
    session.active = true;
    this.#detachClient = this.#parts.receiver.listen(client, {
      ConnectionStateChanged: (state, reason) => this.#onConnection(state, reason),
      ...this.#renewal.listeners,
      ...this.#parts.changes.listeners(),
    });
    this.#parts.sync.attach();
  }

  #detach(): void {
    this.#session.active = false;
    this.#detachClient?.();
    this.#detachClient = undefined;
    this.#parts.sync.detach();
  }

  #onConnection(state: ConnectionState, reason: string): void {
    const session = this.#session;
    session.$connection.set({ state, reason });
    session.events.emit({ type: 'connection', state, reason });
    if (state === ConnectionState.CONNECTED) {
      this.#parts.sync.connected();
    } else if (state === ConnectionState.DISCONNECTED || state === ConnectionState.ABORTED) {
      // The connection ended; the next start() signs in again.
      this.#starting = undefined;
      if (reason === 'TOKEN_EXPIRED') {
        session.report(new RtmError('TOKEN_EXPIRED', 'The token expired and was not renewed: give the session a tokenProvider.'));
      }
    }
  }
}

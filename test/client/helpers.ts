// Browser-test helpers for the transport core and the store: the real server started by
// web-test-runner.config.mjs (window.RTM_TEST), dev tokens, and a socket tap — the one fake we
// allow, at the boundary we must break on purpose (frames dropped, sockets killed).
import { executeServerCommand } from '@web/test-runner-commands';
import {
  createInstance,
  type EventMap,
  type RtmChannel,
  type RtmChannelEvents,
  type RtmClient,
  type RtmClientEvents,
  type RtmClientOptions,
  type TypedEmitter,
  type WebSocketConstructor,
  type WebSocketLike,
} from '../../src/client/index.js';
import type { ClientFrame, ServerFrame } from '../../src/protocol/index.js';

export { serverUrl, appId, uniqueId, devToken, waitFor, sleep } from '../support/browser.js';
import { serverUrl, appId, devToken, sleep } from '../support/browser.js';

/** The settled state of a promise right now (after pending microtasks ran). */
export async function settledState(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  let state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  promise.then(
    () => (state = 'fulfilled'),
    () => (state = 'rejected'),
  );
  await sleep(0);
  return state;
}

/** What a promise rejected with; fails when it fulfilled. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the promise fulfilled.');
}

/** Records every emission of `event` as its argument list. */
export function record<K extends keyof RtmClientEvents>(emitter: RtmClient, event: K): Parameters<RtmClientEvents[K]>[];
export function record<K extends keyof RtmChannelEvents>(emitter: RtmChannel, event: K): Parameters<RtmChannelEvents[K]>[];
export function record(emitter: RtmClient | RtmChannel, event: string): unknown[][] {
  const calls: unknown[][] = [];
  (emitter as unknown as TypedEmitter<EventMap>).on(event, (...args: unknown[]) => {
    calls.push(args);
  });
  return calls;
}

// ---- clients with teardown ------------------------------------------------------------------------

const liveClients = new Set<RtmClient>();

/** A client for the test server, logged out by {@link logoutAll} after the test. */
export function newClient(options: Partial<RtmClientOptions> = {}): RtmClient {
  const client = createInstance(appId(), { server: serverUrl(), ...options });
  liveClients.add(client);
  return client;
}

/** A logged-in client for a fresh dev token of `uid`. */
export async function loggedInClient(uid: string, options: Partial<RtmClientOptions> = {}): Promise<RtmClient> {
  const client = newClient(options);
  await client.login({ uid, token: await devToken(uid) });
  return client;
}

/** Logs out every client made by {@link newClient}: no sockets or timers outlive a test. */
export async function logoutAll(): Promise<void> {
  for (const client of liveClients) {
    await client.logout();
    client.removeAllListeners();
  }
  liveClients.clear();
}

// ---- the real server ------------------------------------------------------------------------------

/** SIGKILLs the server (the port refuses connections until {@link startServer}). */
export async function stopServer(): Promise<void> {
  await executeServerCommand('rtm-server-stop');
}

/** Starts the server again on the same port and data dir; resolves when it listens. */
export async function startServer(): Promise<void> {
  await executeServerCommand('rtm-server-start');
}

// ---- the socket tap -------------------------------------------------------------------------------

/** A WebSocket wrapper that records frames and can drop them or kill its socket on purpose. */
export interface SocketTap {
  /** Pass as the client's `WebSocket` option. */
  readonly WebSocket: WebSocketConstructor;
  /** Every frame the client handed to a socket (including dropped ones), in order. */
  readonly sent: ClientFrame[];
  /** How many sockets the client opened. */
  readonly opened: () => number;
  /** How many of them are still open or opening. */
  readonly live: () => number;
  /** Return true to swallow an outgoing frame: the server never sees it. */
  dropOutgoing?: (frame: ClientFrame) => boolean;
  /** Return true to swallow an incoming frame: the client never sees it. */
  dropIncoming?: (frame: ServerFrame) => boolean;
  /** Return true to kill the socket instead of sending the frame (a connection lost mid-send). */
  killOnSend?: (frame: ClientFrame) => boolean;
  /** While true, new sockets fail to connect (the network is down for this client only). */
  refuse: boolean;
  /** Kills every open socket, as a dropped network would. */
  kill(): void;
}

export function socketTap(): SocketTap {
  const sockets: TappedSocket[] = [];
  const tap: SocketTap = {
    WebSocket: undefined as unknown as WebSocketConstructor,
    sent: [],
    opened: () => sockets.length,
    live: () => sockets.filter((socket) => socket.readyState <= 1).length,
    refuse: false,
    kill: () => {
      for (const socket of sockets) if (socket.readyState <= 1) socket.close(3000, 'killed by the test');
    },
  };

  class TappedSocket implements WebSocketLike {
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;
    readonly #ws: WebSocket;

    constructor(url: string) {
      sockets.push(this);
      // Port 1 refuses at once: the client sees an ordinary failed connection attempt.
      this.#ws = new WebSocket(tap.refuse ? 'ws://127.0.0.1:1/' : url);
      this.#ws.onopen = (event) => this.onopen?.(event);
      this.#ws.onerror = (event) => this.onerror?.(event);
      this.#ws.onclose = (event) => this.onclose?.({ code: event.code, reason: event.reason });
      this.#ws.onmessage = (event) => {
        const frame = JSON.parse(String(event.data)) as ServerFrame;
        if (tap.dropIncoming?.(frame)) return;
        this.onmessage?.({ data: event.data });
      };
    }

    get readyState(): number {
      return this.#ws.readyState;
    }

    send(data: string): void {
      const frame = JSON.parse(data) as ClientFrame;
      tap.sent.push(frame);
      if (tap.killOnSend?.(frame)) {
        this.#ws.close(3000, 'killed by the test');
        return;
      }
      if (tap.dropOutgoing?.(frame)) return;
      this.#ws.send(data);
    }

    close(code?: number, reason?: string): void {
      this.#ws.close(code, reason);
    }
  }

  (tap as { WebSocket: WebSocketConstructor }).WebSocket = TappedSocket;
  return tap;
}

/** The frames of one type the client sent. */
export function sentOfType<T extends ClientFrame['t']>(tap: SocketTap, type: T): Extract<ClientFrame, { t: T }>[] {
  return tap.sent.filter((frame): frame is Extract<ClientFrame, { t: T }> => frame.t === type);
}

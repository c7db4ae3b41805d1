import {
  RtmError,
  SEND_ATTEMPTS,
  SEND_TIMEOUT_MS,
  type ClientFrame,
  type ReplyResults,
  type ServerFrame,
} from '../protocol/index.js';

/** What the outbox needs from the connection. */
export interface OutboxTransport {
  /** Sends a frame on the logged-in socket; false when there is none. */
  transmit(frame: ClientFrame): boolean;
  nextRequestId(): number;
  /** The socket is presumed dead: drop it and reconnect. */
  forceReconnect(why: string): void;
}

/** Outbox settings; the defaults come from the protocol limits. */
export interface OutboxOptions {
  /** How long a transmitted request waits for its reply. Default SEND_TIMEOUT_MS. */
  sendTimeoutMs?: number;
}

/** How a request is queued. */
export interface RequestOptions {
  /**
   * Transmit now even while the outbox is paused, and never retransmit. For the channel rejoins
   * and presence subscriptions that must reach the server before the queued sends after a
   * reconnect (the next reconnect renews them afresh, so a lost one needs no retry), and for
   * typing notices (worthless once late).
   */
  now?: boolean;
}

type Timer = ReturnType<typeof setTimeout>;

interface Entry {
  build: (id: number) => ClientFrame;
  /** Request id of the transmission waiting for a reply; undefined while queued. */
  requestId: number | undefined;
  attempts: number;
  timer: Timer | undefined;
  now: boolean;
  resolve: (result: any) => void;
  reject: (error: RtmError) => void;
}

/**
 * Requests waiting for their reply, with the client's delivery rule: a request made while the
 * connection is down waits and is transmitted after reconnect and login; once transmitted it waits
 * `sendTimeoutMs` for the reply; on timeout the socket is presumed dead, a reconnect is forced and
 * the request is transmitted again after it; when all {@link SEND_ATTEMPTS} transmissions are lost
 * (timed out or dropped with the socket) it rejects with SERVER_NOT_REACHABLE (300).
 *
 * Every request the client makes is idempotent (sends carry a client message id the server dedupes
 * on; join, leave, members and history are naturally so), which is what makes retransmitting safe.
 * Retransmits keep the original order.
 */
export class Outbox {
  readonly #transport: OutboxTransport;
  readonly #timeoutMs: number;
  /** Every unsettled request, in the order it was made (a Set iterates in insertion order). */
  readonly #entries = new Set<Entry>();
  readonly #inFlight = new Map<number, Entry>();
  #open = false;

  constructor(transport: OutboxTransport, options: OutboxOptions = {}) {
    this.#transport = transport;
    this.#timeoutMs = options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  }

  /**
   * Queues a request; `build` makes its frame for a given request id (a new id per transmission).
   * Resolves with the reply's result; rejects with the server's error, SERVER_NOT_REACHABLE, or
   * whatever `failAll` is given.
   */
  request<T extends keyof ReplyResults>(
    build: (id: number) => ClientFrame & { t: T },
    options: RequestOptions = {},
  ): Promise<ReplyResults[T]> {
    return new Promise<ReplyResults[T]>((resolve, reject) => {
      const entry: Entry = { build, requestId: undefined, attempts: 0, timer: undefined, now: !!options.now, resolve, reject };
      this.#entries.add(entry);
      if (entry.now) {
        if (!this.#transmit(entry)) {
          this.#settle(entry);
          reject(new RtmError('MESSAGE_WEBSOCKET_DISCONNECTED', 'The connection is down.'));
        }
      } else if (this.#open) {
        this.#transmit(entry);
      }
    });
  }

  /** The connection is logged in: transmit everything queued, in order. */
  resume(): void {
    this.#open = true;
    for (const entry of this.#entries) {
      if (entry.requestId === undefined && !this.#transmit(entry)) break;
    }
  }

  /**
   * The socket is gone: requests in flight on it lost their transmission. They are queued again
   * while attempts remain, else rejected with SERVER_NOT_REACHABLE.
   */
  pause(): void {
    this.#open = false;
    for (const entry of [...this.#inFlight.values()]) {
      this.#untrack(entry);
      if (entry.now) this.#fail(entry, new RtmError('MESSAGE_WEBSOCKET_DISCONNECTED', 'The connection dropped.'));
      else if (entry.attempts >= SEND_ATTEMPTS) this.#fail(entry, notReachable(entry.attempts));
    }
  }

  /** Rejects every request with `error` and clears every timer (logout, gave up reconnecting). */
  failAll(error: RtmError): void {
    this.#open = false;
    for (const entry of [...this.#entries]) this.#fail(entry, error);
  }

  /** Settles the request a reply (or an error frame with an id) belongs to. Returns whether it did. */
  handleFrame(frame: ServerFrame): boolean {
    if ((frame.t !== 'reply' && frame.t !== 'error') || frame.id === undefined) return false;
    const entry = this.#inFlight.get(frame.id);
    if (!entry) return false;
    this.#settle(entry);
    if (frame.t === 'reply' && frame.ok) entry.resolve(frame.result);
    else entry.reject(RtmError.fromBody(frame.error ?? {}));
    return true;
  }

  #transmit(entry: Entry): boolean {
    const id = this.#transport.nextRequestId();
    if (!this.#transport.transmit(entry.build(id))) return false;
    entry.attempts++;
    entry.requestId = id;
    this.#inFlight.set(id, entry);
    entry.timer = setTimeout(() => this.#timedOut(entry), this.#timeoutMs);
    return true;
  }

  #timedOut(entry: Entry): void {
    this.#untrack(entry);
    if (entry.now || entry.attempts >= SEND_ATTEMPTS) this.#fail(entry, notReachable(entry.attempts));
    // Otherwise it stays queued: the reconnect below pauses the outbox, and its resume transmits it.
    this.#transport.forceReconnect(`no reply within ${this.#timeoutMs} ms`);
  }

  #untrack(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (entry.requestId !== undefined) this.#inFlight.delete(entry.requestId);
    entry.requestId = undefined;
  }

  #settle(entry: Entry): void {
    this.#untrack(entry);
    this.#entries.delete(entry);
  }

  #fail(entry: Entry, error: RtmError): void {
    this.#settle(entry);
    entry.reject(error);
  }
}

function notReachable(attempts: number): RtmError {
  return new RtmError('SERVER_NOT_REACHABLE', `No reply from the server after ${attempts} attempt(s).`);
}

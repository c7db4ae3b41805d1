import type { WebSocket } from 'ws';
import {
  CloseCodes,
  MAX_SEND_BUFFER_BYTES,
  RtmError,
  SLOW_CONSUMER_CLOSE_GRACE_MS,
  type ClientFrameType,
  type CloseCode,
  type ReplyResults,
  type ServerFrame,
} from '../../protocol/index.js';
import type { RoutedConnection, SerializedFrame } from '../messaging/presence-router.js';
import type { TokenExpiry } from './token-expiry.js';

let nextConnectionId = 1;

/** The TCP socket under a WebSocket (the upgrade request's), whose writes can be held and merged. */
export interface CorkableStream {
  cork(): void;
  uncork(): void;
}
let nextPingId = 1;

/**
 * One client WebSocket: its login state and typed helpers to send frames. Frames are only written
 * while the socket is open; anything sent to a closing socket is dropped (the client will fetch
 * history after reconnecting).
 *
 * Slow consumers: before each write the bytes still waiting for the client (ws `bufferedAmount`)
 * are checked; over MAX_SEND_BUFFER_BYTES the connection is closed with SLOW_CONSUMER and nothing
 * more is written to it. Writes never wait for a client, so a fan-out to a channel with a stuck
 * member costs the others nothing but the copy into that member's buffer, up to the limit.
 */
export class Connection implements RoutedConnection {
  readonly id = nextConnectionId++;
  /** 'new' until login succeeds; 'closing' once we decided to close (queued frames are ignored). */
  state: 'new' | 'ready' | 'closing' = 'new';
  appId = '';
  uid = '';
  /** Set once presence routes to this connection; it must then be detached when it closes. */
  routed = false;
  /** The login token's lifetime, once logged in (renewed by `renew`). */
  tokenExpiry: TokenExpiry | undefined;
  /** Conversation key → when this connection last sent a `typing` notice there (server clock). */
  readonly typingAt = new Map<string, number>();
  /**
   * Called once when the server decides to close this connection (in a microtask, so never in the
   * middle of a fan-out that is still iterating over connections).
   */
  onClosing: ((code: CloseCode, reason: string) => void) | undefined;
  /** Frames larger than the buffer limit by themselves, written but not yet taken by the network. */
  #bulkFrames = 0;
  #bulkBytes = 0;

  constructor(
    readonly socket: WebSocket,
    /** The upgrade request's Origin header: absent for non-browser clients. */
    readonly origin: string | undefined,
    /** The upgrade request's Host header, to recognise same-origin pages. */
    readonly host: string | undefined,
    /** The socket under `socket`: frames sent in one turn are written with one system call. */
    readonly stream?: CorkableStream,
  ) {}

  #corked = false;

  /**
   * Holds this turn's writes and lets them go together when the turn ends (a `nextTick`, which
   * runs after the promise continuations of the turn: the acks of a group-commit batch, the
   * pushes and receipts they fan out). A busy connection otherwise pays one `writev` per frame —
   * an ack, its delivered receipt and the partner's messages are three. ws corks each frame's
   * header and payload itself; Node counts corks, so its uncork leaves ours in place.
   */
  #holdWritesForThisTurn(): void {
    const stream = this.stream;
    if (this.#corked || !stream) return;
    this.#corked = true;
    stream.cork();
    process.nextTick(() => {
      this.#corked = false;
      stream.uncork();
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a serialized text frame; `done` gets an error when it could not be written. */
  sendText(text: SerializedFrame, done?: (error?: Error) => void): void {
    if (!this.isOpen) {
      done?.(new Error('socket is not open'));
      return;
    }
    if (this.#backlog() > MAX_SEND_BUFFER_BYTES) {
      this.#dropSlowConsumer();
      done?.(new Error('slow consumer'));
      return;
    }
    // A UTF-16 code unit is at most 3 UTF-8 bytes: only long texts need counting.
    const bytes = typeof text !== 'string' ? text.length : text.length * 3 > MAX_SEND_BUFFER_BYTES ? Buffer.byteLength(text) : 0;
    this.#holdWritesForThisTurn();
    // `binary: false`: bytes from a fan-out are still a text (JSON) frame.
    if (bytes <= MAX_SEND_BUFFER_BYTES) {
      this.socket.send(text, { binary: false }, done);
      return;
    }
    // One reply this large (a history page or offline batch of big messages) may be in flight
    // without counting as a backlog; a second one, or anything piling up behind it, counts.
    this.#bulkFrames++;
    this.#bulkBytes += bytes;
    this.socket.send(text, { binary: false }, (error) => {
      this.#bulkFrames--;
      this.#bulkBytes -= bytes;
      done?.(error);
    });
  }

  /** Bytes written and not yet taken by the network, not counting a single bulk reply in flight. */
  #backlog(): number {
    const buffered = this.socket.bufferedAmount;
    return this.#bulkFrames === 1 ? buffered - this.#bulkBytes : buffered;
  }

  #dropSlowConsumer(): void {
    this.close(CloseCodes.SLOW_CONSUMER, `more than ${MAX_SEND_BUFFER_BYTES} bytes waiting to be read`);
    // The close frame waits behind the backlog; a client that stopped reading never takes it.
    const cut = setTimeout(() => this.socket.terminate(), SLOW_CONSUMER_CLOSE_GRACE_MS);
    cut.unref();
    this.socket.once('close', () => clearTimeout(cut));
  }

  /**
   * Resolves true once the client has received everything sent to it so far: a ping with a unique
   * payload is sent behind those frames, and the socket is ordered, so its pong proves the client
   * read them (browsers answer pings by themselves). False on timeout or when the socket closes.
   */
  confirmReceived(timeoutMs: number): Promise<boolean> {
    if (!this.isOpen) return Promise.resolve(false);
    const token = Buffer.from(`confirm-${nextPingId++}`);
    return new Promise((resolve) => {
      const finish = (received: boolean) => {
        clearTimeout(timer);
        this.socket.off('pong', onPong);
        this.socket.off('close', onClose);
        resolve(received);
      };
      const onPong = (data: Buffer) => {
        if (data.equals(token)) finish(true);
      };
      const onClose = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.socket.on('pong', onPong);
      this.socket.on('close', onClose);
      this.socket.ping(token);
    });
  }

  send(frame: ServerFrame, done?: (error?: Error) => void): void {
    this.sendText(JSON.stringify(frame), done);
  }

  reply<T extends ClientFrameType>(id: number, _type: T, result: ReplyResults[T]): void {
    this.send({ t: 'reply', id, ok: true, result });
  }

  /** An error reply for request `id`, or an `error` frame when the request had no usable id. */
  replyError(id: number | undefined, error: RtmError): void {
    const body = { code: error.code, reason: error.reason, message: error.message };
    this.send(id === undefined ? { t: 'error', error: body } : { t: 'reply', id, ok: false, error: body });
  }

  /** Closes with an application close code; frames already sent are flushed first. */
  close(code: CloseCode, reason: string): void {
    const first = this.state !== 'closing';
    this.state = 'closing';
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
    if (first) queueMicrotask(() => this.onClosing?.(code, reason));
  }

  /** Replies with an error, then closes: the client learns why before the socket goes away. */
  refuse(id: number | undefined, error: RtmError, code: CloseCode = CloseCodes.LOGIN_REFUSED): void {
    this.replyError(id, error);
    this.close(code, error.reason);
  }
}

import { TYPING_MIN_INTERVAL_MS, type RtmError } from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { ChannelHost } from './channel.js';
import { conversationKey, conversationRef, type ConversationTarget } from './conversation-target.js';

/**
 * The typing indicator: notices this user sends (at most one per `TYPING_MIN_INTERVAL_MS` per
 * conversation, best effort) and the event for other users' notices.
 */

/** Someone is typing (event `TypingStarted`): show it for `expiresInMs` unless renewed. */
export interface RtmTypingIndicator {
  /** Who is typing. */
  from: string;
  /** Set for a peer conversation: the conversation with `from` (equal to `from`). */
  peerId?: string;
  /** Set for a channel conversation. */
  channelId?: string;
  expiresInMs: number;
}

/** The typing event, merged into the client's events. */
export type TypingEvents = {
  /** Another user is typing in a conversation with this user or in a joined channel. */
  TypingStarted: (typing: RtmTypingIndicator) => void;
};

/** What {@link TypingRequests} needs of the client. */
export interface TypingHost {
  /** A request through the client's outbox, refused up front when the session is not usable. */
  request: ChannelHost['request'];
  /** Whether the socket is logged in now. */
  ready(): boolean;
  /** Whether a session is on (logging in, connected or reconnecting). */
  active(): boolean;
}

/** `sendTypingIndicator` (documented on the client), with when a notice last went out per conversation. */
export class TypingRequests {
  readonly #host: TypingHost;
  /** When a typing notice last went out, per conversation ({@link conversationKey}). */
  readonly #sentAt = new Map<string, number>();

  constructor(host: TypingHost) {
    this.#host = host;
  }

  /** Forgets the sending times (logout). */
  clear(): void {
    this.#sentAt.clear();
  }

  send(target: ConversationTarget): Promise<void> {
    return attempt(() => {
      const ref = conversationRef(target, 'sendTypingIndicator');
      const key = conversationKey(ref);
      const now = Date.now();
      const tooSoon = now - (this.#sentAt.get(key) ?? -Infinity) < TYPING_MIN_INTERVAL_MS;
      // A notice would be stale by the time a reconnect delivered it: while the socket is down,
      // or too soon after the last one, resolve unsent. Outside a session the request decides.
      if (this.#host.active() && (!this.#host.ready() || tooSoon)) return Promise.resolve();
      this.#sentAt.set(key, now);
      return this.#host.request<'typing'>((id) => ({ t: 'typing', id, ...ref }), { now: true }).then(
        () => undefined,
        (error: unknown) => {
          const reason = (error as RtmError).reason;
          if (reason === 'TOO_OFTEN' || reason === 'MESSAGE_WEBSOCKET_DISCONNECTED') return;
          throw error;
        },
      );
    });
  }
}

import type { ConnectionState } from '../client/index.js';
import type { RtmError } from '../protocol/index.js';
import type { ChatMessage } from './chat-message.js';
import type { ConversationKey } from './keys.js';
import type { ChatInvitation, ChatInvitationState } from './live/invitations.js';

/** The connection as the views see it: `IDLE` before `start()` and after `stop()`. */
export interface ConnectionSnapshot {
  readonly state: 'IDLE' | ConnectionState;
  /** The RTM change reason (LOGIN, LOGIN_SUCCESS, INTERRUPTED, LOGIN_FAILURE, …). */
  readonly reason?: string;
  /** Why the session could not start or ended, when there is an error behind it. */
  readonly error?: RtmError;
}

/**
 * Store events the element layer turns into DOM events:
 * - `message`: a new message from someone else arrived (live, not from history).
 * - `error`: an operation failed (login, send, history, join); `conversation` when it concerns one.
 * - `connection`: the connection state changed.
 * - `unread`: the total of unread messages over every conversation changed (`$totalUnread`).
 * - `invitation`: a call invitation to this user arrived or ended (see ChatInvitationState).
 */
export type ChatStoreEvent =
  | { readonly type: 'message'; readonly conversation: ConversationKey; readonly message: ChatMessage }
  | { readonly type: 'error'; readonly error: RtmError; readonly conversation?: ConversationKey }
  | { readonly type: 'connection'; readonly state: ConnectionSnapshot['state']; readonly reason?: string }
  | { readonly type: 'unread'; readonly total: number }
  | { readonly type: 'invitation'; readonly invitation: ChatInvitation; readonly state: ChatInvitationState; readonly reason?: string };

/** A listener of {@link ChatStoreEvent}s. */
export type ChatStoreListener = (event: ChatStoreEvent) => void;

/** The session's event listeners; a throwing listener does not stop the others. */
export class StoreEvents {
  readonly #listeners = new Set<ChatStoreListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ChatStoreListener): () => void {
    // Wrap, so the same function subscribed twice gets two independent subscriptions.
    const entry: ChatStoreListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Calls every listener with `event`. */
  emit(event: ChatStoreEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}

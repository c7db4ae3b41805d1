import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatSession, ConversationSummary } from '../../store/index.js';

/** How many of the most recent peers in the inbox get an online dot. */
const WATCHED_PEERS = 100;

/**
 * Keeps the inbox's presence dots live and asks for its peers' names and avatars (part of the
 * conversation list's view, so only pages that show an inbox load it): subscribes to the online
 * status of the most recent peers
 * in the list (the store fills `online` on their entries while subscribed), follows the list as
 * it changes, and lets go when the host disconnects or the session changes.
 */
export class PresenceWatch implements ReactiveController {
  readonly #watching = new Map<string, () => void>();
  #session: ChatSession | undefined;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Watches the peers of `list` in `session` (nothing when either is missing). */
  update(session: ChatSession | undefined, list: readonly ConversationSummary[] | undefined): void {
    if (session !== this.#session) {
      this.#release();
      this.#session = session;
    }
    if (!session || !list) return;
    const wanted = new Set(
      list
        .filter((entry) => entry.kind === 'peer')
        .slice(0, WATCHED_PEERS)
        .map((entry) => entry.id),
    );
    for (const [uid, stop] of this.#watching) {
      if (!wanted.has(uid)) {
        stop();
        this.#watching.delete(uid);
      }
    }
    for (const uid of wanted) {
      if (!this.#watching.has(uid)) this.#watching.set(uid, session.presenceOf(uid).listen(() => {}));
    }
    // Their names and avatars too (the store puts them on the entries).
    session.loadProfiles(wanted);
  }

  hostDisconnected(): void {
    this.#release();
    this.#session = undefined;
  }

  #release(): void {
    for (const stop of this.#watching.values()) stop();
    this.#watching.clear();
  }
}

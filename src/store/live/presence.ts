import { atom, onMount, type ReadableAtom, type WritableAtom } from 'nanostores';
import { MAX_PRESENCE_QUERY, type PeerStatus } from '../../protocol/index.js';
import type { SessionContext } from '../session/context.js';

/**
 * Online status of users, while shown: mounting `$of(uid)` subscribes (subscriptions made in the
 * same tick go out in one request), unmounting unsubscribes. The client renews subscriptions
 * after reconnects by itself.
 */
export class PresenceState {
  readonly #session: SessionContext;
  readonly #atoms = new Map<string, WritableAtom<PeerStatus | undefined>>();
  readonly #mounted = new Set<string>();
  readonly #pending = new Map<string, boolean>();
  #flushing = false;

  /** Talks to the server through the session's client. */
  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** The status of `uid` while mounted (the same atom for the same user). */
  $of(uid: string): ReadableAtom<PeerStatus | undefined> {
    let $status = this.#atoms.get(uid);
    if (!$status) {
      const created = atom<PeerStatus | undefined>(undefined);
      this.#atoms.set(uid, created);
      onMount(created, () => {
        this.#mounted.add(uid);
        this.#queue(uid, true);
        return () => {
          this.#mounted.delete(uid);
          this.#queue(uid, false);
          created.set(undefined);
        };
      });
      $status = created;
    }
    return $status;
  }

  /** Statuses reported by the client. */
  changed(status: Record<string, PeerStatus>): void {
    for (const [uid, value] of Object.entries(status)) {
      if (this.#mounted.has(uid)) this.#atoms.get(uid)?.set(value);
    }
  }

  /** A new login: subscribe every shown user. */
  resume(): void {
    for (const uid of this.#mounted) this.#queue(uid, true);
  }

  /** The session stopped: nothing is known any more. */
  clear(): void {
    this.#pending.clear();
    for (const $status of this.#atoms.values()) $status.set(undefined);
  }

  #queue(uid: string, subscribe: boolean): void {
    this.#pending.set(uid, subscribe);
    if (this.#flushing) return;
    this.#flushing = true;
    queueMicrotask(() => {
      this.#flushing = false;
      const client = this.#session.liveClient();
      // Without a client nothing is subscribed; resume() subscribes the shown users at login.
      if (!client) return this.#pending.clear();
      const pending = [...this.#pending];
      this.#pending.clear();
      for (const subscribe of [true, false]) {
        const uids = pending.filter(([, s]) => s === subscribe).map(([uid]) => uid);
        for (let i = 0; i < uids.length; i += MAX_PRESENCE_QUERY) {
          const chunk = uids.slice(i, i + MAX_PRESENCE_QUERY);
          (subscribe ? client.subscribePeersOnlineStatus(chunk) : client.unsubscribePeersOnlineStatus(chunk)).catch(
            (error: unknown) => {
              if (this.#session.liveClient()) this.#session.reportBackground(error);
            },
          );
        }
      }
    });
  }
}

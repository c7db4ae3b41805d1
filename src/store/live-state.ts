import { atom, onMount, type ReadableAtom, type WritableAtom } from 'nanostores';
import type { RtmClient } from '../client/index.js';
import { MAX_PRESENCE_QUERY, TYPING_TTL_MS, type MemberReadState, type PeerStatus } from '../protocol/index.js';
import { parseConversationKey, type ConversationKey } from './keys.js';

/**
 * The short-lived state around conversations that lives only while someone shows it: who is
 * typing, who is online, and how far each channel member has read. Each is a family of atoms
 * whose onMount starts the I/O (presence subscriptions, channel receipts).
 */

/** What these stores need from the session. */
export interface LiveHost {
  /** The client while the session is started (login called), else undefined. */
  client(): RtmClient | undefined;
  /** Whether the connection is up now. */
  connected(): boolean;
  /** Reports an error; `background` ones that only mean the connection dropped are left out. */
  error(error: unknown, key?: ConversationKey, background?: boolean): void;
}

type Timer = ReturnType<typeof setTimeout>;

/** Who is typing, per conversation; each name disappears when its notice expires. */
export class TypingState {
  readonly #atoms = new Map<ConversationKey, WritableAtom<readonly string[]>>();
  readonly #timers = new Map<ConversationKey, Map<string, Timer>>();

  /** The ids typing in `key` (the same atom for the same key). */
  $of(key: ConversationKey): ReadableAtom<readonly string[]> {
    let $typing = this.#atoms.get(key);
    if (!$typing) this.#atoms.set(key, ($typing = atom<readonly string[]>([])));
    return $typing;
  }

  /** `uid` is typing in `key` for `expiresInMs` (renewed by the next notice). */
  started(key: ConversationKey, uid: string, expiresInMs = TYPING_TTL_MS): void {
    let timers = this.#timers.get(key);
    if (!timers) this.#timers.set(key, (timers = new Map()));
    clearTimeout(timers.get(uid));
    timers.set(
      uid,
      setTimeout(() => this.stopped(key, uid), expiresInMs),
    );
    this.#publish(key);
  }

  /** `uid` no longer types in `key` (expired, or their message arrived). */
  stopped(key: ConversationKey, uid: string): void {
    const timers = this.#timers.get(key);
    if (!timers?.has(uid)) return;
    clearTimeout(timers.get(uid));
    timers.delete(uid);
    if (timers.size === 0) this.#timers.delete(key);
    this.#publish(key);
  }

  /** Nobody types any more; every timer stops (session stopped). */
  clear(): void {
    for (const [key, timers] of [...this.#timers]) for (const uid of [...timers.keys()]) this.stopped(key, uid);
  }

  #publish(key: ConversationKey): void {
    (this.$of(key) as WritableAtom<readonly string[]>).set([...(this.#timers.get(key)?.keys() ?? [])]);
  }
}

/**
 * Online status of users, while shown: mounting `$of(uid)` subscribes (subscriptions made in the
 * same tick go out in one request), unmounting unsubscribes. The client renews subscriptions
 * after reconnects by itself.
 */
export class PresenceState {
  readonly #host: LiveHost;
  readonly #atoms = new Map<string, WritableAtom<PeerStatus | undefined>>();
  readonly #mounted = new Set<string>();
  readonly #pending = new Map<string, boolean>();
  #flushing = false;

  /** Talks to the server through `host`. */
  constructor(host: LiveHost) {
    this.#host = host;
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
      const client = this.#host.client();
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
              if (this.#host.client()) this.#host.error(error, undefined, true);
            },
          );
        }
      }
    });
  }
}

/** A channel's members with their read markers. */
export interface ChannelReaders {
  members: MemberReadState[];
}

/**
 * Channel members' read markers, while shown: mounting `$of(key)` loads `channel.receipts` (again
 * after every reconnect) and follows `channel.read` pushes.
 */
export class ReadersState {
  readonly #host: LiveHost;
  readonly #atoms = new Map<ConversationKey, WritableAtom<ChannelReaders | undefined>>();
  readonly #mounted = new Set<ConversationKey>();

  constructor(host: LiveHost) {
    this.#host = host;
  }

  /** The readers of channel `key` while mounted (the same atom for the same key). */
  $of(key: ConversationKey): ReadableAtom<ChannelReaders | undefined> {
    let $readers = this.#atoms.get(key);
    if (!$readers) {
      const created = atom<ChannelReaders | undefined>(undefined);
      this.#atoms.set(key, created);
      onMount(created, () => {
        this.#mounted.add(key);
        if (this.#host.connected()) void this.#load(key);
        return () => {
          this.#mounted.delete(key);
        };
      });
      $readers = created;
    }
    return $readers;
  }

  /** The loaded value, without mounting. */
  peek(key: ConversationKey): ChannelReaders | undefined {
    return this.#atoms.get(key)?.value;
  }

  /** After a (re)connect: load every shown channel again. */
  reload(): void {
    for (const key of this.#mounted) void this.#load(key);
  }

  /** A member's read marker moved (never back); an unknown member means the list is stale. */
  read(key: ConversationKey, uid: string, readSeq: number): void {
    const $readers = this.#atoms.get(key);
    const members = $readers?.value?.members;
    if (!$readers || !members) return;
    const index = members.findIndex((member) => member.uid === uid);
    if (index < 0) {
      if (this.#mounted.has(key)) void this.#load(key);
      return;
    }
    if (members[index]!.readSeq >= readSeq) return;
    const next = [...members];
    next[index] = { uid, readSeq };
    $readers.set({ members: next });
  }

  /** A user joined the channel: load the list again when they are new to it. */
  joined(key: ConversationKey, uid: string): void {
    const members = this.#atoms.get(key)?.value?.members;
    if (members && !members.some((member) => member.uid === uid) && this.#mounted.has(key)) void this.#load(key);
  }

  async #load(key: ConversationKey): Promise<void> {
    const client = this.#host.client();
    const parsed = parseConversationKey(key);
    if (!client || parsed?.kind !== 'channel') return;
    try {
      // Only members may ask; showing a channel's readers means showing the channel.
      await client.createChannel(parsed.id).join();
      const members = await client.getChannelReceipts(parsed.id);
      if (this.#mounted.has(key)) this.#atoms.get(key)!.set({ members });
    } catch (error) {
      if (this.#mounted.has(key) && this.#host.client()) this.#host.error(error, key, true);
    }
  }
}

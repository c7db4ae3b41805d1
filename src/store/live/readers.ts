import { atom, onMount, type ReadableAtom, type WritableAtom } from 'nanostores';
import type { MemberReadState } from '../../protocol/index.js';
import { parseConversationKey, type ConversationKey } from '../keys.js';
import type { SessionContext } from '../session/context.js';

/** A channel's members with their read markers. */
export interface ChannelReaders {
  members: MemberReadState[];
}

/**
 * Channel members' read markers, while shown: mounting `$of(key)` loads `channel.receipts` (again
 * after every reconnect) and follows `channel.read` pushes.
 */
export class ReadersState {
  readonly #session: SessionContext;
  readonly #atoms = new Map<ConversationKey, WritableAtom<ChannelReaders | undefined>>();
  readonly #mounted = new Set<ConversationKey>();

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** The readers of channel `key` while mounted (the same atom for the same key). */
  $of(key: ConversationKey): ReadableAtom<ChannelReaders | undefined> {
    let $readers = this.#atoms.get(key);
    if (!$readers) {
      const created = atom<ChannelReaders | undefined>(undefined);
      this.#atoms.set(key, created);
      onMount(created, () => {
        this.#mounted.add(key);
        if (this.#session.connected()) void this.#load(key);
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
    const client = this.#session.liveClient();
    const parsed = parseConversationKey(key);
    if (!client || parsed?.kind !== 'channel') return;
    try {
      // Only members may ask; showing a channel's readers means showing the channel.
      await client.createChannel(parsed.id).join();
      const members = await client.getChannelReceipts(parsed.id);
      if (this.#mounted.has(key)) this.#atoms.get(key)!.set({ members });
    } catch (error) {
      if (this.#mounted.has(key) && this.#session.liveClient()) this.#session.reportBackground(error, key);
    }
  }
}

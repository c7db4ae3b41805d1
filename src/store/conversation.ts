import { atom, type ReadableAtom } from 'nanostores';
import type { ChatMessage } from './chat-message.js';
import { compositeKey, type ConversationKey } from './keys.js';

interface Entry {
  message: ChatMessage;
  /** Arrival order, for the messages without a seq (pending, failed) kept in send order. */
  order: number;
}

/**
 * The messages of one conversation: deduplicated (by server id, and by sender + client message id
 * so the optimistic copy and the stored one are the same message), ordered by seq with the
 * not-yet-stored ones after them in send order, and published as one immutable array per change.
 */
export class ConversationMessages {
  readonly key: ConversationKey;
  readonly #$messages = atom<readonly ChatMessage[]>([]);
  /** Keyed by sender + client message id (two senders may, in theory, pick the same id). */
  readonly #entries = new Map<string, Entry>();
  readonly #byServerId = new Map<string, string>();
  #order = 0;
  /**
   * The change number the messages here are up to date with (see `getMessageChanges`); undefined
   * until the first history page or catch-up.
   */
  changeCursor: number | undefined;
  readonly #onPut: (message: ChatMessage) => void;

  /** `onPut` sees every message added or changed (the session writes the stored ones to its cache). */
  constructor(key: ConversationKey, onPut: (message: ChatMessage) => void = () => {}) {
    this.key = key;
    this.#onPut = onPut;
  }

  /** The published list; the same atom for the life of the conversation. */
  get $messages(): ReadableAtom<readonly ChatMessage[]> {
    return this.#$messages;
  }

  /**
   * The last message in display order that is not transient (a transient one is never the
   * conversation's preview). Read from the store's raw value: `get()` on an atom without
   * listeners mounts it, which would start the conversation's I/O.
   */
  get last(): ChatMessage | undefined {
    const list = this.#$messages.value ?? [];
    for (let i = list.length; i--; ) if (!list[i]!.transient) return list[i];
    return undefined;
  }

  /** The highest seq of a stored message here (0 when none). Reads the raw value, like `last`. */
  get maxSeq(): number {
    const list = this.#$messages.value ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.seq !== undefined) return list[i]!.seq!;
    return 0;
  }

  /** The lowest seq of a stored message here (0 when none): where paging back continues. */
  get minSeq(): number {
    const list = this.#$messages.value ?? [];
    for (const message of list) if (message.seq !== undefined) return message.seq;
    return 0;
  }

  /** The message with this sender and client message id. */
  get(from: string, localId: string): ChatMessage | undefined {
    return this.#entries.get(entryKey(from, localId))?.message;
  }

  /**
   * Adds messages, or merges them into the copies already present. Returns the ones that were new
   * (not seen before in any form), for "message arrived" notifications.
   */
  upsert(...messages: ChatMessage[]): ChatMessage[] {
    const { added, changed } = this.#merge(messages);
    if (changed) this.#publish();
    return added;
  }

  #merge(messages: readonly ChatMessage[]): { added: ChatMessage[]; changed: boolean } {
    const added: ChatMessage[] = [];
    let changed = false;
    for (const message of messages) {
      const existingKey =
        (message.id !== undefined ? this.#byServerId.get(message.id) : undefined) ??
        (this.#entries.has(entryKey(message.from, message.localId)) ? entryKey(message.from, message.localId) : undefined);
      if (existingKey === undefined) {
        this.#put(entryKey(message.from, message.localId), { message, order: this.#order++ });
        added.push(message);
        changed = true;
        continue;
      }
      const entry = this.#entries.get(existingKey)!;
      const merged = mergeStored(entry.message, message);
      if (merged !== entry.message) {
        this.#put(existingKey, { message: merged, order: entry.order });
        changed = true;
      }
    }
    return { added, changed };
  }

  /**
   * Replaces the stored messages with `messages` (a conversation too far behind to catch up, or a
   * history page that does not reach what was here). Own messages not stored yet stay.
   */
  reset(messages: readonly ChatMessage[]): void {
    for (const [key, entry] of [...this.#entries]) {
      if (entry.message.id === undefined) continue;
      this.#entries.delete(key);
      this.#byServerId.delete(entry.message.id);
    }
    this.#merge(messages);
    this.#publish();
  }

  /**
   * Changes one message (by sender and client message id) with `update`, which returns the new
   * message or the same object for no change. Returns the message after the update.
   */
  update(from: string, localId: string, update: (message: ChatMessage) => ChatMessage): ChatMessage | undefined {
    const key = entryKey(from, localId);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const next = update(entry.message);
    if (next !== entry.message) {
      this.#put(key, { message: next, order: entry.order });
      this.#publish();
    }
    return next;
  }

  /** The message with this server id, if it is here. */
  byId(messageId: string): ChatMessage | undefined {
    const key = this.#byServerId.get(messageId);
    return key === undefined ? undefined : this.#entries.get(key)?.message;
  }

  /** Drops the message with this server id (deleted for this user); true when it was here. */
  remove(messageId: string): boolean {
    const key = this.#byServerId.get(messageId);
    if (key === undefined) return false;
    this.#byServerId.delete(messageId);
    this.#entries.delete(key);
    this.#publish();
    return true;
  }

  #put(key: string, entry: Entry): void {
    this.#entries.set(key, entry);
    this.#onPut(entry.message);
    if (entry.message.id !== undefined) this.#byServerId.set(entry.message.id, key);
  }

  #publish(): void {
    const entries = [...this.#entries.values()].sort(compareEntries);
    this.#$messages.set(entries.map((entry) => entry.message));
  }
}

/** The key of an entry: sender + client message id. */
const entryKey = (from: string, localId: string): string => compositeKey(from, localId);

function compareEntries(a: Entry, b: Entry): number {
  const sa = a.message.seq;
  const sb = b.message.seq;
  if (sa !== undefined && sb !== undefined) return sa - sb || a.order - b.order;
  if (sa !== undefined) return -1;
  if (sb !== undefined) return 1;
  return a.order - b.order;
}

/**
 * The known copy updated with what a newer copy says. A copy with a server id is authoritative
 * about being stored: it turns a sending or failed local copy into a sent one (the ack may have
 * been lost while the message was stored). Returns `known` itself when nothing changes.
 */
function mergeStored(known: ChatMessage, incoming: ChatMessage): ChatMessage {
  if (incoming.id === undefined) return known;
  // A later change (edit, retraction, reactions) replaces the content; an older copy (a history
  // page read before the change, a cached one) never undoes it.
  if ((incoming.changeSeq ?? 0) > (known.changeSeq ?? 0)) return { ...incoming, localId: known.localId };
  if (known.id === incoming.id && known.seq === incoming.seq && known.status === 'sent') return known;
  const { error: _dropped, ...rest } = known;
  return { ...rest, id: incoming.id, seq: incoming.seq, ts: incoming.ts, status: 'sent' };
}

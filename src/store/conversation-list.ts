import { atom, type ReadableAtom } from 'nanostores';
import type { ChatMessage } from './chat-message.js';
import type { ConversationMessages } from './conversation.js';
import { parseConversationKey, type ConversationKey, type ConversationKind } from './keys.js';

/** One entry of the conversation list. */
export interface ConversationSummary {
  readonly key: ConversationKey;
  readonly kind: ConversationKind;
  /** The peer's user id or the channel name. */
  readonly id: string;
  /** The latest message, in display order; undefined for a channel nobody wrote in yet. */
  readonly lastMessage?: ChatMessage;
  /** The time of the latest message (ms since the epoch); 0 without one. */
  readonly lastActivity: number;
  /** Messages from others after `readSeq`: the server's count, kept up to date live. */
  readonly unread: number;
  /** This user's read marker: every message up to this sequence number counts as read. */
  readonly readSeq: number;
  /** Peer conversations: how far the peer has read this user's messages (read receipts). */
  readonly peerReadSeq?: number;
  /** Peer conversations: how far this user's messages reached a device of the peer. */
  readonly peerDeliveredSeq?: number;
  /** Peer conversations: whether the peer is online, once known (while `presenceOf(id)` is mounted). */
  readonly online?: boolean;
  /** An unread message mentions this user: the inbox shows "@" beside the count. */
  readonly mentioned?: boolean;
  /** Peer conversations: the peer's display name, once fetched (`loadProfiles`), if they set one. */
  readonly name?: string;
  /** Peer conversations: the peer's avatar URL, likewise. */
  readonly avatar?: string;
}

/** A conversation as the server listed it, with its last message converted for the views. */
export interface ServerConversation {
  key: ConversationKey;
  lastMessage?: ChatMessage;
  lastSeq: number;
  readSeq: number;
  unread: number;
  peerReadSeq?: number;
  peerDeliveredSeq?: number;
  mentioned?: boolean;
}

interface Entry {
  summary: ConversationSummary;
  /** The highest sequence number known, so a message is counted as unread once. */
  lastSeq: number;
  /** The newest message as the server listed it (the conversation may not have loaded it). */
  serverLast?: ChatMessage;
  /** Position in the server's list, to break ties between equally old conversations. */
  rank: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The conversation list: loaded from the server at every (re)connect, then kept current by
 * messages, read markers, receipts and presence. Most recently active first. Publishes one new
 * array per change; unchanged entries keep their identity.
 */
export class ConversationList {
  readonly #$list = atom<readonly ConversationSummary[]>([]);
  readonly #$total = atom(0);
  readonly #entries = new Map<ConversationKey, Entry>();
  readonly #onTotal: (total: number) => void;

  /** `onTotal` hears every change of the total unread count. */
  constructor(onTotal: (total: number) => void) {
    this.#onTotal = onTotal;
  }

  /** The published list. */
  get $list(): ReadableAtom<readonly ConversationSummary[]> {
    return this.#$list;
  }

  /** Unread messages over every conversation. */
  get $total(): ReadableAtom<number> {
    return this.#$total;
  }

  /** The entry of a conversation. */
  get(key: ConversationKey): ConversationSummary | undefined {
    return this.#entries.get(key)?.summary;
  }

  /** The highest sequence number known in a conversation (0 when none, or not listed). */
  lastSeqOf(key: ConversationKey): number {
    return this.#entries.get(key)?.lastSeq ?? 0;
  }

  /**
   * Takes the server's list. Conversations it does not name stay only while their last message
   * is not stored yet (a first message to a new peer, still sending or failed).
   */
  load(conversations: readonly ServerConversation[], local: (key: ConversationKey) => ChatMessage | undefined): void {
    const listed = new Set(conversations.map((c) => c.key));
    for (const key of [...this.#entries.keys()]) {
      const last = local(key);
      if (!listed.has(key) && (!last || last.seq !== undefined)) this.#entries.delete(key);
    }
    conversations.forEach((c, rank) => {
      const entry = this.#entry(c.key);
      entry.rank = rank;
      // The same stored message again keeps its object, so an unchanged entry is not redrawn.
      if (!sameStored(entry.serverLast, c.lastMessage)) entry.serverLast = c.lastMessage;
      entry.lastSeq = Math.max(entry.lastSeq, c.lastSeq);
      const { kind } = entry.summary;
      this.#change(entry, {
        readSeq: c.readSeq,
        unread: c.unread,
        mentioned: c.mentioned,
        ...(kind === 'peer' && { peerReadSeq: c.peerReadSeq ?? 0, peerDeliveredSeq: c.peerDeliveredSeq ?? 0 }),
        ...lastOf(local(c.key), entry.serverLast),
      });
    });
    this.#publish();
  }

  /**
   * Updates an entry after its conversation's messages changed; `arrived` are new messages that
   * came live (pushed, offline, or caught up after a reconnect): those from others after the read
   * marker count as unread. Lists the conversation once it has a message.
   */
  touch(conversation: ConversationMessages, arrived: readonly ChatMessage[] = []): void {
    const last = conversation.last;
    let entry = this.#entries.get(conversation.key);
    if (!entry && !last) return;
    entry ??= this.#entry(conversation.key);
    let { unread, readSeq, mentioned } = entry.summary;
    for (const message of arrived) {
      if (message.seq === undefined || message.seq <= entry.lastSeq) continue;
      entry.lastSeq = message.seq;
      if (!message.own && message.seq > readSeq) unread++;
      if (message.mentionsMe && message.seq > readSeq) mentioned = true;
    }
    if (this.#change(entry, { unread, readSeq, mentioned, ...lastOf(last, entry.serverLast) })) this.#publish();
  }

  /** A message changed (edited, retracted, reacted to): the preview shows the new copy when it is that message. */
  changed(key: ConversationKey, message: ChatMessage): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    const lastIsIt = entry.summary.lastMessage?.id === message.id;
    if (entry.serverLast?.id === message.id) entry.serverLast = message;
    if (lastIsIt && this.#change(entry, { lastMessage: message })) this.#publish();
  }

  /** A message was deleted for this user: the server's copy of the preview no longer counts. */
  forget(key: ConversationKey, messageId: string): void {
    const entry = this.#entries.get(key);
    if (!entry || entry.serverLast?.id !== messageId) return;
    entry.serverLast = undefined;
    if (entry.summary.lastMessage?.id === messageId && this.#change(entry, { lastMessage: undefined })) this.#publish();
  }

  /** Lists a conversation that may have no message yet (a channel just joined). */
  ensure(key: ConversationKey): void {
    if (this.#entries.has(key)) return;
    this.#entry(key);
    this.#publish();
  }

  /** Takes a conversation off the list (a channel left). */
  remove(key: ConversationKey): void {
    if (this.#entries.delete(key)) this.#publish();
  }

  /** This user's read marker moved (never back): the server's unread count comes with it. */
  read(key: ConversationKey, readSeq: number, unread: number): void {
    const entry = this.#entry(key);
    if (readSeq < entry.summary.readSeq) return;
    // (Read up to the newest: no mention is left unread; the server's list says so at the next load.)
    if (this.#change(entry, { readSeq, unread, ...(unread === 0 && { mentioned: undefined }) })) this.#publish();
  }

  /** Shows a read marker set here before the server confirms it: nothing unread up to `readSeq`. */
  markedRead(key: ConversationKey, readSeq: number): void {
    const entry = this.#entry(key);
    if (readSeq <= entry.summary.readSeq) return;
    if (this.#change(entry, { readSeq, unread: readSeq >= entry.lastSeq ? 0 : entry.summary.unread })) this.#publish();
  }

  /** A delivery or read receipt of this user's messages in a peer conversation. */
  receipt(key: ConversationKey, kind: 'delivered' | 'read', seq: number): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    const { peerReadSeq = 0, peerDeliveredSeq = 0 } = entry.summary;
    // Read implies delivered.
    const change = {
      peerDeliveredSeq: Math.max(peerDeliveredSeq, seq),
      peerReadSeq: kind === 'read' ? Math.max(peerReadSeq, seq) : peerReadSeq,
    };
    if (this.#change(entry, change)) this.#publish();
  }

  /** A peer's online status (only entries that exist are changed). */
  online(key: ConversationKey, online: boolean): void {
    const entry = this.#entries.get(key);
    if (entry && this.#change(entry, { online })) this.#publish();
  }

  /** A peer's display name and avatar (only entries that exist are changed). */
  profile(key: ConversationKey, profile: { name?: string; avatar?: string }): void {
    const entry = this.#entries.get(key);
    if (entry && this.#change(entry, { name: profile.name, avatar: profile.avatar })) this.#publish();
  }

  #entry(key: ConversationKey): Entry {
    let entry = this.#entries.get(key);
    if (!entry) {
      const { kind, id } = parseConversationKey(key)!;
      const summary: ConversationSummary = { key, kind, id, lastActivity: 0, unread: 0, readSeq: 0 };
      entry = { summary, lastSeq: 0, rank: Infinity };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** Applies changed fields with a new summary object; returns whether anything changed. */
  #change(entry: Entry, change: Partial<Mutable<ConversationSummary>>): boolean {
    const current = entry.summary as unknown as Record<string, unknown>;
    if (Object.entries(change).every(([field, value]) => current[field] === value)) return false;
    const next: Mutable<ConversationSummary> = { ...entry.summary, ...change };
    if (next.lastMessage === undefined) delete next.lastMessage;
    if (!next.mentioned) delete next.mentioned;
    if (next.name === undefined) delete next.name;
    if (next.avatar === undefined) delete next.avatar;
    entry.summary = next;
    return true;
  }

  #publish(): void {
    const entries = [...this.#entries.values()].sort(
      (a, b) => b.summary.lastActivity - a.summary.lastActivity || a.rank - b.rank || (a.summary.key < b.summary.key ? -1 : 1),
    );
    this.#$list.set(entries.map((entry) => entry.summary));
    const total = entries.reduce((sum, entry) => sum + entry.summary.unread, 0);
    if (total !== this.#$total.get()) {
      this.#$total.set(total);
      this.#onTotal(total);
    }
  }
}

/**
 * The newer of the conversation's last message and the server's: a message not stored yet is
 * last in display order; otherwise the higher seq wins.
 */
function lastOf(
  local: ChatMessage | undefined,
  server: ChatMessage | undefined,
): { lastMessage: ChatMessage | undefined; lastActivity: number } {
  const last = !local || (server && local.seq !== undefined && server.seq! > local.seq) ? server : local;
  return { lastMessage: last, lastActivity: last?.ts ?? 0 };
}

/** Whether two copies are the same stored message (same server id and seq). */
function sameStored(a: ChatMessage | undefined, b: ChatMessage | undefined): boolean {
  return a !== undefined && b !== undefined && a.id === b.id && a.seq === b.seq;
}

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
  /** The latest message, in display order. */
  readonly lastMessage?: ChatMessage;
  /** When something last happened: the latest message's time, else when it was opened (ms). */
  readonly lastActivity: number;
}

/**
 * The conversations seen in this session (opened, or with a message sent, received or loaded),
 * most recently active first.
 */
export class ConversationList {
  readonly #$list = atom<readonly ConversationSummary[]>([]);
  readonly #summaries = new Map<ConversationKey, ConversationSummary>();
  readonly #openedAt = new Map<ConversationKey, number>();

  /** The published list. */
  get $list(): ReadableAtom<readonly ConversationSummary[]> {
    return this.#$list;
  }

  /** Records that a conversation was opened (shown), so it is listed even before any message. */
  opened(conversation: ConversationMessages, now: number): void {
    if (!this.#openedAt.has(conversation.key)) this.#openedAt.set(conversation.key, now);
    this.refresh(conversation);
  }

  /** Updates a conversation's entry after its messages changed. */
  refresh(conversation: ConversationMessages): void {
    const { key } = conversation;
    const last = conversation.last;
    const openedAt = this.#openedAt.get(key);
    if (!last && openedAt === undefined) return;
    const { kind, id } = parseConversationKey(key)!;
    const lastActivity = Math.max(last?.ts ?? 0, openedAt ?? 0);
    const previous = this.#summaries.get(key);
    if (previous && previous.lastMessage === last && previous.lastActivity === lastActivity) return;
    const summary: ConversationSummary = last ? { key, kind, id, lastMessage: last, lastActivity } : { key, kind, id, lastActivity };
    this.#summaries.set(key, summary);
    this.#$list.set([...this.#summaries.values()].sort((a, b) => b.lastActivity - a.lastActivity));
  }
}

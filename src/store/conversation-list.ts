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
  readonly lastMessage: ChatMessage;
  /** The time of the latest message (ms since the epoch). */
  readonly lastActivity: number;
}

/**
 * The conversations seen in this session — those with a message sent, received or loaded from
 * history — most recently active first. (Merely reading a conversation's store does not list it:
 * nanostores mounts a store even for a one-off `get()`.)
 */
export class ConversationList {
  readonly #$list = atom<readonly ConversationSummary[]>([]);
  readonly #summaries = new Map<ConversationKey, ConversationSummary>();

  /** The published list. */
  get $list(): ReadableAtom<readonly ConversationSummary[]> {
    return this.#$list;
  }

  /** Updates a conversation's entry after its messages changed. */
  refresh(conversation: ConversationMessages): void {
    const { key } = conversation;
    const last = conversation.last;
    if (!last) return;
    const previous = this.#summaries.get(key);
    if (previous?.lastMessage === last) return;
    const { kind, id } = parseConversationKey(key)!;
    const summary: ConversationSummary = { key, kind, id, lastMessage: last, lastActivity: last.ts };
    this.#summaries.set(key, summary);
    this.#$list.set([...this.#summaries.values()].sort((a, b) => b.lastActivity - a.lastActivity));
  }
}

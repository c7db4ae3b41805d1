import { computed, type ReadableAtom } from 'nanostores';
import { firstUnreadSeq } from '../first-unread.js';
import { parseConversationKey, type ConversationKey } from '../keys.js';
import { receiptsOfMessages, type ChatReceipt } from '../receipts.js';
import type { SessionContext } from './context.js';

/**
 * State derived from the session's stores, as computed stores (one per conversation), so views
 * subscribe to the answer instead of asking while they render.
 */
export class Derived {
  readonly #session: SessionContext;
  readonly #receipts = new Map<ConversationKey, ReadableAtom<ReadonlyMap<string, ChatReceipt>>>();
  readonly #firstUnread = new Map<ConversationKey, ReadableAtom<number | undefined>>();

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** Receipts of the own stored messages: peer marks from the list, channel markers from the readers. */
  receiptsOf(key: ConversationKey): ReadableAtom<ReadonlyMap<string, ChatReceipt>> {
    let $receipts = this.#receipts.get(key);
    if (!$receipts) {
      const session = this.#session;
      const { $messages } = session.conversation(key);
      $receipts =
        parseConversationKey(key)?.kind === 'channel'
          ? computed([$messages, session.readers.$of(key)], (messages, readers) =>
              receiptsOfMessages(messages, { kind: 'channel', members: readers?.members }),
            )
          : computed([$messages, session.$summaryOf(key)], (messages, marks) => receiptsOfMessages(messages, { kind: 'peer', marks }));
      this.#receipts.set(key, $receipts);
    }
    return $receipts;
  }

  /** The "New" divider's seq, from the messages and how the conversation looked when opened. */
  firstUnreadOf(key: ConversationKey): ReadableAtom<number | undefined> {
    let $first = this.#firstUnread.get(key);
    if (!$first) {
      const session = this.#session;
      $first = computed([session.conversation(key).$messages, session.$openedOf(key)], firstUnreadSeq);
      this.#firstUnread.set(key, $first);
    }
    return $first;
  }
}

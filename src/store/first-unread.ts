import type { ChatMessage } from './chat-message.js';

/**
 * What a conversation looked like when it was opened, for its "New" divider: the read marker, how
 * many messages were unread, and the highest seq known then. Messages after `lastSeq` arrived
 * while the conversation was open, so they are never "new" in this sense.
 */
export interface OpenedState {
  readonly readSeq: number;
  readonly unread: number;
  readonly lastSeq: number;
}

/**
 * The seq of the first message from others that was unread when the conversation was opened, or
 * undefined when nothing was. While the loaded messages do not reach back to the read marker,
 * it is the marker + 1 (the divider's place once they do).
 */
export function firstUnreadSeq(messages: readonly ChatMessage[], opened: OpenedState | undefined): number | undefined {
  if (!opened || opened.unread === 0) return undefined;
  const { readSeq, lastSeq } = opened;
  const stored = messages.filter((message) => message.seq !== undefined);
  if (stored.length === 0 || stored[0]!.seq! > readSeq + 1) return readSeq + 1;
  return stored.find((message) => !message.own && message.seq! > readSeq && message.seq! <= lastSeq)?.seq;
}

/**
 * Conversation keys: one string per conversation, `peer:<user id>` or `channel:<channel name>`,
 * usable as a Map key, an attribute value or a DOM event detail.
 */

/** The two kinds of conversation. */
export type ConversationKind = 'peer' | 'channel';

/** A conversation key, e.g. `peer:bob` or `channel:lobby`. */
export type ConversationKey = `peer:${string}` | `channel:${string}`;

/**
 * The key of a conversation.
 *
 * @example
 * conversationKey('peer', 'bob') // 'peer:bob'
 * conversationKey('channel', 'lobby') // 'channel:lobby'
 */
export function conversationKey(kind: ConversationKind, id: string): ConversationKey {
  return `${kind}:${id}`;
}

/**
 * The kind and id of a key, or undefined for a string that is not one. Splits at the first colon
 * only: channel names and user ids may contain colons themselves.
 */
export function parseConversationKey(key: string): { kind: ConversationKind; id: string } | undefined {
  if (typeof key !== 'string') return undefined;
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  if (colon < 0 || (kind !== 'peer' && kind !== 'channel')) return undefined;
  return { kind, id: key.slice(colon + 1) };
}

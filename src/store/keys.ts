import type { ConversationTarget } from '../client/index.js';
import { RtmError, checkChannelName, checkUserId } from '../protocol/index.js';

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

/** The key of what a client event names: its channel, else its peer (the inverse of {@link targetOf}). */
export function keyOfTarget(target: { peerId?: string; channelId?: string }): ConversationKey {
  return target.channelId !== undefined ? conversationKey('channel', target.channelId) : conversationKey('peer', target.peerId ?? '');
}

/** The client's target of a key (undefined for a string that is not a key). */
export function targetOf(key: ConversationKey): ConversationTarget | undefined {
  const parsed = parseConversationKey(key);
  if (!parsed) return undefined;
  return parsed.kind === 'peer' ? { peerId: parsed.id } : { channelId: parsed.id };
}

/** Why `key` names no conversation one can write to (a malformed key, a bad id), or undefined. */
export function checkConversationKey(key: ConversationKey): RtmError | undefined {
  const parsed = parseConversationKey(key);
  if (!parsed) {
    return new RtmError('INVALID_ARGUMENT', `${JSON.stringify(key)} is not a conversation key like "peer:bob" or "channel:lobby".`);
  }
  return parsed.kind === 'peer' ? checkUserId(parsed.id, 'Peer id') : checkChannelName(parsed.id);
}

/**
 * One Map key made of several strings. Joined with NUL, which no user id, channel name, client
 * message id or file name may contain, so different parts never make the same key.
 */
export function compositeKey(...parts: string[]): string {
  return parts.join('\u0000');
}

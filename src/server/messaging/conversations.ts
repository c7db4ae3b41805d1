import type { ConversationRef } from '../../protocol/index.js';

/**
 * Conversation keys, the unit that `seq` counts in and history pages through.
 *
 * - peer: `p:<uidA>/<uidB>` with the pair sorted, so both sides name the same conversation;
 *   '/' is outside the id charset, so no two pairs can produce the same key.
 * - channel: `c:<channel>`.
 */
export function peerConversation(a: string, b: string): string {
  return a <= b ? `p:${a}/${b}` : `p:${b}/${a}`;
}

export function channelConversation(channel: string): string {
  return `c:${channel}`;
}

/** A conversation as one user sees it: its key, and the other user's id or the channel name. */
export interface ConversationKey {
  conv: string;
  kind: 'peer' | 'channel';
  /** The other user of a peer conversation (the user themself for notes to self), or the channel. */
  target: string;
}

/** The conversation `uid` names with `{ peer }` or `{ channel }`. */
export function conversationOf(uid: string, ref: ConversationRef): ConversationKey {
  if (ref.peer !== undefined) return { conv: peerConversation(uid, ref.peer), kind: 'peer', target: ref.peer };
  return { conv: channelConversation(ref.channel), kind: 'channel', target: ref.channel };
}

import type { ConversationRef } from '../../protocol/index.js';
import type { UserConversation } from '../storage/types.js';

/**
 * Conversation keys, the unit that `seq` counts in and history pages through. They are built here
 * and nowhere else.
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

/** The conversation `uid` names with `{ peer }` or `{ channel }`, as that user sees it. */
export function conversationOf(uid: string, ref: ConversationRef): UserConversation {
  if (ref.peer !== undefined) return { conv: peerConversation(uid, ref.peer), kind: 'peer', target: ref.peer };
  return { conv: channelConversation(ref.channel), kind: 'channel', target: ref.channel };
}

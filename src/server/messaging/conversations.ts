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

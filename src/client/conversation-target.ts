import { RtmError, checkChannelName, checkUserId, type ConversationRef } from '../protocol/index.js';

/**
 * Naming a conversation: the public {@link ConversationTarget} the methods take, the wire
 * `ConversationRef` the frames carry, and the one string key the client files per-conversation
 * bookkeeping under ({@link conversationKey}).
 */

/** A conversation named from this user's side: the peer conversation with `peerId`, or channel `channelId`. */
export type ConversationTarget = { peerId: string; channelId?: undefined } | { channelId: string; peerId?: undefined };

/** The frame's conversation for a target; throws INVALID_ARGUMENT, INVALID_USER_ID or INVALID_CHANNEL_NAME. */
export function conversationRef(target: Partial<ConversationTarget> | undefined, method: string): ConversationRef {
  const { peerId, channelId } = target ?? {};
  if ((peerId === undefined) === (channelId === undefined)) {
    throw new RtmError('INVALID_ARGUMENT', `${method} needs exactly one of peerId and channelId.`);
  }
  if (peerId !== undefined) {
    const invalid = checkUserId(peerId, 'Peer id');
    if (invalid) throw invalid;
    return { peer: peerId };
  }
  const invalid = checkChannelName(channelId);
  if (invalid) throw invalid;
  return { channel: channelId! };
}

/**
 * The key of a conversation in the client's per-conversation maps. A peer and a channel of the
 * same name get different keys, and no two names share one: '\n' is outside both charsets.
 */
export function conversationKey(ref: ConversationRef): string {
  return ref.peer !== undefined ? `p\n${ref.peer}` : `c\n${ref.channel}`;
}

import {
  checkChannelName,
  checkUserId,
  parseRestHistoryQuery,
  type ConversationRef,
  type RestHistoryBody,
} from '../../../protocol/index.js';
import { conversationOf } from '../../messaging/conversations.js';
import type { MessageStore } from '../../storage/types.js';
import { checkUrlUserId } from './messages.js';

/**
 * `GET …/rtm/users/<user_id>/peer_messages/<peer_id>` and `…/channel_messages/<channel_name>`:
 * one page of a conversation as `<user_id>` sees it — what the WebSocket `history` frame answers
 * that user: newest first, each message in its current state, without what they deleted for
 * themself. Like `history`, a channel needs no membership.
 */
export interface RestHistoryInput {
  appId: string;
  userId: string;
  /** The other user or the channel, from the path, unchecked. */
  target: { peer: string } | { channel: string };
  query: Record<string, unknown>;
  requestId: string;
}

function checkedTarget(target: RestHistoryInput['target']): ConversationRef {
  const invalid =
    'peer' in target ? checkUserId(target.peer, 'The <peer_id> in the URL') : checkChannelName(target.channel, 'The <channel_name> in the URL');
  if (invalid) throw invalid;
  return 'peer' in target ? { peer: target.peer } : { channel: target.channel };
}

export async function historyFromRest(messages: MessageStore, input: RestHistoryInput): Promise<RestHistoryBody> {
  checkUrlUserId(input.userId);
  const { conv } = conversationOf(input.userId, checkedTarget(input.target));
  const { limit, beforeSeq } = parseRestHistoryQuery(input.query);
  const page = await messages.history(input.appId, conv, input.userId, limit, beforeSeq);
  return { result: 'success', request_id: input.requestId, code: 'ok', messages: page.messages, has_more: page.hasMore };
}

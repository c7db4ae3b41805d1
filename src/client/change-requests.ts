import {
  RtmError,
  checkClientMessageId,
  checkMessageId,
  parseReaction,
  type MessageType,
  type StoredMessage,
  type WireTextMessage,
} from '../protocol/index.js';
import { attempt } from './attempt.js';
import { checkLimit } from './history.js';
import type { ChangeHost } from './changes.js';
import { createClientMessageId } from './ids.js';
import { conversationRef, type ConversationTarget } from './conversation-target.js';
import { toWireMessage, type ReceivedMessage, type RtmMessage, type RtmSendableMessage } from './messages.js';

/**
 * The requests behind `retractMessage`, `editMessage`, `addReaction`, `removeReaction`,
 * `deleteMessage`, `forwardMessage`, `sendCommand` and `searchMessages` (documented there), loaded with the first of them (changes.ts): in the
 * script-tag build, the companion file dist/rtm-chat.changes.js. Pushes of changes and catching
 * up on them need none of this.
 */

function requireMessageId(messageId: unknown): string {
  const invalid = checkMessageId(messageId);
  if (invalid) throw new RtmError('INVALID_ARGUMENT', `messageId must be a server message id, got ${JSON.stringify(messageId)}.`);
  return messageId as string;
}

export function retract(host: ChangeHost, messageId: string): Promise<ReceivedMessage> {
  return attempt(() => {
    const id = requireMessageId(messageId);
    return host.request<'message.retract'>((requestId) => ({ t: 'message.retract', id: requestId, messageId: id })).then(
      (result) => one(host, result.message),
    );
  });
}

export function edit(host: ChangeHost, messageId: string, init: { text: string }, clientMessageId?: string): Promise<ReceivedMessage> {
  return attempt(() => {
    const id = requireMessageId(messageId);
    const message = toWireMessage({ messageType: 'TEXT', text: (init as { text?: unknown })?.text as string }) as WireTextMessage;
    // One id for every transmission of this edit: a retransmit after a reconnect changes nothing.
    const cmid = clientMessageId ?? createClientMessageId();
    const invalid = checkClientMessageId(cmid);
    if (invalid) throw invalid;
    return host
      .request<'message.edit'>((requestId) => ({ t: 'message.edit', id: requestId, messageId: id, cmid, message }))
      .then((result) => one(host, result.message));
  });
}

export function react(host: ChangeHost, messageId: string, emoji: string, add: boolean): Promise<ReceivedMessage> {
  return attempt(() => {
    const id = requireMessageId(messageId);
    const reaction = parseReaction(emoji);
    const t = add ? 'reaction.add' : 'reaction.remove';
    return host
      .request<typeof t>((requestId) => ({ t, id: requestId, messageId: id, emoji: reaction }))
      .then((result) => one(host, result.message));
  });
}

export function remove(host: ChangeHost, messageId: string): Promise<void> {
  return attempt(() => {
    const id = requireMessageId(messageId);
    return host
      .request<'message.delete'>((requestId) => ({ t: 'message.delete', id: requestId, messageId: id }))
      .then(() => undefined);
  });
}

function one(host: ChangeHost, stored: StoredMessage): ReceivedMessage {
  const [message] = host.received([stored]);
  if (!message) throw new RtmError('INVALID_MESSAGE', 'The server sent a message this version cannot read.');
  return message;
}

/** What `forwardMessage` sends: the content of `message` without its reply and mentions (media by id, no upload). */
export function forwardable(message: RtmMessage): RtmSendableMessage {
  if (message.messageType === 'RETRACTED') throw new RtmError('INVALID_ARGUMENT', 'A retracted message cannot be forwarded.');
  const { replyTo: _reply, mentions: _mentions, mentionAll: _all, ...content } = message;
  return content;
}

/** Sends the content of `message` to `target` (see `forwardMessage`). */
export function forward(
  _host: ChangeHost,
  message: RtmMessage,
  target: ConversationTarget,
  send: (content: RtmSendableMessage, target: ConversationTarget) => Promise<{ messageId: string; seq: number; serverReceivedTs: number }>,
): Promise<{ messageId: string; seq: number; serverReceivedTs: number }> {
  return attempt(() => {
    conversationRef(target, 'forwardMessage');
    return send(forwardable(message), target);
  });
}

/** Sends a transparent command (see `sendCommand`): never retried, so never delivered twice. */
export function command(host: ChangeHost, target: ConversationTarget, payload: string): Promise<void> {
  return attempt(() => {
    const ref = conversationRef(target, 'sendCommand');
    return host.request<'command'>((id) => ({ t: 'command', id, payload, ...ref }), { now: true }).then(() => undefined);
  });
}

/** Options of `searchMessages`: one conversation (or all of this user's), types, a time range, paging. */
export type SearchQuery = Partial<ConversationTarget> & {
  query: string;
  types?: MessageType[];
  /** ms since the epoch: only messages at or after it. */
  after?: number;
  /** ms since the epoch: only messages before it. */
  before?: number;
  /** `cursor` of the previous page, for older results. */
  cursor?: number;
  limit?: number;
};

/** One result of `searchMessages`. */
export interface RtmSearchHit {
  message: ReceivedMessage;
  /** The text that matched: the message's text, file name and caption, place, or description. */
  text: string;
  /** `[start, end)` ranges of the query's words in `text`, to highlight. */
  highlights: [number, number][];
}

/** Searches messages on the server (see `searchMessages`). */
export function search(
  host: ChangeHost,
  query: SearchQuery,
): Promise<{ results: RtmSearchHit[]; hasMore: boolean; cursor?: number }> {
  return attempt(() => {
    const { peerId, channelId, limit, ...rest } = query ?? ({} as SearchQuery);
    const ref = peerId !== undefined || channelId !== undefined ? conversationRef({ peerId, channelId } as ConversationTarget, 'searchMessages') : {};
    return host
      .request<'search'>((id) => ({ t: 'search', id, ...rest, ...ref, limit: checkLimit(limit) }))
      .then((page) => ({
        results: page.results.flatMap(({ message, text, highlights }) => host.received([message]).map((received) => ({ message: received, text, highlights }))),
        hasMore: page.hasMore,
        ...(page.cursor !== undefined && { cursor: page.cursor }),
      }));
  });
}

/** Deletes a conversation for this user (see `deleteConversation`). */
export function deleteConversation(host: ChangeHost, target: ConversationTarget, options: { history?: boolean } = {}): Promise<{ clearedSeq: number }> {
  return attempt(() => {
    const ref = conversationRef(target, 'deleteConversation');
    return host
      .request<'conversation.delete'>((id) => ({ t: 'conversation.delete', id, history: options.history === true, ...ref }))
      .then(({ clearedSeq }) => ({ clearedSeq }));
  });
}

import { createClientMessageId, type ReceivedMessage, type RtmClient, type RtmDeletedMessage } from '../../client/index.js';
import { forwardable } from '../../client/change-requests.js';
import { RtmError } from '../../protocol/index.js';
import { historyChatMessage, storedChatMessage, type ChatMessage } from '../chat-message.js';
import type { ChatSearchPage, ChatSearchQuery } from '../chat-session.js';
import { keyOfTarget, targetOf, type ConversationKey } from '../keys.js';
import type { SessionContext } from './context.js';

/**
 * This user's changes to stored messages — retract, edit, toggle a reaction, delete for me —
 * through the client, with the result shown at once (the acting connection gets no push). Loaded
 * with the first of them (changes.ts): in the script-tag build, the companion file
 * dist/rtm-chat.session-actions.js.
 */
export class ChangeActions {
  readonly #session: SessionContext;
  readonly #apply: (message: ReceivedMessage) => void;
  readonly #drop: (deleted: RtmDeletedMessage) => void;

  constructor(session: SessionContext, apply: (message: ReceivedMessage) => void, drop: (deleted: RtmDeletedMessage) => void) {
    this.#session = session;
    this.#apply = apply;
    this.#drop = drop;
  }

  retract(message: ChatMessage): Promise<void> {
    return this.#act(message, (client, id) => client.retractMessage(id));
  }

  edit(message: ChatMessage, text: string): Promise<void> {
    return this.#act(message, (client, id) => client.editMessage(id, { text }));
  }

  /** Adds this user's reaction with `emoji`, or removes it when they already reacted with it. */
  toggleReaction(message: ChatMessage, emoji: string): Promise<void> {
    const mine = message.reactions?.some((r) => r.emoji === emoji && r.mine) ?? false;
    return this.#act(message, (client, id) => (mine ? client.removeReaction(id, emoji) : client.addReaction(id, emoji)));
  }

  deleteForMe(message: ChatMessage): Promise<void> {
    return this.#act(message, async (client, id) => {
      await client.deleteMessage(id);
      this.#drop({ ...targetOf(message.conversation)!, messageId: id, seq: message.seq ?? 0 });
    });
  }

  async #act(message: ChatMessage, call: (client: RtmClient, messageId: string) => Promise<ReceivedMessage | void>): Promise<void> {
    const client = this.#session.client;
    if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
    if (message.id === undefined) throw new RtmError('INVALID_ARGUMENT', 'The message is not stored yet; wait until it is sent.');
    const changed = await call(client, message.id);
    // The acting connection gets the result instead of a push.
    if (changed) this.#apply(changed);
  }

  /** Sends the message's content to `to` as this user's (a channel this session has not joined: NOT_JOINED); shown there once stored. */
  async forward(message: ChatMessage, to: ConversationKey): Promise<ChatMessage> {
    const session = this.#session;
    const client = session.client;
    const target = targetOf(to);
    if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
    if (!target) throw new RtmError('INVALID_ARGUMENT', `${JSON.stringify(to)} is not a conversation.`);
    const clientMessageId = createClientMessageId();
    const ack = await client.forwardMessage(message.message, target, { clientMessageId });
    const content = forwardable(message.message);
    const chat = storedChatMessage(to, content, { ...ack, from: session.userId, clientMessageId }, session.userId);
    const conversation = session.conversation(to);
    conversation.upsert(chat);
    session.list.touch(conversation, [chat]);
    return chat;
  }

  /** Deletes a conversation for this user (see ChatSession.deleteConversation). */
  async deleteConversation(key: ConversationKey, history: boolean): Promise<void> {
    const client = this.#session.client;
    const target = targetOf(key);
    if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
    if (!target) throw new RtmError('INVALID_ARGUMENT', `${JSON.stringify(key)} is not a conversation.`);
    const { clearedSeq } = await client.deleteConversation(target, { history });
    this.conversationDeleted(key, clearedSeq);
  }

  /** A conversation deleted here or on another device: off the list; its history up to `clearedSeq` gone. */
  conversationDeleted(key: ConversationKey, clearedSeq: number): void {
    const session = this.#session;
    session.list.remove(key);
    if (clearedSeq === 0) return;
    const conversation = session.existing(key);
    for (const message of conversation?.$messages.value ?? []) {
      if (message.seq !== undefined && message.seq <= clearedSeq) void session.cache.forget(key, message.seq);
    }
    conversation?.reset(conversation.$messages.value!.filter((m) => m.seq !== undefined && m.seq > clearedSeq));
  }

  /** Searches this user's messages on the server (see ChatSession.search). */
  async search(query: ChatSearchQuery): Promise<ChatSearchPage> {
    const client = this.#session.client;
    if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
    const { key, ...rest } = query;
    const target = key === undefined ? {} : targetOf(key);
    if (!target) throw new RtmError('INVALID_ARGUMENT', `${JSON.stringify(key)} is not a conversation.`);
    const page = await client.searchMessages({ ...rest, ...target });
    const userId = this.#session.userId;
    return {
      ...page,
      results: page.results.map(({ message, text, highlights }) => {
        return { message: historyChatMessage(keyOfTarget(message), message, userId), text, highlights };
      }),
    };
  }
}

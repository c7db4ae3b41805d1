import { createClientMessageId, type RtmMessage } from '../../client/index.js';
import { RtmError, parseBasicWireMessage } from '../../protocol/index.js';
import { sendFlags, textOf, withoutError, type ChatMessage } from '../chat-message.js';
import type { SendOptions } from '../chat-session.js';
import { asRtmError } from '../errors.js';
import { checkConversationKey, parseConversationKey, type ConversationKey } from '../keys.js';
import type { SessionContext } from './context.js';

/**
 * Sending: the optimistic message at once, the send with its client message id (so any resend is
 * stored once), the outcome on the message, and the IndexedDB outbox that carries text sent
 * offline across a reload, or to the tab that takes over the shared connection.
 */
export class Sending {
  readonly #session: SessionContext;
  /** Local ids of this session's sends that are in the outbox (removed from it once acked). */
  readonly #queued = new Set<string>();
  /** Local ids of the sends waiting for their ack. */
  readonly #inFlight = new Set<string>();

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** Why `text` cannot be sent to `key`, or undefined (see ChatSession.validateDraft). */
  validateDraft(key: ConversationKey, text: string): RtmError | undefined {
    const badKey = checkConversationKey(key);
    if (badKey) return badKey;
    try {
      parseBasicWireMessage({ type: 'TEXT', text });
    } catch (error) {
      return asRtmError(error, 'INVALID_MESSAGE');
    }
    return undefined;
  }

  /** Sends a text message (see ChatSession.send). */
  send(key: ConversationKey, text: string, options: SendOptions = {}): Promise<ChatMessage> {
    const invalid = this.validateDraft(key, text);
    if (invalid) throw invalid;
    const { replyTo, mentions, mentionAll } = options;
    const message: RtmMessage = {
      messageType: 'TEXT',
      text,
      ...(replyTo?.id !== undefined && { replyTo: replyTo.id }),
      ...(mentions?.length && { mentions: [...mentions] }),
      ...(mentionAll && { mentionAll: true }),
    };
    const session = this.#session;
    const chat: ChatMessage = {
      // What the reply quotes (history brings the server's quote later); a retracted
      // message offers no Reply. The view cuts the excerpt to one line.
      ...(replyTo?.id !== undefined && {
        quote: { id: replyTo.id, seq: replyTo.seq ?? 0, from: replyTo.from, type: replyTo.message.messageType, excerpt: replyTo.text ?? replyTo.attachment?.fileName },
      }),
      localId: createClientMessageId(),
      conversation: key,
      from: session.userId,
      own: true,
      text: textOf(message),
      message,
      ts: Date.now(),
      status: 'sending',
      ...sendFlags(options),
    };
    const conversation = session.conversation(key);
    conversation.upsert(chat);
    session.list.touch(conversation);
    return this.transmit(key, chat);
  }

  /**
   * Sends a failed own message again with the same client message id. `uploadAgain` answers for a
   * message whose upload failed (it uploads first), else undefined.
   */
  retry(key: ConversationKey, localId: string, uploadAgain: () => Promise<ChatMessage> | undefined): Promise<ChatMessage> {
    const session = this.#session;
    const conversation = session.existing(key);
    const known = conversation?.get(session.userId, localId);
    if (!conversation || !known) {
      return Promise.reject(new RtmError('INVALID_ARGUMENT', `No own message ${JSON.stringify(localId)} in ${key}.`));
    }
    if (known.status !== 'failed') return Promise.resolve(known);
    const upload = uploadAgain();
    if (upload) return upload;
    const sending = conversation.update(session.userId, localId, (m) => withoutError({ ...m, status: 'sending' }))!;
    session.list.touch(conversation);
    return this.transmit(key, sending);
  }

  /** Sends messages restored from the outbox. */
  resend(chats: readonly ChatMessage[]): void {
    for (const chat of chats) void this.transmit(chat.conversation, chat);
  }

  /**
   * This tab became the one holding the shared connection: sends what a closed leader tab left in
   * the outbox (each message has its client id, so one another tab is sending too is stored once).
   */
  async takeOverOutbox(): Promise<void> {
    this.resend((await this.restoreOutbox()).filter((chat) => !this.#inFlight.has(chat.localId)));
  }

  /**
   * Shows the outbox (sends a closed page left unacknowledged) as `sending` messages, to be sent
   * again with `resend` once logging in, with the same client message ids: the server stores each
   * once, even when an earlier attempt reached it. Only text survives a reload: a file still
   * uploading is lost with the page.
   */
  async restoreOutbox(): Promise<ChatMessage[]> {
    const session = this.#session;
    const chats: ChatMessage[] = [];
    for (const { conversation: key, localId, message, createdAt } of await session.cache.outbox()) {
      const conversation = session.conversation(key);
      const known = conversation.get(session.userId, localId);
      if (known?.status === 'sent') void session.cache.unqueue(localId);
      if (known?.status === 'sent' || this.#inFlight.has(localId)) continue;
      this.#queued.add(localId);
      const chat: ChatMessage = {
        localId,
        conversation: key,
        from: session.userId,
        own: true,
        text: textOf(message),
        message,
        ts: known?.ts ?? createdAt,
        status: 'sending',
      };
      if (known) conversation.update(session.userId, localId, () => chat);
      else conversation.upsert(chat);
      session.list.touch(conversation);
      chats.push(chat);
    }
    return chats;
  }

  /** Sends an own message that is in the conversation with status `sending`; settles its status. */
  async transmit(key: ConversationKey, chat: ChatMessage): Promise<ChatMessage> {
    const session = this.#session;
    const conversation = session.conversation(key);
    const { kind, id } = parseConversationKey(key)!;
    let outcome: (m: ChatMessage) => ChatMessage;
    this.#inFlight.add(chat.localId);
    try {
      // A text sent offline goes to the outbox first, so a reload sends it again (with the same id).
      // Never a transient one: it must not touch IndexedDB (it waits in the client's memory instead).
      if (chat.text !== undefined && !chat.transient && !session.connected() && !this.#queued.has(chat.localId)) {
        this.#queued.add(chat.localId);
        await session.cache.enqueue({ conversation: key, localId: chat.localId, message: chat.message, createdAt: chat.ts });
      }
      const client = session.client;
      if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
      const options = { ...sendFlags(chat), clientMessageId: chat.localId };
      const { message } = chat;
      if (message.messageType === 'RETRACTED') throw new RtmError('INVALID_ARGUMENT', 'A retracted message cannot be sent again.');
      let ack: { messageId: string; seq: number; serverReceivedTs: number };
      if (kind === 'peer') {
        ack = await client.sendMessageToPeer(message, id, { ...options, enableOfflineMessaging: !chat.transient });
      } else {
        const channel = client.createChannel(id);
        // A shown channel may still be joining (first connect, reconnect): send after the join.
        if (session.mounted.has(key)) await channel.join();
        ack = await channel.sendMessage(message, options);
      }
      outcome = (m) => withoutError({ ...m, id: ack.messageId, seq: ack.seq || undefined, ts: ack.serverReceivedTs, status: 'sent' });
      if (this.#queued.delete(chat.localId)) void session.cache.unqueue(chat.localId);
    } catch (caught) {
      const error = asRtmError(caught, 'INTERNAL_ERROR');
      // A copy from history or another tab may have shown it stored meanwhile: keep that.
      outcome = (m) => (m.status === 'sending' ? { ...m, status: 'failed', error } : m);
      // After stop() the failures are our own logout's cancellations: nobody to tell.
      if (session.active) session.report(error, key);
    }
    this.#inFlight.delete(chat.localId);
    const settled = conversation.update(chat.from, chat.localId, outcome) ?? chat;
    session.list.touch(conversation, [settled]);
    return settled;
  }
}

import type { ReceivedMessage, RtmClient, RtmClientEvents, RtmDeletedMessage } from '../../client/index.js';
import { historyChatMessage } from '../chat-message.js';
import { keyOfTarget, targetOf, type ConversationKey } from '../keys.js';
import type { SessionContext } from './context.js';
import type { ChangeActions } from './change-actions.js';
import { importChangeActions } from './load-change-actions.js';

/**
 * Messages that change after they are sent, in the session's stores: this user's retract, edit,
 * reaction and delete-for-me actions, the pushes of everyone's changes, and catching up on the
 * changes a conversation had while this session was away (after a reconnect, or since the cache
 * was written) through the conversation's change number.
 */
export class Changes {
  readonly #session: SessionContext;

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** The client listeners for changes pushed by the server. */
  listeners(): Partial<RtmClientEvents> {
    return {
      MessageRetracted: (message) => this.#apply(message),
      MessageEdited: (message) => this.#apply(message),
      ReactionChanged: (message) => this.#apply(message),
      MessageDeleted: (deleted) => this.#drop(deleted),
      ConversationDeleted: ({ peerId, channelId, clearedSeq }) =>
        void this.actions().then((actions) => actions.conversationDeleted(keyOfTarget({ peerId, channelId }), clearedSeq)),
    };
  }

  /** This user's actions (retract, edit, reactions, delete for me), loaded with the first one. */
  actions(): Promise<ChangeActions> {
    return importChangeActions().then((module) => new module.ChangeActions(this.#session, (message) => this.#apply(message), (deleted) => this.#drop(deleted)));
  }

  /**
   * Applies the changes a conversation had after its cursor — kept on the conversation for the
   * session and in the cache across reloads — then moves the cursor. With no cursor yet (first
   * load, nothing cached) the history page just loaded is current: its `pageChangeSeq` becomes
   * the cursor.
   */
  async catchUp(client: RtmClient, key: ConversationKey, pageChangeSeq?: number): Promise<void> {
    const session = this.#session;
    const target = targetOf(key);
    if (!target) return;
    const conversation = session.conversation(key);
    let cursor = conversation.changeCursor ?? (await session.cache.changeCursor(key));
    if (cursor === undefined) cursor = pageChangeSeq;
    else {
      for (;;) {
        const page = await client.getMessageChanges({ ...target, afterChangeSeq: cursor });
        if (client !== session.client || !session.active) return;
        for (const change of page.changes) {
          if (change.message) this.#apply(change.message);
          else this.#drop({ ...target, messageId: change.deleted.messageId, seq: change.deleted.seq });
        }
        cursor = page.changeSeq;
        if (!page.hasMore) break;
      }
    }
    // Stopped meanwhile: the cache is closed (writing would open it again).
    if (cursor === undefined || client !== session.client || !session.active) return;
    conversation.changeCursor = cursor;
    await session.cache.setChangeCursor(key, cursor);
  }

  /** A changed message: replaces the copy shown, the conversation preview and the cached copy. */
  #apply(received: ReceivedMessage): void {
    const session = this.#session;
    const key = keyOfTarget(received);
    const chat = historyChatMessage(key, received, session.userId);
    const conversation = session.existing(key);
    if (conversation?.byId(received.messageId)) {
      conversation.upsert(chat);
      session.list.touch(conversation);
    }
    session.list.changed(key, chat);
    void session.cache.replaceIfCached(chat);
  }

  /** A message this user deleted for themself: gone from the view, the preview and the cache. */
  #drop(deleted: RtmDeletedMessage): void {
    const session = this.#session;
    const key = keyOfTarget(deleted);
    const conversation = session.existing(key);
    if (conversation?.remove(deleted.messageId)) session.list.touch(conversation);
    session.list.forget(key, deleted.messageId);
    void session.cache.forget(key, deleted.seq);
  }
}

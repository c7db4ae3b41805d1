import {
  RtmError,
  checkClientMessageId,
  checkMessageId,
  parseReaction,
  type MessageChange,
  type StoredMessage,
  type WireTextMessage,
} from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { ChannelHost } from './channel.js';
import { conversationRef, type ConversationTarget } from './conversation-target.js';
import { checkLimit, checkSeq } from './history.js';
import { createClientMessageId } from './ids.js';
import { toWireMessage, type ReceivedMessage } from './messages.js';

/**
 * Our additions for messages that change after they are sent — retract, edit, reactions, delete
 * for me — and catching up on changes made while away: the types, the events, and the requests
 * behind `retractMessage`, `editMessage`, `addReaction`, `removeReaction`, `deleteMessage` and
 * `getMessageChanges` ({@link MessageChangeRequests}).
 */

/** Who reacted how, in `ReactionChanged`. */
export interface RtmReactionChange {
  uid: string;
  emoji: string;
  /** True when the reaction was added, false when removed. */
  added: boolean;
}

/** A message deleted for this user on another of their tabs or devices (event `MessageDeleted`). */
export type RtmDeletedMessage = ConversationTarget & { messageId: string; seq: number };

/** One entry of `getMessageChanges`: a changed message in its current state, or one this user deleted. */
export type RtmMessageChange =
  | { changeSeq: number; message: ReceivedMessage; deleted?: undefined }
  | { changeSeq: number; deleted: { messageId: string; seq: number }; message?: undefined };

/** Options of `getMessageChanges`. */
export type ChangesQuery = ConversationTarget & {
  /** Changes after this change number (`changeSeq` of a history or sync page, or of the last changes page). 0 for all. */
  afterChangeSeq: number;
  /** At most this many, 1 to `MAX_HISTORY_PAGE`. Default `MAX_HISTORY_PAGE`. */
  limit?: number;
};

/** One page of `getMessageChanges`. */
export interface RtmChangesPage {
  /** Oldest change first; each message once, in its current state. */
  changes: RtmMessageChange[];
  /** More follow: ask again with `afterChangeSeq` = `changeSeq`. */
  hasMore: boolean;
  /** Where the next call starts. */
  changeSeq: number;
}

/** The change events, merged into the client's events. Channel messages' changes come here too. */
export type ChangeEvents = {
  /** A message of a conversation of this user was retracted (`message.message` is `{ messageType: 'RETRACTED' }`). */
  MessageRetracted: (message: ReceivedMessage) => void;
  /** A message was edited; `message` has the new text and `editedAt`. */
  MessageEdited: (message: ReceivedMessage) => void;
  /** Someone added or removed a reaction; `message.reactions` is the new summary. */
  ReactionChanged: (message: ReceivedMessage, change: RtmReactionChange) => void;
  /** This user deleted a message for themself on another tab or device. */
  MessageDeleted: (deleted: RtmDeletedMessage) => void;
};

/** What {@link MessageChangeRequests} needs of the client. */
export interface ChangeHost {
  request: ChannelHost['request'];
  received(stored: StoredMessage[]): ReceivedMessage[];
}

function requireMessageId(messageId: unknown): string {
  const invalid = checkMessageId(messageId);
  if (invalid) throw new RtmError('INVALID_ARGUMENT', `messageId must be a server message id, got ${JSON.stringify(messageId)}.`);
  return messageId as string;
}

/** The requests behind the client's change methods (documented there). */
export class MessageChangeRequests {
  readonly #host: ChangeHost;

  constructor(host: ChangeHost) {
    this.#host = host;
  }

  retract(messageId: string): Promise<ReceivedMessage> {
    return attempt(() => {
      const id = requireMessageId(messageId);
      return this.#host.request<'message.retract'>((requestId) => ({ t: 'message.retract', id: requestId, messageId: id })).then(
        (result) => this.#one(result.message),
      );
    });
  }

  edit(messageId: string, init: { text: string }, clientMessageId?: string): Promise<ReceivedMessage> {
    return attempt(() => {
      const id = requireMessageId(messageId);
      const message = toWireMessage({ messageType: 'TEXT', text: (init as { text?: unknown })?.text as string }) as WireTextMessage;
      // One id for every transmission of this edit: a retransmit after a reconnect changes nothing.
      const cmid = clientMessageId ?? createClientMessageId();
      const invalid = checkClientMessageId(cmid);
      if (invalid) throw invalid;
      return this.#host
        .request<'message.edit'>((requestId) => ({ t: 'message.edit', id: requestId, messageId: id, cmid, message }))
        .then((result) => this.#one(result.message));
    });
  }

  react(messageId: string, emoji: string, add: boolean): Promise<ReceivedMessage> {
    return attempt(() => {
      const id = requireMessageId(messageId);
      const reaction = parseReaction(emoji);
      const t = add ? 'reaction.add' : 'reaction.remove';
      return this.#host
        .request<typeof t>((requestId) => ({ t, id: requestId, messageId: id, emoji: reaction }))
        .then((result) => this.#one(result.message));
    });
  }

  delete(messageId: string): Promise<void> {
    return attempt(() => {
      const id = requireMessageId(messageId);
      return this.#host
        .request<'message.delete'>((requestId) => ({ t: 'message.delete', id: requestId, messageId: id }))
        .then(() => undefined);
    });
  }

  changes(query: ChangesQuery): Promise<RtmChangesPage> {
    return attempt(() => {
      const ref = conversationRef(query, 'getMessageChanges');
      const afterChangeSeq = checkSeq(query.afterChangeSeq, 'afterChangeSeq', 0);
      const limit = checkLimit(query.limit);
      return this.#host
        .request<'changes'>((id) => ({ t: 'changes', id, afterChangeSeq, limit, ...ref }))
        .then((page) => ({ changes: this.#changes(page.changes), hasMore: page.hasMore, changeSeq: page.changeSeq }));
    });
  }

  #one(stored: StoredMessage): ReceivedMessage {
    const [message] = this.#host.received([stored]);
    if (!message) throw new RtmError('INVALID_MESSAGE', 'The server sent a message this version cannot read.');
    return message;
  }

  #changes(changes: MessageChange[]): RtmMessageChange[] {
    const out: RtmMessageChange[] = [];
    for (const change of changes) {
      if ('deleted' in change) {
        out.push({ changeSeq: change.changeSeq, deleted: { messageId: change.deleted.id, seq: change.deleted.seq } });
        continue;
      }
      const [message] = this.#host.received([change.message]);
      if (message) out.push({ changeSeq: change.changeSeq, message });
    }
    return out;
  }
}

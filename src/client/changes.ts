import { RtmError, type MessageChange, type StoredMessage } from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { ChannelHost } from './channel.js';
import { conversationRef, type ConversationTarget } from './conversation-target.js';
import { checkLimit, checkSeq } from './history.js';
import { importChangeRequests, type ChangeRequestsModule } from './load-change-requests.js';
import type { ReceivedMessage } from './messages.js';

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
  /** This user deleted a conversation on another tab or device (`clearedSeq` > 0: with its history up to it). */
  ConversationDeleted: (deleted: ConversationTarget & { clearedSeq: number }) => void;
  /** A command from another user (`sendCommand`): never stored, never shown. */
  CommandReceived: (command: RtmCommand) => void;
};

/** A transparent command (event `CommandReceived`): `peerId` is the sender for a peer command. */
export type RtmCommand = ConversationTarget & { from: string; payload: string };

/** What {@link MessageChangeRequests} needs of the client. */
export interface ChangeHost {
  request: ChannelHost['request'];
  received(stored: StoredMessage[]): ReceivedMessage[];
}

/** The requests behind the client's change methods (documented there). */
export class MessageChangeRequests {
  readonly #host: ChangeHost;

  constructor(host: ChangeHost) {
    this.#host = host;
  }

  /** The action requests, loaded with the first one (change-requests.ts). */
  #actions: Promise<ChangeRequestsModule> | undefined;

  #load(): Promise<ChangeRequestsModule> {
    return (this.#actions ??= importChangeRequests().catch((error: unknown) => {
      this.#actions = undefined;
      throw new RtmError('INTERNAL_ERROR', `Could not load the message actions: ${String(error)}`);
    }));
  }

  /** Runs one of the action requests of change-requests.ts (loading it first). */
  call<K extends 'retract' | 'edit' | 'react' | 'remove' | 'forward' | 'command' | 'search' | 'deleteConversation'>(
    name: K,
    ...args: ChangeRequestsModule[K] extends (host: ChangeHost, ...rest: infer A) => unknown ? A : never
  ): ReturnType<ChangeRequestsModule[K]> {
    return this.#load().then((actions) => (actions[name] as (host: ChangeHost, ...rest: unknown[]) => unknown)(this.#host, ...args)) as ReturnType<
      ChangeRequestsModule[K]
    >;
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

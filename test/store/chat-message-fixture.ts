// One builder for the ChatMessage values the store's unit tests feed in, so that when the message
// model grows (edits, reactions, replies) there is one place that learns the new fields.
import type { ChatMessage } from '../../src/store/chat-message.js';
import type { ConversationKey } from '../../src/store/keys.js';

export const ME = 'alice';

export interface MessageFields extends Partial<ChatMessage> {
  conversation: ConversationKey;
  localId: string;
  /** Given: the message is stored (sent, with this seq and an id); absent: it is still sending. */
  seq?: number;
}

/** A text message of `conversation`: from this user unless `from` says otherwise. */
export function chatMessage(fields: MessageFields): ChatMessage {
  const { from = ME, localId, seq, conversation, ...rest } = fields;
  const text = fields.text ?? localId;
  const stored = seq !== undefined;
  return {
    localId,
    conversation,
    from,
    own: from === ME,
    text,
    message: { messageType: 'TEXT', text },
    ts: stored ? 1_000 + seq : 5_000,
    status: stored ? 'sent' : 'sending',
    ...(stored && { id: `m-${conversation}-${seq}`, seq }),
    ...rest,
  };
}

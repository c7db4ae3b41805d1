import type { MemberReadState } from '../protocol/index.js';
import type { ChatMessage } from './chat-message.js';
import type { ConversationSummary } from './conversation-list.js';

/**
 * Receipts of this user's own messages, derived from read markers. Pure functions: the session
 * feeds them its stores' values, and tests feed them plain objects.
 */

/** How far one of this user's stored messages has got (from `receiptsOf(key)`). */
export type ChatReceipt =
  | {
      readonly kind: 'peer';
      /** `delivered`: reached a device of the peer; `read`: the peer's read marker passed it. */
      readonly state: 'sent' | 'delivered' | 'read';
    }
  | {
      readonly kind: 'channel';
      /** Members other than the sender whose read marker passed it, of how many. */
      readonly read: number;
      readonly of: number;
      /** Their user ids, and those of the members who have not read it yet. */
      readonly readers: readonly string[];
      readonly nonReaders: readonly string[];
    };

/** How far a peer has received and read this user's messages (a conversation's summary). */
export type PeerMarks = Pick<ConversationSummary, 'peerReadSeq' | 'peerDeliveredSeq'>;

/**
 * Whether a message is one of this user's, stored, and sent wanting receipts: only those have one
 * (a transient message has no seq; `needReadReceipt: false` asked for none).
 */
function ownStored(message: ChatMessage): message is ChatMessage & { seq: number } {
  return message.own && message.status === 'sent' && message.seq !== undefined && message.needReadReceipt !== false;
}

/** The receipt of a peer message from the peer's marks; undefined for one not own and stored. */
export function peerReceipt(message: ChatMessage, marks: PeerMarks | undefined): 'sent' | 'delivered' | 'read' | undefined {
  if (!ownStored(message)) return undefined;
  const { peerReadSeq = 0, peerDeliveredSeq = 0 } = marks ?? {};
  return message.seq <= peerReadSeq ? 'read' : message.seq <= peerDeliveredSeq ? 'delivered' : 'sent';
}

/**
 * Who of a channel's members other than the sender has read a message (marker at or past its
 * seq) and who not; undefined for a message not own and stored, or before the members are known.
 */
export function channelReceipt(
  message: ChatMessage,
  members: readonly MemberReadState[] | undefined,
): Extract<ChatReceipt, { kind: 'channel' }> | undefined {
  if (!members || !ownStored(message)) return undefined;
  const readers: string[] = [];
  const nonReaders: string[] = [];
  for (const member of members) {
    if (member.uid !== message.from) (member.readSeq >= message.seq ? readers : nonReaders).push(member.uid);
  }
  return { kind: 'channel', read: readers.length, of: readers.length + nonReaders.length, readers, nonReaders };
}

/** The receipts of every own stored message of a conversation, by local id. */
export function receiptsOfMessages(
  messages: readonly ChatMessage[],
  from: { kind: 'peer'; marks: PeerMarks | undefined } | { kind: 'channel'; members: readonly MemberReadState[] | undefined },
): ReadonlyMap<string, ChatReceipt> {
  const receipts = new Map<string, ChatReceipt>();
  for (const message of messages) {
    let receipt: ChatReceipt | undefined;
    if (from.kind === 'channel') receipt = channelReceipt(message, from.members);
    else {
      const state = peerReceipt(message, from.marks);
      receipt = state && { kind: 'peer', state };
    }
    if (receipt) receipts.set(message.localId, receipt);
  }
  return receipts;
}

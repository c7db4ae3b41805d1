import { MAX_HISTORY_PAGE, RtmError, type StoredMessage } from '../protocol/index.js';
import type { Logger } from './log.js';
import { toReceivedMessage, type ReceivedMessage } from './messages.js';
import type { ConversationTarget } from './conversation-target.js';

/**
 * Stored history as the client hands it out: the `getHistory` query and page types, the checks of
 * page sizes and sequence numbers shared with `syncMessages` and `markRead`, and decoding stored
 * messages (history, sync, the conversation list and offline batches all go through
 * {@link receivedMessages}).
 */

/** Options of `getHistory`: exactly one of `peerId` and `channelId`. */
export type HistoryQuery = ConversationTarget & {
  /** Only messages older than this sequence number (to page back). Default: the newest page. */
  beforeSeq?: number;
  /** At most this many messages, 1 to `MAX_HISTORY_PAGE`. Default `MAX_HISTORY_PAGE`. */
  limit?: number;
};

/** One page of history. */
export interface HistoryPage {
  /** The page's messages in conversation order (ascending `seq`). */
  messages: ReceivedMessage[];
  /** Whether older messages exist (page back with `beforeSeq` = the first message's `seq`). */
  hasMore: boolean;
  /** The conversation's newest change number when the page was read (see `getMessageChanges`). */
  changeSeq: number;
}

/** A page size: `MAX_HISTORY_PAGE` when omitted; throws INVALID_ARGUMENT outside 1…MAX_HISTORY_PAGE. */
export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_HISTORY_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) {
    throw new RtmError('INVALID_ARGUMENT', `limit must be an integer from 1 to ${MAX_HISTORY_PAGE}.`);
  }
  return limit;
}

/** Throws INVALID_ARGUMENT unless `value` is an integer ≥ `min`. */
export function checkSeq(value: unknown, name: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) {
    throw new RtmError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}.`);
  }
  return value as number;
}

/** Decodes a stored message, skipping (with a warning) one this version cannot read. */
export function decodeStored<T>(stored: StoredMessage, decode: (stored: StoredMessage) => T, log: Logger): T | undefined {
  try {
    return decode(stored);
  } catch (error) {
    log.warn(`Skipping message ${stored?.id}:`, error);
    return undefined;
  }
}

/** Stored messages as ReceivedMessages in ascending seq, skipping undecodable ones. */
export function receivedMessages(stored: StoredMessage[], ownUid: string, log: Logger): ReceivedMessage[] {
  return stored
    .map((s) => decodeStored(s, (m) => toReceivedMessage(m, ownUid), log))
    .filter((m): m is ReceivedMessage => m !== undefined)
    .sort((a, b) => a.seq - b.seq);
}

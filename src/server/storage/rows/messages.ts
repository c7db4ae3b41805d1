import { quoteOf, type MessageQuote, type ReactionSummary, type StoredBody, type StoredMessage } from '../../../protocol/index.js';

// Message rows and the SQL every message read shares, the same in SQLite and PostgreSQL (same
// columns by design); each engine's reader adds its own statements for reactions and quotes.

/** A `messages` row, with the change number its reads join in (`change_seq`, NULL when never changed). */
export interface MessageRow {
  pk: number;
  id: string;
  conv: string;
  seq: number;
  ts: number;
  sender: string;
  receiver: string | null;
  channel: string | null;
  cmid: string;
  body: string;
  ack_peer_received: number;
  ack_stored_offline: number;
  edited_at?: number | null;
  retracted_at?: number | null;
  change_seq?: number | null;
  /** 1: sent with `needReadReceipt: false` (migration 8). */
  no_read_receipt?: number;
}

/**
 * The columns every message read selects: the row and its latest change everyone sees. `m` is the
 * messages table; the join is a primary-key seek.
 */
export const MESSAGE_COLUMNS = 'm.*, c.change_seq AS change_seq';
export const JOIN_CHANGE = `LEFT JOIN message_changes c ON c.message_pk = m.pk AND c.deleted_for = ''`;
/**
 * Leaves out what `@viewer` deleted for themself, and the history they cleared by deleting the
 * conversation (primary-key seeks per row).
 */
export const VISIBLE_TO_VIEWER = `NOT EXISTS (SELECT 1 FROM message_changes d WHERE d.message_pk = m.pk AND d.deleted_for = @viewer)
  AND m.seq > COALESCE((SELECT uc.cleared_seq FROM user_conversations uc WHERE uc.app_id = m.app_id AND uc.uid = @viewer AND uc.conv = m.conv), 0)`;

export function toStored(row: MessageRow, reactions?: ReactionSummary[]): StoredMessage {
  const stored: StoredMessage = {
    id: row.id,
    seq: row.seq,
    ts: row.ts,
    from: row.sender,
    cmid: row.cmid,
    message: JSON.parse(row.body) as StoredBody,
  };
  if (row.receiver !== null) stored.to = row.receiver;
  if (row.channel !== null) stored.channel = row.channel;
  if (row.edited_at != null) stored.editedAt = row.edited_at;
  if (row.retracted_at != null) stored.retractedAt = row.retracted_at;
  if (row.change_seq != null) stored.changeSeq = row.change_seq;
  if (row.no_read_receipt === 1) stored.needReadReceipt = false;
  if (reactions && reactions.length > 0) stored.reactions = reactions;
  return stored;
}

/** A reaction as read from `message_reactions`, in the order it was added. */
export interface ReactionRow {
  message_pk: number;
  emoji: string;
  uid: string;
}

/** The reaction summaries per message row key: count per emoji, the first `usersListed` users. */
export function summarizeReactions(rows: Iterable<ReactionRow>, usersListed: number): Map<number, ReactionSummary[]> {
  const byMessage = new Map<number, ReactionSummary[]>();
  for (const { message_pk: pk, emoji, uid } of rows) {
    let summaries = byMessage.get(pk);
    if (!summaries) byMessage.set(pk, (summaries = []));
    let summary = summaries.find((s) => s.emoji === emoji);
    if (!summary) summaries.push((summary = { emoji, count: 0, uids: [] }));
    summary.count += 1;
    if (summary.uids.length < usersListed) summary.uids.push(uid);
  }
  return byMessage;
}

/** A quoted original as read from `messages`. */
export interface OriginalRow {
  id: string;
  seq: number;
  sender: string;
  body: string;
}

/** The server ids the replies among `messages` quote. */
export function repliedToIds(messages: readonly StoredMessage[]): string[] {
  return messages.map((m) => ('replyTo' in m.message ? m.message.replyTo : undefined)).filter((id) => id !== undefined);
}

/** Sets the quote of every reply among `messages` whose original is in `originals`. */
export function addQuotes(messages: StoredMessage[], originals: Iterable<OriginalRow>): StoredMessage[] {
  const found = new Map<string, MessageQuote>();
  for (const row of originals) {
    found.set(row.id, quoteOf({ id: row.id, seq: row.seq, from: row.sender, message: JSON.parse(row.body) as StoredBody }));
  }
  for (const message of messages) {
    const quote = 'replyTo' in message.message && message.message.replyTo !== undefined ? found.get(message.message.replyTo) : undefined;
    if (quote) message.quote = quote;
  }
  return messages;
}

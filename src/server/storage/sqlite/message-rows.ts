import { quoteOf, type MessageQuote, type ReactionSummary, type StoredBody, type StoredMessage } from '../../../protocol/index.js';
import type { SqliteDatabase } from './driver.js';

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

/**
 * Turns rows into stored messages with their reactions, read with one statement for the whole
 * page (`json_each` expands the list of row keys; the unique key (message_pk, emoji, uid) serves it).
 */
export function createMessageReader(db: SqliteDatabase, usersListed: number) {
  const reactionRows = db.prepare(`
    SELECT message_pk, emoji, uid FROM message_reactions
    WHERE message_pk IN (SELECT value FROM json_each(?)) ORDER BY pk`);
  // The originals replies quote, by server id (UNIQUE messages.id), in their current state.
  const originals = db.prepare(`
    SELECT id, seq, sender, body FROM messages WHERE app_id = ? AND id IN (SELECT value FROM json_each(?))`);

  /** Adds the quote of every reply among `messages` (one statement for all of them). */
  function withQuotes(appId: string, messages: StoredMessage[]): StoredMessage[] {
    const wanted = messages.map((m) => ('replyTo' in m.message ? m.message.replyTo : undefined)).filter((id) => id !== undefined);
    if (wanted.length === 0) return messages;
    const found = new Map<string, MessageQuote>();
    for (const row of originals.all(appId, JSON.stringify(wanted)) as { id: string; seq: number; sender: string; body: string }[]) {
      found.set(row.id, quoteOf({ id: row.id, seq: row.seq, from: row.sender, message: JSON.parse(row.body) as StoredBody }));
    }
    for (const message of messages) {
      const quote = 'replyTo' in message.message && message.message.replyTo !== undefined ? found.get(message.message.replyTo) : undefined;
      if (quote) message.quote = quote;
    }
    return messages;
  }

  return function read(rows: readonly MessageRow[], appId: string): StoredMessage[] {
    if (rows.length === 0) return [];
    const byMessage = new Map<number, ReactionSummary[]>();
    const rowsRead = reactionRows.all(JSON.stringify(rows.map((row) => row.pk))) as {
      message_pk: number;
      emoji: string;
      uid: string;
    }[];
    for (const { message_pk: pk, emoji, uid } of rowsRead) {
      let summaries = byMessage.get(pk);
      if (!summaries) byMessage.set(pk, (summaries = []));
      let summary = summaries.find((s) => s.emoji === emoji);
      if (!summary) summaries.push((summary = { emoji, count: 0, uids: [] }));
      summary.count += 1;
      if (summary.uids.length < usersListed) summary.uids.push(uid);
    }
    const messages = rows.map((row) => toStored(row, byMessage.get(row.pk)));
    return withQuotes(appId, messages);
  };
}

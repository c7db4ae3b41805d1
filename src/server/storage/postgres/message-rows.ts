import { quoteOf, type MessageQuote, type ReactionSummary, type StoredBody, type StoredMessage } from '../../../protocol/index.js';
import { toStored, type MessageRow } from '../sqlite/message-rows.js';
import { rows, type Queryable } from './database.js';

// The row shape and its mapping are the SQLite adapter's: the columns are the same by design.
export { toStored, type MessageRow };

/** Every message read selects the row and its latest change everyone sees (`m` is messages). */
export const MESSAGE_COLUMNS = 'm.*, c.change_seq AS change_seq';
export const JOIN_CHANGE = `LEFT JOIN message_changes c ON c.message_pk = m.pk AND c.deleted_for = ''`;
/** Leaves out what `@viewer` deleted for themself and the history they cleared. */
export const VISIBLE_TO_VIEWER = `NOT EXISTS (SELECT 1 FROM message_changes d WHERE d.message_pk = m.pk AND d.deleted_for = @viewer)
  AND m.seq > COALESCE((SELECT uc.cleared_seq FROM user_conversations uc WHERE uc.app_id = m.app_id AND uc.uid = @viewer AND uc.conv = m.conv), 0)`;

export type ReadRows = (db: Queryable, rows: readonly MessageRow[], appId: string) => Promise<StoredMessage[]>;

/** A reaction as read in SQL: [message_pk, emoji, uid], in the order they were added. */
export type ReactionTuple = [number, string, string];
/** A quoted original as read in SQL: [id, seq, sender, body]. */
export type OriginalTuple = [string, number, string, string];

/**
 * Turns rows into stored messages with their reactions and quotes: one statement (one round trip)
 * reads the reactions of the whole page and the originals its replies quote.
 */
export function createMessageReader(usersListed: number): ReadRows {
  return async function read(db, page, appId) {
    if (page.length === 0) return [];
    const messages = page.map((row) => toStored(row));
    const wanted = messages.map((m) => ('replyTo' in m.message ? m.message.replyTo : undefined)).filter((id) => id !== undefined);
    // json_agg keeps the reactions in insertion order (pk), which the summaries' order follows.
    const [{ reactions, originals }] = (await rows<{ reactions: ReactionTuple[] | null; originals: OriginalTuple[] | null }>(
      db,
      `SELECT
         (SELECT json_agg(json_build_array(message_pk, emoji, uid) ORDER BY pk)
            FROM message_reactions WHERE message_pk = ANY(@pks::bigint[])) AS reactions,
         (SELECT json_agg(json_build_array(id, seq, sender, body))
            FROM messages WHERE app_id = @appId AND id = ANY(@ids::text[])) AS originals`,
      { pks: page.map((row) => row.pk), appId, ids: wanted },
    )) as [{ reactions: ReactionTuple[] | null; originals: OriginalTuple[] | null }];
    return withReactionsAndQuotes(page, messages, reactions ?? [], originals ?? [], usersListed);
  };
}

/**
 * Adds to `messages` (read from `page`, index for index) their reaction summaries and the quotes
 * of the originals they reply to. Shared by the reader and the change function's result.
 */
export function withReactionsAndQuotes(
  page: readonly MessageRow[],
  messages: StoredMessage[],
  reactions: readonly ReactionTuple[],
  originals: readonly OriginalTuple[],
  usersListed: number,
): StoredMessage[] {
  const byMessage = new Map<number, ReactionSummary[]>();
  for (const [pk, emoji, uid] of reactions) {
    let summaries = byMessage.get(pk);
    if (!summaries) byMessage.set(pk, (summaries = []));
    let summary = summaries.find((s) => s.emoji === emoji);
    if (!summary) summaries.push((summary = { emoji, count: 0, uids: [] }));
    summary.count += 1;
    if (summary.uids.length < usersListed) summary.uids.push(uid);
  }
  page.forEach((row, i) => {
    const summaries = byMessage.get(row.pk);
    if (summaries) messages[i]!.reactions = summaries;
  });
  const found = new Map<string, MessageQuote>();
  for (const [id, seq, sender, body] of originals) {
    found.set(id, quoteOf({ id, seq, from: sender, message: JSON.parse(body) as StoredBody }));
  }
  for (const message of messages) {
    const quote = 'replyTo' in message.message && message.message.replyTo !== undefined ? found.get(message.message.replyTo) : undefined;
    if (quote) message.quote = quote;
  }
  return messages;
}

/** The conversation's newest seq and change number (0 and 0 before its first message). */
export async function countersOf(db: Queryable, appId: string, conv: string): Promise<{ lastSeq: number; lastChangeSeq: number }> {
  const [row] = await rows<{ last_seq: number; last_change_seq: number }>(
    db,
    'SELECT last_seq, last_change_seq FROM conversation_counters WHERE app_id = @appId AND conv = @conv',
    { appId, conv },
  );
  return { lastSeq: row?.last_seq ?? 0, lastChangeSeq: row?.last_change_seq ?? 0 };
}

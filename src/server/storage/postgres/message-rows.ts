import type { StoredMessage } from '../../../protocol/index.js';
import { addQuotes, summarizeReactions, toStored, type MessageRow } from '../rows/messages.js';
import { rows, type Queryable } from './database.js';

export { JOIN_CHANGE, MESSAGE_COLUMNS, VISIBLE_TO_VIEWER, toStored, type MessageRow } from '../rows/messages.js';

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
  const byMessage = summarizeReactions(
    reactions.map(([message_pk, emoji, uid]) => ({ message_pk, emoji, uid })),
    usersListed,
  );
  page.forEach((row, i) => {
    const summaries = byMessage.get(row.pk);
    if (summaries) messages[i]!.reactions = summaries;
  });
  return addQuotes(
    messages,
    originals.map(([id, seq, sender, body]) => ({ id, seq, sender, body })),
  );
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

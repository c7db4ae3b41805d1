import type { StoredMessage } from '../../../protocol/index.js';
import { addQuotes, repliedToIds, summarizeReactions, toStored, type MessageRow, type OriginalRow, type ReactionRow } from '../rows/messages.js';
import type { SqliteDatabase } from './driver.js';

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

  return function read(rows: readonly MessageRow[], appId: string): StoredMessage[] {
    if (rows.length === 0) return [];
    const reactions = summarizeReactions(reactionRows.all(JSON.stringify(rows.map((row) => row.pk))) as ReactionRow[], usersListed);
    const messages = rows.map((row) => toStored(row, reactions.get(row.pk)));
    const wanted = repliedToIds(messages);
    if (wanted.length === 0) return messages;
    return addQuotes(messages, originals.all(appId, JSON.stringify(wanted)) as OriginalRow[]);
  };
}

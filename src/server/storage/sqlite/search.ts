import type { StoredBody, StoredMessage } from '../../../protocol/index.js';
import { matchQuery, searchableText, wordsOf } from '../../messaging/search-text.js';
import type { MessageSearch, SearchPage } from '../types.js';
import type { SqliteDatabase } from './driver.js';
import { JOIN_CHANGE, MESSAGE_COLUMNS, VISIBLE_TO_VIEWER, type MessageRow } from '../rows/messages.js';

/** Messages indexed per statement batch when the store opens on a database from before search. */
const BACKFILL_BATCH = 1000;

/**
 * Message search on SQLite FTS5 (table from migration 6): the index is written in the same
 * transaction as the message (store, edit, retract: see messages.ts and message-changes.ts), and
 * a query reads the words table, then the messages by primary key, newest first. What the caller
 * deleted for themself never matches; neither does a retracted message (its row is gone).
 */
export function createSqliteSearch(db: SqliteDatabase, readRows: (rows: readonly MessageRow[], appId: string) => StoredMessage[]) {
  const insert = db.prepare('INSERT INTO message_search (rowid, words) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM message_search WHERE rowid = ?');
  const backfillState = db.prepare('SELECT done_pk AS done, until_pk AS until FROM search_backfill WHERE id = 1');
  const backfillRows = db.prepare('SELECT pk, body FROM messages WHERE pk > ? AND pk <= ? ORDER BY pk LIMIT ?');
  const backfillDone = db.prepare('UPDATE search_backfill SET done_pk = ? WHERE id = 1');

  const statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  function index(pk: number, body: StoredBody): void {
    const words = wordsOf(searchableText(body)).join(' ');
    if (words) insert.run(pk, words);
  }

  /** Indexes what was stored before search existed (once, when the store opens). */
  const backfill = db.transaction(() => {
    const state = backfillState.get() as { done: number; until: number } | undefined;
    if (!state || state.done >= state.until) return false;
    const rows = backfillRows.all(state.done, state.until, BACKFILL_BATCH) as { pk: number; body: string }[];
    for (const row of rows) index(row.pk, JSON.parse(row.body) as StoredBody);
    backfillDone.run(rows.at(-1)?.pk ?? state.until);
    return rows.length === BACKFILL_BATCH;
  });
  while (backfill.immediate()) {
    // one batch per transaction, so a big database is not locked at once
  }

  const search: MessageSearch['search'] = async (appId, viewer, query) => {
    const match = matchQuery(query.query);
    if (!match) return { hits: [], hasMore: false };
    const where = [
      'message_search MATCH @match',
      'm.app_id = @appId',
      VISIBLE_TO_VIEWER,
      query.conv !== undefined
        ? 'm.conv = @conv'
        : 'm.conv IN (SELECT conv FROM user_conversations WHERE app_id = @appId AND uid = @viewer)',
    ];
    if (query.after !== undefined) where.push('m.ts >= @after');
    if (query.before !== undefined) where.push('m.ts < @before');
    if (query.cursor !== undefined) where.push('m.pk < @cursor');
    if (query.types) where.push(`json_extract(m.body, '$.type') IN (SELECT value FROM json_each(@types))`);
    // Built from fixed fragments only (every value is a bound parameter), so there are at most
    // 2^5 shapes: each is prepared once.
    const sql = `SELECT ${MESSAGE_COLUMNS} FROM message_search JOIN messages m ON m.pk = message_search.rowid ${JOIN_CHANGE}
         WHERE ${where.join(' AND ')} ORDER BY m.pk DESC LIMIT @limit`;
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    const rows = statement
      .all({
        match,
        appId,
        viewer,
        conv: query.conv ?? null,
        after: query.after ?? null,
        before: query.before ?? null,
        cursor: query.cursor ?? null,
        types: query.types ? JSON.stringify(query.types) : null,
        limit: query.limit + 1,
      }) as MessageRow[];
    const page = rows.slice(0, query.limit);
    const messages = readRows(page, appId);
    const result: SearchPage = {
      hits: messages.map((message) => ({ message, text: searchableText(message.message) })),
      hasMore: rows.length > query.limit,
    };
    if (result.hasMore) result.cursor = page.at(-1)!.pk;
    return result;
  };

  return { index, unindex: (pk: number) => void remove.run(pk), search };
}

import type { StoredBody } from '../../../protocol/index.js';
import { searchableText, wordsOf } from '../../messaging/search-text.js';
import type { MessageSearch, SearchPage } from '../types.js';
import { rows, type Queryable } from './database.js';
import { JOIN_CHANGE, MESSAGE_COLUMNS, VISIBLE_TO_VIEWER, type MessageRow, type ReadRows } from './message-rows.js';

/**
 * Message search on PostgreSQL. Its full-text search cannot split Chinese or Japanese (no spaces
 * between words), and pg_trgm's trigrams find substrings, not words (two-character Chinese words
 * are below its trigram size). So the words come from the same place as in the SQLite adapter:
 * the server's ICU segmentation (`wordsOf`), stored per message in `messages.search_words`
 * (TEXT[], GIN-indexed), and a query matches messages whose words contain every query word
 * (`@>`). To match what SQLite's FTS5 unicode61 tokenizer does with those words, each is also
 * split at punctuation ("a.png" → "a", "png") and Latin diacritics are folded ("café" → "cafe").
 *
 * Limits, honestly: whole words only (no prefixes, no stemming, like the SQLite side); a
 * multi-part word ("a.png") matches its parts anywhere in the message, not only side by side as
 * FTS5's phrase does; no ranking (newest first, as on SQLite).
 */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  for (const word of wordsOf(text)) {
    const folded = word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
    for (const part of folded.split(/[^\p{L}\p{N}\p{M}]+/u)) if (part) words.add(part);
  }
  return [...words];
}

/** The words a stored body is found by (none for a retracted message). */
export function bodyWords(body: StoredBody): string[] {
  return searchWords(searchableText(body));
}

export function createPostgresSearch(db: Queryable, readRows: ReadRows): MessageSearch['search'] {
  return async (appId, viewer, query) => {
    const words = searchWords(query.query);
    if (words.length === 0) return { hits: [], hasMore: false };
    const where = [
      'm.search_words @> @words::text[]',
      'm.app_id = @appId',
      VISIBLE_TO_VIEWER,
      query.conv !== undefined
        ? 'm.conv = @conv'
        : 'm.conv IN (SELECT conv FROM user_conversations WHERE app_id = @appId AND uid = @viewer)',
    ];
    if (query.after !== undefined) where.push('m.ts >= @after');
    if (query.before !== undefined) where.push('m.ts < @before');
    if (query.cursor !== undefined) where.push('m.pk < @cursor');
    if (query.types) where.push(`(m.body::jsonb ->> 'type') = ANY(@types::text[])`);
    const params: Record<string, unknown> = { words, appId, viewer, limit: query.limit + 1 };
    if (query.conv !== undefined) params.conv = query.conv;
    if (query.after !== undefined) params.after = query.after;
    if (query.before !== undefined) params.before = query.before;
    if (query.cursor !== undefined) params.cursor = query.cursor;
    if (query.types) params.types = [...query.types];
    const found = await rows<MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE}
       WHERE ${where.join(' AND ')} ORDER BY m.pk DESC LIMIT @limit`,
      params,
    );
    const page = found.slice(0, query.limit);
    const messages = await readRows(db, page, appId);
    const result: SearchPage = {
      hits: messages.map((message) => ({ message, text: searchableText(message.message) })),
      hasMore: found.length > query.limit,
    };
    if (result.hasMore) result.cursor = page.at(-1)!.pk;
    return result;
  };
}

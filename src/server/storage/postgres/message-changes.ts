import { MAX_REACTIONS_PER_MESSAGE, RtmError, type MessageChange, type StoredMessage, type WireMessage } from '../../../protocol/index.js';
import type { MessageStore, MessageUpdate } from '../types.js';
import { inTransaction, rows, run, type PgClient, type PgPool } from './database.js';
import { countersOf, JOIN_CHANGE, MESSAGE_COLUMNS, VISIBLE_TO_VIEWER, type MessageRow, type ReadRows } from './message-rows.js';
import { bodyWords } from './search.js';

const RETRACTED_BODY = JSON.stringify({ type: 'RETRACTED' });

/** As on SQLite: an edit keeps what the message replied to, and its extras unless it brings its own. */
function editedBody(original: WireMessage, edit: WireMessage): WireMessage {
  const body: WireMessage = { ...edit };
  if (original.replyTo !== undefined) body.replyTo = original.replyTo;
  if (edit.extras === undefined && original.extras !== undefined) body.extras = original.extras;
  return body;
}

interface ChangeRow extends MessageRow {
  ch_seq: number;
  ch_deleted_for: string;
}

const BY_ID = `SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE} WHERE m.id = @id AND m.app_id = @appId`;

// A change everyone sees is left out for a viewer who deleted the message for themself.
const CHANGES_AFTER = `
  SELECT ${MESSAGE_COLUMNS}, ch.change_seq AS ch_seq, ch.deleted_for AS ch_deleted_for
  FROM message_changes ch JOIN messages m ON m.pk = ch.message_pk ${JOIN_CHANGE}
  WHERE ch.app_id = @appId AND ch.conv = @conv AND ch.change_seq > @after
    AND (ch.deleted_for = @viewer OR (ch.deleted_for = '' AND ${VISIBLE_TO_VIEWER}))
  ORDER BY ch.change_seq LIMIT @limit`;

/**
 * Retract, edit, reactions and "delete for me" on PostgreSQL, each one transaction: lock the
 * message row (FOR UPDATE, so two nodes changing one message take turns and the reaction cap
 * holds), check its state, write, and take the conversation's next change number from its
 * counter row.
 */
export function createPostgresMessageChanges(pool: PgPool, readRows: ReadRows): Pick<MessageStore, 'find' | 'change' | 'changes'> {
  const notFound = (messageId: string) => new RtmError('MESSAGE_NOT_FOUND', `No message "${messageId}" in a conversation of yours.`);
  const retracted = () => new RtmError('MESSAGE_RETRACTED', 'The message was retracted; it can no longer be edited or reacted to.');

  async function deletionOf(db: PgClient | PgPool, pk: number, uid: string): Promise<number | undefined> {
    const [row] = await rows<{ change_seq: number }>(
      db,
      'SELECT change_seq FROM message_changes WHERE message_pk = @pk AND deleted_for = @uid',
      { pk, uid },
    );
    return row?.change_seq;
  }

  async function apply(db: PgClient, appId: string, row: MessageRow, update: MessageUpdate, now: number): Promise<boolean> {
    switch (update.kind) {
      case 'retract':
        if (row.retracted_at != null) return false;
        await run(db, `UPDATE messages SET body = @body, retracted_at = @now, edited_at = NULL, search_words = '{}' WHERE pk = @pk`, {
          body: RETRACTED_BODY,
          now,
          pk: row.pk,
        });
        await run(db, 'DELETE FROM message_reactions WHERE message_pk = @pk', { pk: row.pk });
        return true;
      case 'edit': {
        if (row.retracted_at != null) throw retracted();
        const recorded = await run(
          db,
          `INSERT INTO message_edits (app_id, sender, cmid, message_pk) VALUES (@appId, @editor, @cmid, @pk) ON CONFLICT DO NOTHING`,
          { appId, editor: update.editor, cmid: update.cmid, pk: row.pk },
        );
        if (recorded === 0) return false;
        const body = editedBody(JSON.parse(row.body) as WireMessage, update.message);
        await run(db, 'UPDATE messages SET body = @body, edited_at = @now, search_words = @words::text[] WHERE pk = @pk', {
          body: JSON.stringify(body),
          now,
          words: bodyWords(body),
          pk: row.pk,
        });
        return true;
      }
      case 'reaction': {
        if (row.retracted_at != null) throw retracted();
        const key = { pk: row.pk, emoji: update.emoji, uid: update.uid };
        if (!update.add) {
          return (await run(db, 'DELETE FROM message_reactions WHERE message_pk = @pk AND emoji = @emoji AND uid = @uid', key)) > 0;
        }
        const [{ used, emojis }] = (await rows<{ used: boolean; emojis: number }>(
          db,
          `SELECT EXISTS (SELECT 1 FROM message_reactions WHERE message_pk = @pk AND emoji = @emoji) AS used,
                  (SELECT COUNT(DISTINCT emoji) FROM message_reactions WHERE message_pk = @pk) AS emojis`,
          { pk: row.pk, emoji: update.emoji },
        )) as [{ used: boolean; emojis: number }];
        if (!used && emojis >= MAX_REACTIONS_PER_MESSAGE) {
          throw new RtmError('INVALID_REACTION', `A message carries at most ${MAX_REACTIONS_PER_MESSAGE} different reactions.`);
        }
        return (
          (await run(db, 'INSERT INTO message_reactions (message_pk, emoji, uid) VALUES (@pk, @emoji, @uid) ON CONFLICT DO NOTHING', key)) > 0
        );
      }
      case 'delete':
        return (await deletionOf(db, row.pk, update.uid)) === undefined;
    }
  }

  async function changeOnce(db: PgClient, appId: string, messageId: string, update: MessageUpdate, now: number) {
    const [row] = await rows<MessageRow>(db, `${BY_ID} FOR UPDATE OF m`, { id: messageId, appId });
    if (!row) throw notFound(messageId);
    // The backend edits as editor '' and has nothing deleted for itself.
    const actor = update.kind === 'edit' ? update.editor || undefined : update.kind === 'retract' ? undefined : update.uid;
    if (update.kind !== 'delete' && actor !== undefined && (await deletionOf(db, row.pk, actor)) !== undefined) {
      throw notFound(messageId);
    }
    const changed = await apply(db, appId, row, update, now);
    const deletedFor = update.kind === 'delete' ? update.uid : '';
    let changeSeq: number;
    if (changed) {
      const [counter] = (await rows<{ change_seq: number }>(
        db,
        `UPDATE conversation_counters SET last_change_seq = last_change_seq + 1
         WHERE app_id = @appId AND conv = @conv RETURNING last_change_seq AS change_seq`,
        { appId, conv: row.conv },
      )) as [{ change_seq: number }];
      changeSeq = counter.change_seq;
      await run(
        db,
        `INSERT INTO message_changes (message_pk, deleted_for, app_id, conv, change_seq) VALUES (@pk, @deletedFor, @appId, @conv, @changeSeq)
         ON CONFLICT (message_pk, deleted_for) DO UPDATE SET change_seq = excluded.change_seq`,
        { pk: row.pk, deletedFor, appId, conv: row.conv, changeSeq },
      );
    } else {
      changeSeq = deletedFor ? ((await deletionOf(db, row.pk, deletedFor)) ?? 0) : (row.change_seq ?? 0);
    }
    const [afterRow] = (await rows<MessageRow>(db, BY_ID, { id: messageId, appId })) as [MessageRow];
    return { message: (await readRows(db, [afterRow], appId))[0] as StoredMessage, changed, changeSeq };
  }

  return {
    async find(appId, messageId, viewer) {
      const [row] = await rows<MessageRow>(pool, BY_ID, { id: messageId, appId });
      if (!row || (viewer !== undefined && (await deletionOf(pool, row.pk, viewer)) !== undefined)) return undefined;
      return { conv: row.conv, message: (await readRows(pool, [row], appId))[0] as StoredMessage };
    },
    async change(appId, messageId, update, now) {
      return inTransaction(pool, (db) => changeOnce(db, appId, messageId, update, now));
    },
    async changes(appId, conv, viewer, after, limit) {
      return inTransaction(
        pool,
        async (db) => {
          const { lastChangeSeq: newest } = await countersOf(db, appId, conv);
          const found = await rows<ChangeRow>(db, CHANGES_AFTER, { appId, conv, viewer, after, limit: limit + 1 });
          const page = found.slice(0, limit);
          const current = new Map(
            (await readRows(db, page.filter((row) => row.ch_deleted_for === ''), appId)).map((message) => [message.id, message]),
          );
          const changes: MessageChange[] = page.map((row) =>
            row.ch_deleted_for === ''
              ? { changeSeq: row.ch_seq, message: current.get(row.id) as StoredMessage }
              : { changeSeq: row.ch_seq, deleted: { id: row.id, seq: row.seq } },
          );
          const hasMore = found.length > limit;
          return { changes, hasMore, changeSeq: hasMore ? (page.at(-1) as ChangeRow).ch_seq : newest };
        },
        'REPEATABLE READ READ ONLY',
      );
    },
  };
}

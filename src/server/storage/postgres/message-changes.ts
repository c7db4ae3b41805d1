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

/**
 * Locks the message row (FOR UPDATE: two nodes changing one message take turns, and the reaction
 * cap holds) and reads, in the same round trip, the acting user's "deleted for me" change
 * (`actor_deleted_seq`; `@actor` NULL for retract and the backend: no row).
 */
const LOCK_BY_ID = `
  SELECT ${MESSAGE_COLUMNS}, d.change_seq AS actor_deleted_seq FROM messages m ${JOIN_CHANGE}
  LEFT JOIN message_changes d ON d.message_pk = m.pk AND d.deleted_for = @actor
  WHERE m.id = @id AND m.app_id = @appId FOR UPDATE OF m`;

interface LockedRow extends MessageRow {
  actor_deleted_seq: number | null;
}

/** The conversation's next change number and the message's change row, in one statement. */
const NEXT_CHANGE = `
  WITH counter AS (
    UPDATE conversation_counters SET last_change_seq = last_change_seq + 1
    WHERE app_id = @appId AND conv = @conv RETURNING last_change_seq)
  INSERT INTO message_changes (message_pk, deleted_for, app_id, conv, change_seq)
  SELECT @pk::bigint, @deletedFor::text, @appId::text, @conv::text, last_change_seq FROM counter
  ON CONFLICT (message_pk, deleted_for) DO UPDATE SET change_seq = excluded.change_seq
  RETURNING change_seq`;

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
 * holds), check its state, write, read the message back, and last take the conversation's next
 * change number from its counter row — last because stores into the conversation wait on that
 * row, so it is held for one statement and the COMMIT rather than for the whole change.
 */
export function createPostgresMessageChanges(pool: PgPool, readRows: ReadRows): Pick<MessageStore, 'find' | 'change' | 'changes'> {
  const notFound = (messageId: string) => new RtmError('MESSAGE_NOT_FOUND', `No message "${messageId}" in a conversation of yours.`);
  const retracted = () => new RtmError('MESSAGE_RETRACTED', 'The message was retracted; it can no longer be edited or reacted to.');

  async function deletionOf(db: PgPool, pk: number, uid: string): Promise<number | undefined> {
    const [row] = await rows<{ change_seq: number }>(
      db,
      'SELECT change_seq FROM message_changes WHERE message_pk = @pk AND deleted_for = @uid',
      { pk, uid },
    );
    return row?.change_seq;
  }

  async function apply(db: PgClient, appId: string, row: LockedRow, update: MessageUpdate, now: number): Promise<boolean> {
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
        return row.actor_deleted_seq == null;
    }
  }

  async function changeOnce(db: PgClient, appId: string, messageId: string, update: MessageUpdate, now: number) {
    // The backend edits as editor '' and has nothing deleted for itself (NULL matches no row).
    const actor = update.kind === 'edit' ? update.editor || undefined : update.kind === 'retract' ? undefined : update.uid;
    const [row] = await rows<LockedRow>(db, LOCK_BY_ID, { id: messageId, appId, actor: actor ?? null });
    if (!row) throw notFound(messageId);
    if (update.kind !== 'delete' && row.actor_deleted_seq != null) throw notFound(messageId);
    const changed = await apply(db, appId, row, update, now);
    const deletedFor = update.kind === 'delete' ? update.uid : '';
    // The message after the change (our own writes are visible in the transaction); only its
    // change number is not yet there, patched in below.
    const [afterRow] = (await rows<MessageRow>(db, BY_ID, { id: messageId, appId })) as [MessageRow];
    const message = (await readRows(db, [afterRow], appId))[0] as StoredMessage;
    if (!changed) {
      const changeSeq = deletedFor ? (row.actor_deleted_seq ?? 0) : (row.change_seq ?? 0);
      return { message, changed, changeSeq };
    }
    // Last, so the conversation's counter row (which every store into the conversation takes
    // too) is locked for this statement and the COMMIT only.
    const [{ change_seq: changeSeq }] = (await rows<{ change_seq: number }>(db, NEXT_CHANGE, {
      pk: row.pk,
      deletedFor,
      appId,
      conv: row.conv,
    })) as [{ change_seq: number }];
    if (!deletedFor) message.changeSeq = changeSeq;
    return { message, changed, changeSeq };
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

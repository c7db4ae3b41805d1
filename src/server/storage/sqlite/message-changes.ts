import { MAX_REACTIONS_PER_MESSAGE, RtmError, type MessageChange, type StoredBody, type StoredMessage, type WireMessage } from '../../../protocol/index.js';
import type { MessageStore, MessageUpdate } from '../types.js';
import type { SqliteDatabase } from './driver.js';
import type { GroupCommit } from './group-commit.js';
import { JOIN_CHANGE, MESSAGE_COLUMNS, VISIBLE_TO_VIEWER, type MessageRow } from '../rows/messages.js';

/** What the change operations share with the rest of the message store. */
export interface ChangeStatements {
  readRows(rows: readonly MessageRow[], appId: string): StoredMessage[];
  /** `(appId, conv)` → the conversation's newest change number (0 when none). */
  lastChangeSeq: { get(appId: string, conv: string): unknown };
  /** The search index, kept in step with edits and retractions. */
  search: { index(pk: number, body: StoredBody): void; unindex(pk: number): void };
}

const RETRACTED_BODY = JSON.stringify({ type: 'RETRACTED' });

/**
 * An edit replaces the text (and mentions); the message stays a reply to what it replied to, and
 * keeps its extras unless the edit brings its own.
 */
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

/**
 * Retract, edit, reactions and "delete for me" on SQLite (tables from migration 5). Each update is
 * one savepoint in a group-commit batch (shared with message stores, so a reaction storm costs one
 * fsync per batch too): re-read the row, check its state, write, number the change. Indexes:
 * `messages.id` UNIQUE (find), `message_changes` PRIMARY KEY (message_pk, deleted_for) (the
 * upsert, "deleted for uid") and UNIQUE (app_id, conv, change_seq) (the next number, changes
 * after N), `message_reactions` UNIQUE (message_pk, emoji, uid).
 */
export function createSqliteMessageChanges(
  db: SqliteDatabase,
  { readRows, lastChangeSeq, search }: ChangeStatements,
  writes: GroupCommit,
): Pick<MessageStore, 'find' | 'change' | 'changes'> {
  const byId = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE} WHERE m.id = ? AND m.app_id = ?`);
  const deletionOf = db
    .prepare('SELECT change_seq FROM message_changes WHERE message_pk = ? AND deleted_for = ?')
    .pluck();
  const numberChange = db.prepare(`
    INSERT INTO message_changes (message_pk, deleted_for, app_id, conv, change_seq)
    VALUES (@pk, @deletedFor, @appId, @conv, @changeSeq)
    ON CONFLICT (message_pk, deleted_for) DO UPDATE SET change_seq = excluded.change_seq`);
  const retract = db.prepare('UPDATE messages SET body = ?, retracted_at = ?, edited_at = NULL WHERE pk = ?');
  const dropReactions = db.prepare('DELETE FROM message_reactions WHERE message_pk = ?');
  const editApplied = db.prepare('SELECT 1 FROM message_edits WHERE app_id = ? AND sender = ? AND cmid = ?').pluck();
  const recordEdit = db.prepare('INSERT INTO message_edits (app_id, sender, cmid, message_pk) VALUES (?, ?, ?, ?)');
  const edit = db.prepare('UPDATE messages SET body = ?, edited_at = ? WHERE pk = ?');
  const addReaction = db.prepare(
    'INSERT INTO message_reactions (message_pk, emoji, uid) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const removeReaction = db.prepare('DELETE FROM message_reactions WHERE message_pk = ? AND emoji = ? AND uid = ?');
  const emojiUsed = db.prepare('SELECT 1 FROM message_reactions WHERE message_pk = ? AND emoji = ? LIMIT 1').pluck();
  const emojiCount = db.prepare('SELECT COUNT(DISTINCT emoji) FROM message_reactions WHERE message_pk = ?').pluck();
  // A change everyone sees is left out for a viewer who deleted the message for themself: they
  // get the deletion instead.
  const changesAfter = db.prepare(`
    SELECT ${MESSAGE_COLUMNS}, ch.change_seq AS ch_seq, ch.deleted_for AS ch_deleted_for
    FROM message_changes ch JOIN messages m ON m.pk = ch.message_pk ${JOIN_CHANGE}
    WHERE ch.app_id = @appId AND ch.conv = @conv AND ch.change_seq > @after
      AND (ch.deleted_for = @viewer OR (ch.deleted_for = '' AND ${VISIBLE_TO_VIEWER}))
    ORDER BY ch.change_seq LIMIT @limit`);

  const notFound = (messageId: string) =>
    new RtmError('MESSAGE_NOT_FOUND', `No message "${messageId}" in a conversation of yours.`);
  const retracted = () => new RtmError('MESSAGE_RETRACTED', 'The message was retracted; it can no longer be edited or reacted to.');

  /** Applies the update to the row; returns whether anything changed. */
  function apply(appId: string, row: MessageRow, update: MessageUpdate, now: number): boolean {
    switch (update.kind) {
      case 'retract':
        if (row.retracted_at != null) return false;
        retract.run(RETRACTED_BODY, now, row.pk);
        dropReactions.run(row.pk);
        search.unindex(row.pk);
        return true;
      case 'edit':
        if (row.retracted_at != null) throw retracted();
        if (editApplied.get(appId, update.editor, update.cmid) !== undefined) return false;
        recordEdit.run(appId, update.editor, update.cmid, row.pk);
        const body = editedBody(JSON.parse(row.body) as WireMessage, update.message);
        edit.run(JSON.stringify(body), now, row.pk);
        search.unindex(row.pk);
        search.index(row.pk, body);
        return true;
      case 'reaction':
        if (row.retracted_at != null) throw retracted();
        if (!update.add) return removeReaction.run(row.pk, update.emoji, update.uid).changes > 0;
        if (emojiUsed.get(row.pk, update.emoji) === undefined && (emojiCount.get(row.pk) as number) >= MAX_REACTIONS_PER_MESSAGE) {
          throw new RtmError('INVALID_REACTION', `A message carries at most ${MAX_REACTIONS_PER_MESSAGE} different reactions.`);
        }
        return addReaction.run(row.pk, update.emoji, update.uid).changes > 0;
      case 'delete':
        return deletionOf.get(row.pk, update.uid) === undefined;
    }
  }

  const changeOne = (appId: string, messageId: string, update: MessageUpdate, now: number) => {
    const row = byId.get(messageId, appId) as MessageRow | undefined;
    if (!row) throw notFound(messageId);
    // The backend edits as editor '' and has nothing deleted for itself: `deleted_for = ''` is the
    // row of the change everyone sees, not a deletion.
    const actor = update.kind === 'edit' ? update.editor || undefined : update.kind === 'retract' ? undefined : update.uid;
    // What a user deleted for themself is gone for them (a repeated delete is a no-op, below).
    if (update.kind !== 'delete' && actor !== undefined && deletionOf.get(row.pk, actor) !== undefined) {
      throw notFound(messageId);
    }
    const changed = apply(appId, row, update, now);
    const deletedFor = update.kind === 'delete' ? update.uid : '';
    let changeSeq: number;
    if (changed) {
      changeSeq = (lastChangeSeq.get(appId, row.conv) as number) + 1;
      numberChange.run({ pk: row.pk, deletedFor, appId, conv: row.conv, changeSeq });
    } else {
      changeSeq = deletedFor ? (deletionOf.get(row.pk, deletedFor) as number) : (row.change_seq ?? 0);
    }
    const after = byId.get(messageId, appId) as MessageRow;
    return { message: readRows([after], appId)[0] as StoredMessage, changed, changeSeq };
  };

  const changesTx = db.transaction((appId: string, conv: string, viewer: string, after: number, limit: number) => {
    const newest = lastChangeSeq.get(appId, conv) as number;
    // One extra row tells whether more follow.
    const rows = changesAfter.all({ appId, conv, viewer, after, limit: limit + 1 }) as ChangeRow[];
    const page = rows.slice(0, limit);
    const current = new Map(
      readRows(page.filter((row) => row.ch_deleted_for === ''), appId).map((message) => [message.id, message]),
    );
    const changes: MessageChange[] = page.map((row) =>
      row.ch_deleted_for === ''
        ? { changeSeq: row.ch_seq, message: current.get(row.id) as StoredMessage }
        : { changeSeq: row.ch_seq, deleted: { id: row.id, seq: row.seq } },
    );
    const hasMore = rows.length > limit;
    return { changes, hasMore, changeSeq: hasMore ? (page.at(-1) as ChangeRow).ch_seq : newest };
  });

  return {
    async find(appId, messageId, viewer) {
      const row = byId.get(messageId, appId) as MessageRow | undefined;
      if (!row || (viewer !== undefined && deletionOf.get(row.pk, viewer) !== undefined)) return undefined;
      return { conv: row.conv, message: readRows([row], appId)[0] as StoredMessage };
    },
    async change(appId, messageId, update, now) {
      return writes.run(() => changeOne(appId, messageId, update, now));
    },
    async changes(appId, conv, viewer, afterChangeSeq, limit) {
      return changesTx.deferred(appId, conv, viewer, afterChangeSeq, limit);
    },
  };
}

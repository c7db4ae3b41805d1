import { MAX_REACTIONS_PER_MESSAGE, REACTION_USERS_LISTED, RtmError, type MessageChange, type StoredMessage, type WireMessage } from '../../../protocol/index.js';
import type { MessageStore, MessageUpdate } from '../types.js';
import { inTransaction, isRetryable, preparedRows, rows, type PgPool } from './database.js';
import {
  countersOf,
  JOIN_CHANGE,
  MESSAGE_COLUMNS,
  toStored,
  VISIBLE_TO_VIEWER,
  withReactionsAndQuotes,
  type MessageRow,
  type OriginalTuple,
  type ReactionTuple,
  type ReadRows,
} from './message-rows.js';
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

/** SQLSTATEs rtm_change_message raises (migration 5), mapped back in `change`. */
const NOT_FOUND = 'RTM03';
const RETRACTED = 'RTM04';
const TOO_MANY_REACTIONS = 'RTM05';
/** An edit's body was computed from a body that changed before the function locked the row. */
const EDITED_MEANWHILE = 'RTM06';

/**
 * How many times a change runs before giving up on deadlocks or concurrent edits. Each round of
 * edits racing on one message lets at least one through, so this many racers always finish.
 */
const CHANGE_ATTEMPTS = 10;

// The whole change, in SQL: see rtm_change_message in migrations.ts.
const CHANGE = `SELECT * FROM rtm_change_message(@appId, @id, @kind, @actor, @emoji, @add::boolean, @editor, @cmid,
  @editFromBody, @editBody, @editWords::text[], @retractedBody, @maxReactions::integer, @now::bigint)`;

interface ChangeFunctionRow {
  out_changed: boolean;
  out_change_seq: number;
  out_row: MessageRow;
  out_reactions: ReactionTuple[] | null;
  out_original: OriginalTuple | null;
}

// A change everyone sees is left out for a viewer who deleted the message for themself.
const CHANGES_AFTER = `
  SELECT ${MESSAGE_COLUMNS}, ch.change_seq AS ch_seq, ch.deleted_for AS ch_deleted_for
  FROM message_changes ch JOIN messages m ON m.pk = ch.message_pk ${JOIN_CHANGE}
  WHERE ch.app_id = @appId AND ch.conv = @conv AND ch.change_seq > @after
    AND (ch.deleted_for = @viewer OR (ch.deleted_for = '' AND ${VISIBLE_TO_VIEWER}))
  ORDER BY ch.change_seq LIMIT @limit`;

/**
 * Retract, edit, reactions and "delete for me" on PostgreSQL: each is one call of the SQL function
 * rtm_change_message (migration 5) in autocommit, which locks the message row (FOR UPDATE, so two
 * nodes changing one message take turns and the reaction cap holds), checks its state, writes,
 * takes the conversation's next change number from its counter row and reads the message back.
 * One round trip, and the locks are held only while the server runs it.
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

  async function changeOnce(appId: string, messageId: string, update: MessageUpdate, now: number) {
    // An edit keeps parts of the body it replaces (editedBody), so it reads that body first; the
    // function refuses the edit (EDITED_MEANWHILE) when the body changed before it got the lock.
    let edit: { from: string; body: string; words: string[] } | undefined;
    if (update.kind === 'edit') {
      const [current] = await rows<{ body: string }>(pool, 'SELECT body FROM messages WHERE id = @id AND app_id = @appId', {
        id: messageId,
        appId,
      });
      if (!current) throw notFound(messageId);
      const body = editedBody(JSON.parse(current.body) as WireMessage, update.message);
      edit = { from: current.body, body: JSON.stringify(body), words: bodyWords(body) };
    }
    // The backend edits as editor '' and has nothing deleted for itself (NULL: no deletion to look for).
    const actor = update.kind === 'edit' ? update.editor || null : update.kind === 'retract' ? null : update.uid;
    let result: ChangeFunctionRow;
    try {
      [result] = (await preparedRows<ChangeFunctionRow>(pool, 'rtm_change_message', CHANGE, {
        appId,
        id: messageId,
        kind: update.kind,
        actor,
        emoji: update.kind === 'reaction' ? update.emoji : null,
        add: update.kind === 'reaction' ? update.add : null,
        editor: update.kind === 'edit' ? update.editor : null,
        cmid: update.kind === 'edit' ? update.cmid : null,
        editFromBody: edit?.from ?? null,
        editBody: edit?.body ?? null,
        editWords: edit?.words ?? null,
        retractedBody: RETRACTED_BODY,
        maxReactions: MAX_REACTIONS_PER_MESSAGE,
        now,
      })) as [ChangeFunctionRow];
    } catch (error) {
      switch ((error as { code?: string }).code) {
        case NOT_FOUND:
          throw notFound(messageId);
        case RETRACTED:
          throw retracted();
        case TOO_MANY_REACTIONS:
          throw new RtmError('INVALID_REACTION', `A message carries at most ${MAX_REACTIONS_PER_MESSAGE} different reactions.`);
      }
      throw error;
    }
    const row = result.out_row;
    const [message] = withReactionsAndQuotes(
      [row],
      [toStored(row)],
      result.out_reactions ?? [],
      result.out_original ? [result.out_original] : [],
      REACTION_USERS_LISTED,
    ) as [StoredMessage];
    return { message, changed: result.out_changed, changeSeq: result.out_change_seq };
  }

  return {
    async find(appId, messageId, viewer) {
      const [row] = await rows<MessageRow>(pool, BY_ID, { id: messageId, appId });
      if (!row || (viewer !== undefined && (await deletionOf(pool, row.pk, viewer)) !== undefined)) return undefined;
      return { conv: row.conv, message: (await readRows(pool, [row], appId))[0] as StoredMessage };
    },
    async change(appId, messageId, update, now) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await changeOnce(appId, messageId, update, now);
        } catch (error) {
          // The statement rolled back as a whole: running it again (an edit: from the new body) is safe.
          const again = (error as { code?: string }).code === EDITED_MEANWHILE || isRetryable(error);
          if (!again || attempt >= CHANGE_ATTEMPTS) throw error;
        }
      }
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

import { REACTION_USERS_LISTED, RtmError, quoteOf, type MessageQuote, type StoredMessage } from '../../../protocol/index.js';
import type { MessageStore, NewMessage, StoreResult } from '../types.js';
import type { SqliteDatabase } from './driver.js';
import { createGroupCommit, type GroupCommit } from './group-commit.js';
import { createSqliteMessageChanges, type ChangeStatements } from './message-changes.js';
import { createSqliteSearch } from './search.js';
import { JOIN_CHANGE, MESSAGE_COLUMNS, VISIBLE_TO_VIEWER, toStored, type MessageRow } from '../rows/messages.js';
import { createMessageReader } from './message-rows.js';

/**
 * Messages on SQLite. Writes on the hot path (store, change, the offline fetch that must see the
 * stores issued before it) go through `writes`, the group commit: many per transaction, each in
 * its own savepoint. Pass the storage's shared one so all of them are ordered in one queue.
 */
export function createSqliteMessageStore(db: SqliteDatabase, writes: GroupCommit = createGroupCommit(db)): MessageStore {
  const byCmid = db.prepare('SELECT * FROM messages WHERE app_id = ? AND sender = ? AND cmid = ?');
  const originalOf = db.prepare('SELECT * FROM messages WHERE app_id = ? AND id = ?');
  // Served by UNIQUE (app_id, conv, seq): an index seek, not a scan.
  const nextSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM messages WHERE app_id = ? AND conv = ?');
  const insertMessage = db.prepare(`
    INSERT INTO messages (id, app_id, conv, seq, sender, receiver, channel, cmid, body, ts, ack_peer_received, ack_stored_offline, no_read_receipt)
    VALUES (@id, @appId, @conv, @seq, @from, @to, @channel, @cmid, @body, @ts, @peerReceived, @storedOffline, @noReadReceipt)`);
  const insertOffline = db.prepare(
    'INSERT INTO offline_messages (app_id, receiver, message_pk, expires_at) VALUES (?, ?, ?, ?)',
  );
  const purgeExpiredFor = db.prepare(
    'DELETE FROM offline_messages WHERE app_id = ? AND receiver = ? AND expires_at <= ?',
  );
  // Keeps the newest `max`: deletes everything at or below the (max+1)-th newest row.
  const trimOffline = db.prepare(`
    DELETE FROM offline_messages WHERE app_id = @appId AND receiver = @receiver AND pk <= (
      SELECT pk FROM offline_messages WHERE app_id = @appId AND receiver = @receiver ORDER BY pk DESC LIMIT 1 OFFSET @max
    )`);
  const readRows = createMessageReader(db, REACTION_USERS_LISTED);
  const history = db.prepare(`
    SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE}
    WHERE m.app_id = @appId AND m.conv = @conv AND m.seq < @before AND ${VISIBLE_TO_VIEWER}
    ORDER BY m.seq DESC LIMIT @limit`);
  // Served by UNIQUE (app_id, conv, change_seq): one seek to the end of the range.
  const lastChangeSeq = db
    .prepare('SELECT COALESCE(MAX(change_seq), 0) FROM message_changes WHERE app_id = ? AND conv = ?')
    .pluck();
  const offlineFor = db.prepare(`
    SELECT o.pk AS handle, ${MESSAGE_COLUMNS} FROM offline_messages o JOIN messages m ON m.pk = o.message_pk ${JOIN_CHANGE}
    WHERE o.app_id = ? AND o.receiver = ? AND o.expires_at > ? ORDER BY o.pk`);
  const deleteOffline = db.prepare('DELETE FROM offline_messages WHERE pk = ?');
  // A peer message makes the conversation one of the sender's and one of the receiver's.
  const takePart = db.prepare(`
    INSERT INTO user_conversations (app_id, uid, conv, kind, target) VALUES (?, ?, ?, 'peer', ?)
    ON CONFLICT DO NOTHING`);
  // A receiver who had a connection open got the message as it was stored: delivered (in the same
  // transaction, so a live delivery costs no second commit).
  const deliveredNow = db.prepare(`
    UPDATE user_conversations SET delivered_seq = MAX(delivered_seq, ?) WHERE app_id = ? AND uid = ? AND conv = ?`);
  // Both served by UNIQUE (app_id, conv, seq).
  const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM messages WHERE app_id = ? AND conv = ?').pluck();
  const after = db.prepare(`
    SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE}
    WHERE m.app_id = @appId AND m.conv = @conv AND m.seq > @after AND ${VISIBLE_TO_VIEWER}
    ORDER BY m.seq LIMIT @limit`);
  const purgeExpired = db.prepare('DELETE FROM offline_messages WHERE expires_at <= ?');

  // Runs inside a group-commit batch, in its own savepoint (see group-commit.ts).
  const storeOne = (input: NewMessage, now: number): StoreResult => {
    const existing = byCmid.get(input.appId, input.from, input.cmid) as MessageRow | undefined;
    if (existing) {
      if (existing.conv !== input.conv) {
        // Acking the other conversation's message would make this send silently vanish.
        throw new RtmError(
          'INVALID_CLIENT_MESSAGE_ID',
          `Client message id "${input.cmid}" was already used for another conversation.`,
        );
      }
      return {
        message: readRows([existing], input.appId)[0]!,
        duplicate: true,
        ack: { peerReceived: existing.ack_peer_received === 1, storedOffline: existing.ack_stored_offline === 1 },
      };
    }
    // A reply quotes a message of the same conversation, as it is now.
    const replyTo = 'replyTo' in input.message ? input.message.replyTo : undefined;
    let quote: MessageQuote | undefined;
    if (replyTo !== undefined) {
      const original = originalOf.get(input.appId, replyTo) as MessageRow | undefined;
      if (!original || original.conv !== input.conv) {
        throw new RtmError('INVALID_REPLY', `"replyTo" must name a message of this conversation; "${replyTo}" is not one.`);
      }
      quote = quoteOf(toStored(original));
    }
    const { seq } = nextSeq.get(input.appId, input.conv) as { seq: number };
    const inserted = insertMessage.run({
      id: input.id,
      appId: input.appId,
      conv: input.conv,
      seq,
      from: input.from,
      to: input.to ?? null,
      channel: input.channel ?? null,
      cmid: input.cmid,
      body: JSON.stringify(input.message),
      ts: input.ts,
      peerReceived: input.ack.peerReceived ? 1 : 0,
      storedOffline: input.ack.storedOffline ? 1 : 0,
      noReadReceipt: input.needReadReceipt === false ? 1 : 0,
    });
    search.index(Number(inserted.lastInsertRowid), input.message);
    if (input.to !== undefined) {
      takePart.run(input.appId, input.from, input.conv, input.to);
      takePart.run(input.appId, input.to, input.conv, input.from);
      if (input.ack.peerReceived && input.to !== input.from) deliveredNow.run(seq, input.appId, input.to, input.conv);
    }
    if (input.offline && input.to !== undefined) {
      insertOffline.run(input.appId, input.to, inserted.lastInsertRowid, input.offline.expiresAt);
      purgeExpiredFor.run(input.appId, input.to, now);
      trimOffline.run({ appId: input.appId, receiver: input.to, max: input.offline.maxPerReceiver });
    }
    const message: StoredMessage = {
      id: input.id,
      seq,
      ts: input.ts,
      from: input.from,
      cmid: input.cmid,
      message: input.message,
    };
    if (input.to !== undefined) message.to = input.to;
    if (input.channel !== undefined) message.channel = input.channel;
    if (quote) message.quote = quote;
    if (input.needReadReceipt === false) message.needReadReceipt = false;
    return { message, duplicate: false, ack: input.ack };
  };

  // One read transaction: the change number and the page come from the same snapshot, so every
  // change up to `changeSeq` is already in the messages returned.
  const historyTx = db.transaction((appId: string, conv: string, viewer: string, limit: number, beforeSeq?: number) => {
    const changeSeq = lastChangeSeq.get(appId, conv) as number;
    // One extra row tells whether an older page exists.
    const rows = history.all({ appId, conv, viewer, before: beforeSeq ?? Number.MAX_SAFE_INTEGER, limit: limit + 1 }) as MessageRow[];
    return { messages: readRows(rows.slice(0, limit), appId), hasMore: rows.length > limit, changeSeq };
  });

  // One read transaction: the newest seq and the page come from the same snapshot.
  const syncTx = db.transaction((appId: string, conv: string, viewer: string, afterSeq: number, limit: number, maxGap: number) => {
    const newest = lastSeq.get(appId, conv) as number;
    const changeSeq = lastChangeSeq.get(appId, conv) as number;
    // seq is gapless (MAX + 1 inside the insert transaction), so newest − afterSeq messages follow.
    if (afterSeq > newest || newest - afterSeq > maxGap) {
      const newestPage = history.all({ appId, conv, viewer, before: Number.MAX_SAFE_INTEGER, limit }) as MessageRow[];
      return { messages: readRows(newestPage.reverse(), appId), hasMore: false, reset: true, changeSeq };
    }
    // One extra row tells whether more follow.
    const rows = after.all({ appId, conv, viewer, after: afterSeq, limit: limit + 1 }) as MessageRow[];
    return { messages: readRows(rows.slice(0, limit), appId), hasMore: rows.length > limit, reset: false, changeSeq };
  });

  const deleteOfflineTx = db.transaction((handles: number[]) => {
    for (const handle of handles) deleteOffline.run(handle);
  });

  const search = createSqliteSearch(db, readRows);
  const statements: ChangeStatements = { readRows, lastChangeSeq, search };
  return {
    ...createSqliteMessageChanges(db, statements, writes),
    search: search.search,
    async store(input, now) {
      return writes.run(() => storeOne(input, now));
    },
    async history(appId, conv, viewer, limit, beforeSeq) {
      return historyTx.deferred(appId, conv, viewer, limit, beforeSeq);
    },
    async sync(appId, conv, viewer, afterSeq, limit, maxGap) {
      return syncTx.deferred(appId, conv, viewer, afterSeq, limit, maxGap);
    },
    // Queued behind the stores issued before it: a message kept offline for a receiver who logs
    // in while its batch is pending is in this fetch, not left for the next login.
    async offlineFor(appId, receiver, now) {
      return writes.run(() => {
        purgeExpiredFor.run(appId, receiver, now);
        const rows = offlineFor.all(appId, receiver, now) as (MessageRow & { handle: number })[];
        return { handles: rows.map((row) => row.handle), messages: readRows(rows, appId) };
      });
    },
    async deleteOffline(handles) {
      if (handles.length > 0) deleteOfflineTx.immediate(handles);
    },
    async purgeExpiredOffline(now) {
      return purgeExpired.run(now).changes;
    },
  };
}

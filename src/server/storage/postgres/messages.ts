import { REACTION_USERS_LISTED, RtmError, quoteOf, type MessageQuote, type StoredMessage } from '../../../protocol/index.js';
import type { MessageStore, NewMessage, StoreResult } from '../types.js';
import { inTransaction, rows, run, type PgClient, type PgPool } from './database.js';
import { createPostgresMessageChanges } from './message-changes.js';
import {
  countersOf,
  createMessageReader,
  JOIN_CHANGE,
  MESSAGE_COLUMNS,
  VISIBLE_TO_VIEWER,
  toStored,
  type MessageRow,
} from './message-rows.js';
import { bodyWords, createPostgresSearch } from './search.js';

/** How many times a store reruns after losing an idempotency race to another node. */
const CMID_RACE_ATTEMPTS = 3;

const HISTORY = `
  SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE}
  WHERE m.app_id = @appId AND m.conv = @conv AND m.seq < @before AND ${VISIBLE_TO_VIEWER}
  ORDER BY m.seq DESC LIMIT @limit`;

const AFTER = `
  SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE}
  WHERE m.app_id = @appId AND m.conv = @conv AND m.seq > @after AND ${VISIBLE_TO_VIEWER}
  ORDER BY m.seq LIMIT @limit`;

/**
 * The message store on PostgreSQL, with the SQLite store's semantics. What differs is how seq is
 * made safe with several nodes writing: the conversation's counter row is incremented
 * (`conversation_counters`, locked until commit), so two nodes storing into one conversation get
 * consecutive seqs, never the same one. Two nodes storing the same (app, sender, cmid) at once:
 * the second insert hits UNIQUE (app_id, sender, cmid) once the first commits, and the store
 * reruns, finding the original (a duplicate, as on one node).
 */
export function createPostgresMessageStore(pool: PgPool): MessageStore {
  const readRows = createMessageReader(REACTION_USERS_LISTED);

  async function storeOnce(db: PgClient, input: NewMessage, now: number): Promise<StoreResult> {
    const [existing] = await rows<MessageRow>(
      db,
      'SELECT * FROM messages WHERE app_id = @appId AND sender = @from AND cmid = @cmid',
      { appId: input.appId, from: input.from, cmid: input.cmid },
    );
    if (existing) {
      if (existing.conv !== input.conv) {
        throw new RtmError('INVALID_CLIENT_MESSAGE_ID', `Client message id "${input.cmid}" was already used for another conversation.`);
      }
      return {
        message: (await readRows(db, [existing], input.appId))[0]!,
        duplicate: true,
        ack: { peerReceived: existing.ack_peer_received === 1, storedOffline: existing.ack_stored_offline === 1 },
      };
    }
    const replyTo = 'replyTo' in input.message ? input.message.replyTo : undefined;
    let quote: MessageQuote | undefined;
    if (replyTo !== undefined) {
      const [original] = await rows<MessageRow>(db, 'SELECT * FROM messages WHERE app_id = @appId AND id = @id', {
        appId: input.appId,
        id: replyTo,
      });
      if (!original || original.conv !== input.conv) {
        throw new RtmError('INVALID_REPLY', `"replyTo" must name a message of this conversation; "${replyTo}" is not one.`);
      }
      quote = quoteOf(toStored(original));
    }
    // The row lock taken here is held until commit: the next writer of this conversation waits.
    const [{ seq }] = (await rows<{ seq: number }>(
      db,
      `INSERT INTO conversation_counters (app_id, conv, last_seq) VALUES (@appId, @conv, 1)
       ON CONFLICT (app_id, conv) DO UPDATE SET last_seq = conversation_counters.last_seq + 1
       RETURNING last_seq AS seq`,
      { appId: input.appId, conv: input.conv },
    )) as [{ seq: number }];
    const [{ pk }] = (await rows<{ pk: number }>(
      db,
      `INSERT INTO messages (id, app_id, conv, seq, sender, receiver, channel, cmid, body, ts,
         ack_peer_received, ack_stored_offline, no_read_receipt, search_words)
       VALUES (@id, @appId, @conv, @seq, @from, @to, @channel, @cmid, @body, @ts,
         @peerReceived, @storedOffline, @noReadReceipt, @words::text[])
       RETURNING pk`,
      {
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
        words: bodyWords(input.message),
      },
    )) as [{ pk: number }];
    if (input.to !== undefined) {
      const takePart = `INSERT INTO user_conversations (app_id, uid, conv, kind, target) VALUES (@appId, @uid, @conv, 'peer', @target)
        ON CONFLICT DO NOTHING`;
      await run(db, takePart, { appId: input.appId, uid: input.from, conv: input.conv, target: input.to });
      await run(db, takePart, { appId: input.appId, uid: input.to, conv: input.conv, target: input.from });
      if (input.ack.peerReceived && input.to !== input.from) {
        await run(
          db,
          `UPDATE user_conversations SET delivered_seq = GREATEST(delivered_seq, @seq)
           WHERE app_id = @appId AND uid = @uid AND conv = @conv`,
          { seq, appId: input.appId, uid: input.to, conv: input.conv },
        );
      }
    }
    if (input.offline && input.to !== undefined) {
      const who = { appId: input.appId, receiver: input.to };
      await run(db, 'INSERT INTO offline_messages (app_id, receiver, message_pk, expires_at) VALUES (@appId, @receiver, @pk, @expiresAt)', {
        ...who,
        pk,
        expiresAt: input.offline.expiresAt,
      });
      await run(db, 'DELETE FROM offline_messages WHERE app_id = @appId AND receiver = @receiver AND expires_at <= @now', { ...who, now });
      // Keeps the newest `max`: deletes everything at or below the (max+1)-th newest row.
      await run(
        db,
        `DELETE FROM offline_messages WHERE app_id = @appId AND receiver = @receiver AND pk <= (
           SELECT pk FROM offline_messages WHERE app_id = @appId AND receiver = @receiver ORDER BY pk DESC LIMIT 1 OFFSET @max)`,
        { ...who, max: input.offline.maxPerReceiver },
      );
    }
    const message: StoredMessage = { id: input.id, seq, ts: input.ts, from: input.from, cmid: input.cmid, message: input.message };
    if (input.to !== undefined) message.to = input.to;
    if (input.channel !== undefined) message.channel = input.channel;
    if (quote) message.quote = quote;
    if (input.needReadReceipt === false) message.needReadReceipt = false;
    return { message, duplicate: false, ack: input.ack };
  }

  const search = createPostgresSearch(pool, readRows);
  return {
    ...createPostgresMessageChanges(pool, readRows),
    search,
    async store(input, now) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inTransaction(pool, (db) => storeOnce(db, input, now));
        } catch (error) {
          const raced = (error as { code?: string; constraint?: string }).constraint === 'messages_sender_cmid';
          if (!raced || attempt >= CMID_RACE_ATTEMPTS) throw error;
        }
      }
    },
    // One snapshot (REPEATABLE READ): every change up to `changeSeq` is already in the page.
    async history(appId, conv, viewer, limit, beforeSeq) {
      return inTransaction(
        pool,
        async (db) => {
          const { lastChangeSeq } = await countersOf(db, appId, conv);
          const found = await rows<MessageRow>(db, HISTORY, {
            appId,
            conv,
            viewer,
            before: beforeSeq ?? Number.MAX_SAFE_INTEGER,
            limit: limit + 1,
          });
          return { messages: await readRows(db, found.slice(0, limit), appId), hasMore: found.length > limit, changeSeq: lastChangeSeq };
        },
        'REPEATABLE READ READ ONLY',
      );
    },
    async sync(appId, conv, viewer, afterSeq, limit, maxGap) {
      return inTransaction(
        pool,
        async (db) => {
          const { lastSeq: newest, lastChangeSeq: changeSeq } = await countersOf(db, appId, conv);
          // seq is gapless (a counter incremented inside the insert transaction).
          if (afterSeq > newest || newest - afterSeq > maxGap) {
            const newestPage = await rows<MessageRow>(db, HISTORY, { appId, conv, viewer, before: Number.MAX_SAFE_INTEGER, limit });
            return { messages: await readRows(db, newestPage.reverse(), appId), hasMore: false, reset: true, changeSeq };
          }
          const found = await rows<MessageRow>(db, AFTER, { appId, conv, viewer, after: afterSeq, limit: limit + 1 });
          return { messages: await readRows(db, found.slice(0, limit), appId), hasMore: found.length > limit, reset: false, changeSeq };
        },
        'REPEATABLE READ READ ONLY',
      );
    },
    async offlineFor(appId, receiver, now) {
      await run(pool, 'DELETE FROM offline_messages WHERE app_id = @appId AND receiver = @receiver AND expires_at <= @now', {
        appId,
        receiver,
        now,
      });
      const found = await rows<MessageRow & { handle: number }>(
        pool,
        `SELECT o.pk AS handle, ${MESSAGE_COLUMNS} FROM offline_messages o JOIN messages m ON m.pk = o.message_pk ${JOIN_CHANGE}
         WHERE o.app_id = @appId AND o.receiver = @receiver AND o.expires_at > @now ORDER BY o.pk`,
        { appId, receiver, now },
      );
      return { handles: found.map((row) => row.handle), messages: await readRows(pool, found, appId) };
    },
    async deleteOffline(handles) {
      if (handles.length > 0) await run(pool, 'DELETE FROM offline_messages WHERE pk = ANY(@handles::bigint[])', { handles });
    },
    async purgeExpiredOffline(now) {
      return run(pool, 'DELETE FROM offline_messages WHERE expires_at <= @now', { now });
    },
  };
}

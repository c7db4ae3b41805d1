import { REACTION_USERS_LISTED, RtmError, quoteOf, type StoredBody, type StoredMessage } from '../../../protocol/index.js';
import type { MessageStore, NewMessage, StoreResult } from '../types.js';
import { inTransaction, isRetryable, preparedRows, rows, run, type PgPool } from './database.js';
import { createPostgresMessageChanges } from './message-changes.js';
import {
  countersOf,
  createMessageReader,
  JOIN_CHANGE,
  MESSAGE_COLUMNS,
  toStored,
  VISIBLE_TO_VIEWER,
  withReactionsAndQuotes,
  type MessageRow,
  type OriginalTuple,
  type ReactionTuple,
} from './message-rows.js';
import { bodyWords, createPostgresSearch } from './search.js';

/** How many times a store reruns after losing an idempotency race to another node (or a deadlock). */
const CMID_RACE_ATTEMPTS = 3;

/** SQLSTATEs rtm_store_message raises (migration 3), mapped back to RtmErrors in `storeOnce`. */
const CMID_USED_ELSEWHERE = 'RTM01';
const INVALID_REPLY = 'RTM02';

// The whole store, in SQL: see rtm_store_message in migrations.ts. The casts pick the types the
// function takes (parameters arrive untyped).
const STORE = `SELECT * FROM rtm_store_message(@id, @appId, @conv, @from, @to, @channel, @cmid, @body, @ts::bigint,
  @peerReceived::smallint, @storedOffline::smallint, @noReadReceipt::smallint, @words::text[], @replyTo,
  @offlineExpiresAt::bigint, @offlineMax::integer, @now::bigint)`;

interface StoreRow {
  /** The original when (app, sender, cmid) was stored before (JSON, parsed by pg). */
  dup_row: MessageRow | null;
  new_seq: number | null;
  quote_id: string | null;
  quote_seq: number | null;
  quote_sender: string | null;
  quote_body: string | null;
}

const HISTORY = `
  SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE}
  WHERE m.app_id = @appId AND m.conv = @conv AND m.seq < @before AND ${VISIBLE_TO_VIEWER}
  ORDER BY m.seq DESC LIMIT @limit`;

const AFTER = `
  SELECT ${MESSAGE_COLUMNS} FROM messages m ${JOIN_CHANGE}
  WHERE m.app_id = @appId AND m.conv = @conv AND m.seq > @after AND ${VISIBLE_TO_VIEWER}
  ORDER BY m.seq LIMIT @limit`;

/**
 * The offline fetch in one statement (one round trip): the purge of the receiver's expired copies,
 * and the rest with what a read adds to each message (its reactions in order, the original it
 * replies to: see `withReactionsAndQuotes`). The SELECT's snapshot does not see the CTE's DELETE,
 * but it leaves out exactly the rows deleted (expires_at <= now).
 */
const OFFLINE_FOR = `
  WITH purged AS (DELETE FROM offline_messages WHERE app_id = @appId AND receiver = @receiver AND expires_at <= @now)
  SELECT o.pk AS handle, ${MESSAGE_COLUMNS},
    (SELECT json_agg(json_build_array(r.message_pk, r.emoji, r.uid) ORDER BY r.pk)
       FROM message_reactions r WHERE r.message_pk = m.pk) AS reactions_json,
    (SELECT json_build_array(q.id, q.seq, q.sender, q.body)
       FROM messages q WHERE q.app_id = m.app_id AND q.id = (m.body::json ->> 'replyTo')) AS original_json
  FROM offline_messages o JOIN messages m ON m.pk = o.message_pk ${JOIN_CHANGE}
  WHERE o.app_id = @appId AND o.receiver = @receiver AND o.expires_at > @now ORDER BY o.pk`;

interface OfflineRow extends MessageRow {
  handle: number;
  reactions_json: ReactionTuple[] | null;
  original_json: OriginalTuple | null;
}

/**
 * The message store on PostgreSQL, with the SQLite store's semantics. What differs is how seq is
 * made safe with several nodes writing: the conversation's counter row is incremented
 * (`conversation_counters`, locked until commit), so two nodes storing into one conversation get
 * consecutive seqs, never the same one. A store is one call of the SQL function
 * rtm_store_message (migration 3) in autocommit, so the lock is held for the function's run on
 * the server, not for client round trips. Two nodes storing the same (app, sender, cmid) at once:
 * the second insert hits UNIQUE (app_id, sender, cmid) once the first commits, and the store
 * reruns, finding the original (a duplicate, as on one node).
 */
export function createPostgresMessageStore(pool: PgPool): MessageStore {
  const readRows = createMessageReader(REACTION_USERS_LISTED);

  // One statement in autocommit (migration 3's rtm_store_message): one round trip, and the
  // conversation's counter row is locked only while the server runs the function.
  async function storeOnce(input: NewMessage, now: number): Promise<StoreResult> {
    const replyTo = 'replyTo' in input.message ? input.message.replyTo : undefined;
    let result: StoreRow;
    try {
      [result] = (await preparedRows<StoreRow>(pool, 'rtm_store_message', STORE, {
        id: input.id,
        appId: input.appId,
        conv: input.conv,
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
        replyTo: replyTo ?? null,
        // An offline copy is only kept for a peer message (the function checks the receiver).
        offlineExpiresAt: input.offline?.expiresAt ?? null,
        offlineMax: input.offline?.maxPerReceiver ?? null,
        now,
      })) as [StoreRow];
    } catch (error) {
      switch ((error as { code?: string }).code) {
        case CMID_USED_ELSEWHERE:
          // Acking the other conversation's message would make this send silently vanish.
          throw new RtmError('INVALID_CLIENT_MESSAGE_ID', `Client message id "${input.cmid}" was already used for another conversation.`);
        case INVALID_REPLY:
          throw new RtmError('INVALID_REPLY', `"replyTo" must name a message of this conversation; "${replyTo}" is not one.`);
      }
      throw error;
    }
    if (result.dup_row) {
      // A resend (rare): read the original with its reactions and quote, as any read does.
      const existing = result.dup_row;
      return {
        message: (await readRows(pool, [existing], input.appId))[0]!,
        duplicate: true,
        ack: { peerReceived: existing.ack_peer_received === 1, storedOffline: existing.ack_stored_offline === 1 },
      };
    }
    const seq = result.new_seq!;
    const message: StoredMessage = { id: input.id, seq, ts: input.ts, from: input.from, cmid: input.cmid, message: input.message };
    if (input.to !== undefined) message.to = input.to;
    if (input.channel !== undefined) message.channel = input.channel;
    if (result.quote_id !== null) {
      const original = { id: result.quote_id, seq: result.quote_seq!, from: result.quote_sender!, message: JSON.parse(result.quote_body!) as StoredBody };
      message.quote = quoteOf(original);
    }
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
          return await storeOnce(input, now);
        } catch (error) {
          // Lost an idempotency race (see STORE), or a deadlock/serialization failure: the
          // statement rolled back as a whole, so running it again is safe.
          const raced = (error as { constraint?: string }).constraint === 'messages_sender_cmid' || isRetryable(error);
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
      const found = await rows<OfflineRow>(pool, OFFLINE_FOR, { appId, receiver, now });
      const messages = withReactionsAndQuotes(
        found,
        found.map((row) => toStored(row)),
        found.flatMap((row) => row.reactions_json ?? []),
        found.flatMap((row) => (row.original_json ? [row.original_json] : [])),
        REACTION_USERS_LISTED,
      );
      return { handles: found.map((row) => row.handle), messages };
    },
    async deleteOffline(handles) {
      if (handles.length > 0) await run(pool, 'DELETE FROM offline_messages WHERE pk = ANY(@handles::bigint[])', { handles });
    },
    async purgeExpiredOffline(now) {
      return run(pool, 'DELETE FROM offline_messages WHERE expires_at <= @now', { now });
    },
  };
}

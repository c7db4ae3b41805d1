import type { ConversationState, MemberReadState } from '../../../protocol/index.js';
import { channelConversation } from '../../messaging/conversations.js';
import type { ConversationStore, UserConversation } from '../types.js';
import { MY_CONVERSATIONS, UNREAD_COUNT } from '../rows/conversation-sql.js';
import { inTransaction, preparedRows, rows, run, type Queryable, type PgPool } from './database.js';
import { countersOf, toStored, type MessageRow } from './message-rows.js';

/**
 * Read state on PostgreSQL, the same statements as the SQLite store (see its comments for the
 * indexes each relies on). Markers only move up (GREATEST in the upserts), so two nodes writing
 * one marker at once cannot move it back.
 */

// jsonb `?`: the mentions array holds the uid. Only unread messages are parsed.
const MENTIONED = `EXISTS (
  SELECT 1 FROM messages u
  WHERE u.app_id = uc.app_id AND u.conv = uc.conv AND u.seq > uc.read_seq AND u.sender <> uc.uid
    AND (COALESCE(u.body::jsonb -> 'mentions', '[]'::jsonb) ? uc.uid
      OR (uc.kind = 'channel' AND (u.body::jsonb -> 'mentionAll') = 'true'::jsonb)))`;

const TOTAL_UNREAD = `
  SELECT COALESCE(SUM(${UNREAD_COUNT}), 0)::bigint AS total ${MY_CONVERSATIONS}
  WHERE uc.app_id = @appId AND uc.uid = @uid AND (uc.kind = 'peer' OR cm.uid IS NOT NULL)`;

const LIST = `
  SELECT uc.kind, uc.target, uc.read_seq, ${UNREAD_COUNT} AS unread, ${MENTIONED} AS mentioned,
    other.read_seq AS peer_read_seq, other.delivered_seq AS peer_delivered_seq,
    m.pk, m.id, m.conv, m.seq, m.ts, m.sender, m.receiver, m.channel, m.cmid, m.body, m.edited_at, m.retracted_at, m.no_read_receipt,
    (SELECT c.change_seq FROM message_changes c WHERE c.message_pk = m.pk AND c.deleted_for = '') AS change_seq
  ${MY_CONVERSATIONS}
  LEFT JOIN messages m ON m.app_id = uc.app_id AND m.conv = uc.conv
    AND m.seq = (SELECT MAX(seq) FROM messages x WHERE x.app_id = uc.app_id AND x.conv = uc.conv
      AND NOT EXISTS (SELECT 1 FROM message_changes d WHERE d.message_pk = x.pk AND d.deleted_for = uc.uid))
  LEFT JOIN user_conversations other
    ON uc.kind = 'peer' AND other.app_id = uc.app_id AND other.uid = uc.target AND other.conv = uc.conv
  WHERE uc.app_id = @appId AND uc.uid = @uid AND ((uc.kind = 'peer' AND m.pk IS NOT NULL) OR cm.uid IS NOT NULL)
    AND (uc.hidden_seq = 0 OR COALESCE(m.seq, 0) > uc.hidden_seq)
  ORDER BY COALESCE(m.ts, cm.joined_at) DESC, m.pk DESC NULLS LAST, uc.conv COLLATE "C"`;

interface ListRow extends Partial<MessageRow> {
  kind: 'peer' | 'channel';
  target: string;
  read_seq: number;
  unread: number;
  peer_read_seq: number | null;
  peer_delivered_seq: number | null;
  mentioned: boolean;
}

async function totalUnread(db: Queryable, appId: string, uid: string): Promise<number> {
  return (await rows<{ total: number }>(db, TOTAL_UNREAD, { appId, uid }))[0]!.total;
}

async function markersOf(db: Queryable, appId: string, uid: string, conv: string) {
  const [row] = await rows<{ read_seq: number; delivered_seq: number; cleared_seq: number }>(
    db,
    'SELECT read_seq, delivered_seq, cleared_seq FROM user_conversations WHERE app_id = @appId AND uid = @uid AND conv = @conv',
    { appId, uid, conv },
  );
  return row;
}

const RAISE_READ = `
  INSERT INTO user_conversations (app_id, uid, conv, kind, target, read_seq, delivered_seq)
  VALUES (@appId, @uid, @conv, @kind, @target, @seq, @delivered)
  ON CONFLICT (app_id, uid, conv) DO UPDATE SET
    read_seq = GREATEST(user_conversations.read_seq, excluded.read_seq),
    delivered_seq = GREATEST(user_conversations.delivered_seq, excluded.delivered_seq)`;

export function createPostgresConversationStore(pool: PgPool): ConversationStore {
  return {
    async join(appId, channel, uid, now) {
      return inTransaction(pool, async (db) => {
        const added = await run(
          db,
          'INSERT INTO channel_members (app_id, channel, uid, joined_at) VALUES (@appId, @channel, @uid, @now) ON CONFLICT DO NOTHING',
          { appId, channel, uid, now },
        );
        if (added === 0) return false;
        const conv = channelConversation(channel);
        const { lastSeq } = await countersOf(db, appId, conv);
        await run(db, RAISE_READ, { appId, uid, conv, kind: 'channel', target: channel, seq: lastSeq, delivered: 0 });
        return true;
      });
    },
    async leave(appId, channel, uid) {
      return (await run(pool, 'DELETE FROM channel_members WHERE app_id = @appId AND channel = @channel AND uid = @uid', { appId, channel, uid })) > 0;
    },
    async isMember(appId, channel, uid) {
      return (
        (await rows(pool, 'SELECT 1 FROM channel_members WHERE app_id = @appId AND channel = @channel AND uid = @uid', { appId, channel, uid }))
          .length > 0
      );
    },
    async channelReadStates(appId, channel) {
      return rows<MemberReadState>(
        pool,
        `SELECT cm.uid, COALESCE(uc.read_seq, 0) AS "readSeq"
         FROM channel_members cm
         LEFT JOIN user_conversations uc ON uc.app_id = cm.app_id AND uc.uid = cm.uid AND uc.conv = @conv
         WHERE cm.app_id = @appId AND cm.channel = @channel
         ORDER BY cm.uid COLLATE "C"`,
        { conv: channelConversation(channel), appId, channel },
      );
    },
    // One statement in autocommit: migration 4's rtm_mark_read runs the steps on the server.
    async markRead(appId, uid, conversation, seq) {
      const { conv, kind, target } = conversation;
      const [row] = (await preparedRows<{ out_read_seq: number; out_moved: boolean; out_unread: number; out_total_unread: number }>(
        pool,
        'rtm_mark_read',
        'SELECT * FROM rtm_mark_read(@appId, @uid, @conv, @kind, @target, @seq::bigint)',
        { appId, uid, conv, kind, target, seq },
      )) as [{ out_read_seq: number; out_moved: boolean; out_unread: number; out_total_unread: number }];
      return { readSeq: row.out_read_seq, moved: row.out_moved, unread: row.out_unread, totalUnread: row.out_total_unread };
    },
    async markDelivered(appId, uid, conversation: UserConversation, seq) {
      const { conv, kind, target } = conversation;
      if (seq <= 0) return undefined;
      // One statement: the WHERE on the conflict branch makes "only up" atomic.
      const raised = await rows<{ delivered_seq: number }>(
        pool,
        `INSERT INTO user_conversations (app_id, uid, conv, kind, target, delivered_seq)
         VALUES (@appId, @uid, @conv, @kind, @target, @seq)
         ON CONFLICT (app_id, uid, conv) DO UPDATE SET delivered_seq = excluded.delivered_seq
           WHERE user_conversations.delivered_seq < excluded.delivered_seq
         RETURNING delivered_seq`,
        { appId, uid, conv, kind, target, seq },
      );
      return raised.length > 0 ? seq : undefined;
    },
    async list(appId, uid) {
      return inTransaction(
        pool,
        async (db) => {
          const conversations = (await rows<ListRow>(db, LIST, { appId, uid })).map(toState);
          return { conversations, totalUnread: conversations.reduce((sum, c) => sum + c.unread, 0) };
        },
        'REPEATABLE READ READ ONLY',
      );
    },
    async deleteConversation(appId, uid, conversation, withHistory) {
      return inTransaction(pool, async (db) => {
        const { conv, kind, target } = conversation;
        const { lastSeq: seq } = await countersOf(db, appId, conv);
        await run(
          db,
          `INSERT INTO user_conversations (app_id, uid, conv, kind, target, read_seq, delivered_seq, hidden_seq, cleared_seq)
           VALUES (@appId, @uid, @conv, @kind, @target, @seq, @delivered, @seq, @cleared)
           ON CONFLICT (app_id, uid, conv) DO UPDATE SET
             read_seq = GREATEST(user_conversations.read_seq, excluded.read_seq),
             delivered_seq = GREATEST(user_conversations.delivered_seq, excluded.delivered_seq),
             hidden_seq = GREATEST(user_conversations.hidden_seq, excluded.hidden_seq),
             cleared_seq = GREATEST(user_conversations.cleared_seq, excluded.cleared_seq)`,
          { appId, uid, conv, kind, target, seq, delivered: kind === 'peer' ? seq : 0, cleared: withHistory ? seq : 0 },
        );
        const clearedSeq = (await markersOf(db, appId, uid, conv))?.cleared_seq ?? 0;
        return { clearedSeq, totalUnread: await totalUnread(db, appId, uid) };
      });
    },
  };
}

function toState(row: ListRow): ConversationState {
  const state: ConversationState = { kind: row.kind, id: row.target, lastSeq: row.seq ?? 0, readSeq: row.read_seq, unread: row.unread };
  if (row.pk != null) state.lastMessage = toStored(row as MessageRow);
  if (row.mentioned) state.mentioned = true;
  if (row.kind === 'peer') {
    state.peerReadSeq = row.peer_read_seq ?? 0;
    state.peerDeliveredSeq = row.peer_delivered_seq ?? 0;
  }
  return state;
}

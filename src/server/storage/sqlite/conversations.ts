import type { ConversationState, MemberReadState } from '../../../protocol/index.js';
import { channelConversation } from '../../messaging/conversations.js';
import type { ConversationStore, UserConversation } from '../types.js';
import { MY_CONVERSATIONS, UNREAD_COUNT } from '../rows/conversation-sql.js';
import type { SqliteDatabase } from './driver.js';
import { createGroupCommit, type GroupCommit } from './group-commit.js';
import { toStored, type MessageRow } from '../rows/messages.js';

/**
 * Read state in SQLite (tables from migration 3). Indexes each statement relies on:
 *
 * - `user_conversations` PRIMARY KEY (app_id, uid, conv): the caller's conversations (a prefix
 *   range), a marker of one user in one conversation, the peer's markers.
 * - `channel_members` PRIMARY KEY (app_id, channel, uid): membership checks, members of a channel.
 * - `messages` UNIQUE (app_id, conv, seq): the newest seq and message of a conversation (one seek).
 * - `messages_by_conv_seq_sender` (app_id, conv, seq, sender): unread counts (seq > read_seq and
 *   sender <> uid), answered from the index alone.
 *
 * The conversation list is one statement: per conversation row it does index seeks (newest
 * message, the peer's markers, membership) and one index range count (unread), so its cost grows
 * with the number of the caller's conversations and their unread messages, not with history.
 */

/** Whether an unread message of the conversation mentions the user (a scan of the unread ones only). */
const MENTIONED = `EXISTS (
  SELECT 1 FROM messages u
  WHERE u.app_id = uc.app_id AND u.conv = uc.conv AND u.seq > uc.read_seq AND u.sender <> uc.uid
    AND (EXISTS (SELECT 1 FROM json_each(u.body, '$.mentions') j WHERE j.value = uc.uid)
      OR (uc.kind = 'channel' AND json_extract(u.body, '$.mentionAll') = 1)))`;

interface ListRow extends Partial<MessageRow> {
  kind: 'peer' | 'channel';
  target: string;
  read_seq: number;
  unread: number;
  peer_read_seq: number | null;
  peer_delivered_seq: number | null;
  mentioned: number;
}

/** Read and delivery markers (sent as people read, so on the hot path) go through the group commit `writes`. */
export function createSqliteConversationStore(db: SqliteDatabase, writes: GroupCommit = createGroupCommit(db)): ConversationStore {
  const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM messages WHERE app_id = ? AND conv = ?').pluck();
  const addMember = db.prepare(`
    INSERT INTO channel_members (app_id, channel, uid, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const removeMember = db.prepare('DELETE FROM channel_members WHERE app_id = ? AND channel = ? AND uid = ?');
  const isMember = db.prepare('SELECT 1 FROM channel_members WHERE app_id = ? AND channel = ? AND uid = ?').pluck();
  const members = db.prepare(`
    SELECT cm.uid, COALESCE(uc.read_seq, 0) AS readSeq
    FROM channel_members cm
    LEFT JOIN user_conversations uc ON uc.app_id = cm.app_id AND uc.uid = cm.uid AND uc.conv = ?
    WHERE cm.app_id = ? AND cm.channel = ?
    ORDER BY cm.uid`);
  const markers = db.prepare(
    'SELECT read_seq AS readSeq, delivered_seq AS deliveredSeq FROM user_conversations WHERE app_id = ? AND uid = ? AND conv = ?',
  );
  // Markers only move up: MAX() in the upsert makes a stale or concurrent write harmless.
  const raiseRead = db.prepare(`
    INSERT INTO user_conversations (app_id, uid, conv, kind, target, read_seq, delivered_seq)
    VALUES (@appId, @uid, @conv, @kind, @target, @seq, @delivered)
    ON CONFLICT DO UPDATE SET
      read_seq = MAX(read_seq, excluded.read_seq),
      delivered_seq = MAX(delivered_seq, excluded.delivered_seq)`);
  const raiseDelivered = db.prepare(`
    INSERT INTO user_conversations (app_id, uid, conv, kind, target, delivered_seq)
    VALUES (@appId, @uid, @conv, @kind, @target, @seq)
    ON CONFLICT DO UPDATE SET delivered_seq = MAX(delivered_seq, excluded.delivered_seq)`);
  const unreadOne = db.prepare(`
    SELECT COUNT(*) FROM messages WHERE app_id = ? AND conv = ? AND seq > ? AND sender <> ?`).pluck();
  const totalUnread = db.prepare(`
    SELECT COALESCE(SUM(${UNREAD_COUNT}), 0) ${MY_CONVERSATIONS}
    WHERE uc.app_id = ? AND uc.uid = ? AND (uc.kind = 'peer' OR cm.uid IS NOT NULL)`).pluck();
  const list = db.prepare(`
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
    WHERE uc.app_id = ? AND uc.uid = ? AND ((uc.kind = 'peer' AND m.pk IS NOT NULL) OR cm.uid IS NOT NULL)
      AND (uc.hidden_seq = 0 OR COALESCE(m.seq, 0) > uc.hidden_seq)
    ORDER BY COALESCE(m.ts, cm.joined_at) DESC, m.pk DESC, uc.conv`);

  const joinTx = db.transaction((appId: string, channel: string, uid: string, now: number, conv: string) => {
    if (addMember.run(appId, channel, uid, now).changes === 0) return false;
    const seq = lastSeq.get(appId, conv) as number;
    raiseRead.run({ appId, uid, conv, kind: 'channel', target: channel, seq, delivered: 0 });
    return true;
  });

  const readTx = db.transaction((appId: string, uid: string, conversation: UserConversation, seq: number) => {
    const { conv, kind, target } = conversation;
    const before = markers.get(appId, uid, conv) as { readSeq: number } | undefined;
    const clamped = Math.min(seq, lastSeq.get(appId, conv) as number);
    const moved = clamped > (before?.readSeq ?? 0);
    if (moved) raiseRead.run({ appId, uid, conv, kind, target, seq: clamped, delivered: kind === 'peer' ? clamped : 0 });
    const readSeq = moved ? clamped : (before?.readSeq ?? 0);
    return {
      readSeq,
      moved,
      unread: unreadOne.get(appId, conv, readSeq, uid) as number,
      totalUnread: totalUnread.get(appId, uid) as number,
    };
  });

  const deliveredTx = db.transaction((appId: string, uid: string, conversation: UserConversation, seq: number) => {
    const { conv, kind, target } = conversation;
    const before = (markers.get(appId, uid, conv) as { deliveredSeq: number } | undefined)?.deliveredSeq ?? 0;
    if (seq <= before) return undefined;
    raiseDelivered.run({ appId, uid, conv, kind, target, seq });
    return seq;
  });

  // Deleting for one user: read up to the newest, hidden until a newer message, history cleared on request.
  const hide = db.prepare(`
    INSERT INTO user_conversations (app_id, uid, conv, kind, target, read_seq, delivered_seq, hidden_seq, cleared_seq)
    VALUES (@appId, @uid, @conv, @kind, @target, @seq, @delivered, @seq, @cleared)
    ON CONFLICT DO UPDATE SET
      read_seq = MAX(read_seq, excluded.read_seq),
      delivered_seq = MAX(delivered_seq, excluded.delivered_seq),
      hidden_seq = MAX(hidden_seq, excluded.hidden_seq),
      cleared_seq = MAX(cleared_seq, excluded.cleared_seq)`);
  const clearedOf = db.prepare('SELECT cleared_seq FROM user_conversations WHERE app_id = ? AND uid = ? AND conv = ?').pluck();
  const deleteTx = db.transaction((appId: string, uid: string, conversation: UserConversation, withHistory: boolean) => {
    const { conv, kind, target } = conversation;
    const seq = lastSeq.get(appId, conv) as number;
    hide.run({ appId, uid, conv, kind, target, seq, delivered: kind === 'peer' ? seq : 0, cleared: withHistory ? seq : 0 });
    return { clearedSeq: clearedOf.get(appId, uid, conv) as number, totalUnread: totalUnread.get(appId, uid) as number };
  });

  const listTx = db.transaction((appId: string, uid: string) => {
    const conversations = (list.all(appId, uid) as ListRow[]).map(toState);
    return { conversations, totalUnread: conversations.reduce((sum, c) => sum + c.unread, 0) };
  });

  return {
    async join(appId, channel, uid, now) {
      return joinTx.immediate(appId, channel, uid, now, channelConversation(channel));
    },
    async leave(appId, channel, uid) {
      return removeMember.run(appId, channel, uid).changes > 0;
    },
    async isMember(appId, channel, uid) {
      return isMember.get(appId, channel, uid) !== undefined;
    },
    async channelReadStates(appId, channel) {
      return members.all(channelConversation(channel), appId, channel) as MemberReadState[];
    },
    async markRead(appId, uid, conversation, seq) {
      return writes.run(() => readTx(appId, uid, conversation, seq));
    },
    async markDelivered(appId, uid, conversation, seq) {
      return writes.run(() => deliveredTx(appId, uid, conversation, seq));
    },
    async list(appId, uid) {
      return listTx.deferred(appId, uid);
    },
    async deleteConversation(appId, uid, conversation, withHistory) {
      return deleteTx.immediate(appId, uid, conversation, withHistory);
    },
  };
}

function toState(row: ListRow): ConversationState {
  const state: ConversationState = {
    kind: row.kind,
    id: row.target,
    lastSeq: row.seq ?? 0,
    readSeq: row.read_seq,
    unread: row.unread,
  };
  if (row.pk != null) state.lastMessage = toStored(row as MessageRow);
  if (row.mentioned) state.mentioned = true;
  if (row.kind === 'peer') {
    state.peerReadSeq = row.peer_read_seq ?? 0;
    state.peerDeliveredSeq = row.peer_delivered_seq ?? 0;
  }
  return state;
}

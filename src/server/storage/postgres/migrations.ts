import type { PgPool } from './database.js';

/**
 * Versioned PostgreSQL schema migrations, as in the SQLite adapter: each runs once, inside its
 * own transaction, and is recorded in `schema_migrations`. A session advisory lock makes nodes
 * that start together migrate one after the other. Never edit a migration that has shipped.
 *
 * Version 1 is the whole schema the SQLite adapter reached in its 8 migrations (there are no
 * older PostgreSQL databases to upgrade), plus what running on several nodes needs: a counter
 * row per conversation that hands out seq and change numbers. Versions 2–4 install the SQL
 * functions the hot-path writes call as one statement each (store, mark read, change), so those
 * writes cost one round trip and hold the counter row only inside the server.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Any constant shared by every node: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 0x72746d31; // 'rtm1'

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'the schema of SQLite version 8, conversation counters, search words',
    sql: `
      CREATE TABLE apps (
        id TEXT PRIMARY KEY,
        rest_key TEXT NOT NULL,
        rest_secret TEXT NOT NULL,
        token_secret TEXT NOT NULL,
        -- JSON array of origins ("https://example.com") or "*".
        allowed_origins TEXT NOT NULL DEFAULT '[]',
        created_at BIGINT NOT NULL
      );

      -- Per conversation: the newest seq and change number handed out. A store or a change
      -- increments its row with INSERT … ON CONFLICT DO UPDATE … RETURNING, which locks the row
      -- until commit: writers of one conversation queue there (on every node), writers of
      -- different conversations never wait for each other, and a rollback leaves no gap.
      CREATE TABLE conversation_counters (
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        conv TEXT NOT NULL,
        last_seq BIGINT NOT NULL DEFAULT 0,
        last_change_seq BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (app_id, conv)
      );

      -- One row per stored message. "conv": 'p:<uidA>/<uidB>' (sorted pair) or 'c:<channel>'.
      -- body is the JSON text as stored (TEXT, not JSONB, so it reads back byte for byte).
      -- search_words: the words search matches (see search.ts), GIN-indexed.
      CREATE TABLE messages (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        conv TEXT NOT NULL,
        seq BIGINT NOT NULL,
        sender TEXT NOT NULL,
        receiver TEXT,
        channel TEXT,
        cmid TEXT NOT NULL,
        body TEXT NOT NULL,
        ts BIGINT NOT NULL,
        ack_peer_received SMALLINT NOT NULL DEFAULT 0,
        ack_stored_offline SMALLINT NOT NULL DEFAULT 0,
        edited_at BIGINT,
        retracted_at BIGINT,
        no_read_receipt SMALLINT NOT NULL DEFAULT 0,
        search_words TEXT[] NOT NULL DEFAULT '{}',
        CONSTRAINT messages_conv_seq UNIQUE (app_id, conv, seq),
        CONSTRAINT messages_sender_cmid UNIQUE (app_id, sender, cmid),
        CHECK ((receiver IS NULL) <> (channel IS NULL))
      );
      -- Unread counts: seq > read_seq AND sender <> uid, an index-only range scan.
      CREATE INDEX messages_by_conv_seq_sender ON messages (app_id, conv, seq, sender);
      CREATE INDEX messages_search ON messages USING GIN (search_words);

      CREATE TABLE offline_messages (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        receiver TEXT NOT NULL,
        message_pk BIGINT NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX offline_by_receiver ON offline_messages (app_id, receiver, pk);
      CREATE INDEX offline_by_expiry ON offline_messages (expires_at);
      CREATE INDEX offline_by_message ON offline_messages (message_pk);

      CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at BIGINT NOT NULL
      );

      CREATE TABLE media (
        media_id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        uploader TEXT NOT NULL,
        size BIGINT NOT NULL CHECK (size > 0),
        content_type TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        sha256 TEXT NOT NULL,
        uploaded_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX media_by_expiry ON media (expires_at);

      CREATE TABLE channel_members (
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        uid TEXT NOT NULL,
        joined_at BIGINT NOT NULL,
        PRIMARY KEY (app_id, channel, uid)
      );

      -- See SQLite migrations 3 and 7 for the meaning of each marker.
      CREATE TABLE user_conversations (
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        uid TEXT NOT NULL,
        conv TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('peer', 'channel')),
        target TEXT NOT NULL,
        read_seq BIGINT NOT NULL DEFAULT 0 CHECK (read_seq >= 0),
        delivered_seq BIGINT NOT NULL DEFAULT 0 CHECK (delivered_seq >= 0),
        hidden_seq BIGINT NOT NULL DEFAULT 0,
        cleared_seq BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (app_id, uid, conv)
      );

      -- dedupe_key in the C collation so the prefix LIKE of redactMessage can use the index.
      CREATE TABLE webhook_events (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        dedupe_key TEXT COLLATE "C",
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at BIGINT NOT NULL,
        last_attempt_at BIGINT,
        last_status_code INTEGER,
        last_error TEXT,
        delivered_at BIGINT,
        UNIQUE (app_id, dedupe_key)
      );
      CREATE INDEX webhook_events_pending ON webhook_events (app_id, next_attempt_at, pk) WHERE status = 'pending';
      CREATE INDEX webhook_events_by_app ON webhook_events (app_id, status, pk);
      CREATE INDEX webhook_events_finished ON webhook_events (last_attempt_at) WHERE status <> 'pending';

      CREATE TABLE webhook_attempts (
        event_pk BIGINT NOT NULL REFERENCES webhook_events(pk) ON DELETE CASCADE,
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        started_at BIGINT NOT NULL,
        duration_ms BIGINT NOT NULL,
        status_code INTEGER,
        error TEXT,
        PRIMARY KEY (event_pk, attempt)
      );

      -- See SQLite migration 5.
      CREATE TABLE message_changes (
        message_pk BIGINT NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        deleted_for TEXT NOT NULL DEFAULT '',
        app_id TEXT NOT NULL,
        conv TEXT NOT NULL,
        change_seq BIGINT NOT NULL CHECK (change_seq >= 1),
        PRIMARY KEY (message_pk, deleted_for),
        UNIQUE (app_id, conv, change_seq)
      );

      CREATE TABLE message_edits (
        app_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        cmid TEXT NOT NULL,
        message_pk BIGINT NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        PRIMARY KEY (app_id, sender, cmid)
      );
      CREATE INDEX message_edits_by_message ON message_edits (message_pk);

      CREATE TABLE message_reactions (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_pk BIGINT NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        emoji TEXT NOT NULL,
        uid TEXT NOT NULL,
        UNIQUE (message_pk, emoji, uid)
      );
    `,
  },
  {
    version: 2,
    name: 'webhook dispatch leases',
    sql: `
      -- Which node dispatches an app's webhook outbox, until when (ms since the epoch, by the
      -- database's clock so nodes with skewed clocks agree). One row per app while a node has
      -- work for it; a node that dies leaves its row to expire, and another takes it over.
      CREATE TABLE webhook_leases (
        app_id TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'rtm_store_message: a message store in one statement',
    // Why a function: a store used to be ~8 client↔server round trips inside one transaction,
    // and it held its conversation's counter row lock for all of them, so one conversation's
    // messages were stored one per (8 × round trip). Called as one statement in autocommit, the
    // whole store is one round trip and the lock is held only while the server runs the body.
    // The steps and their order are those of the SQLite store (sqlite/messages.ts `storeOne`).
    sql: `
      CREATE FUNCTION rtm_store_message(
        p_id TEXT, p_app_id TEXT, p_conv TEXT, p_sender TEXT, p_receiver TEXT, p_channel TEXT,
        p_cmid TEXT, p_body TEXT, p_ts BIGINT, p_peer_received SMALLINT, p_stored_offline SMALLINT,
        p_no_read_receipt SMALLINT, p_words TEXT[], p_reply_to TEXT,
        p_offline_expires_at BIGINT, p_offline_max INTEGER, p_now BIGINT)
      -- Exactly one row: a duplicate gives dup_row (the original, as json); a new message gives
      -- new_seq and, for a reply, the original it quotes (quote_*, as it is now).
      RETURNS TABLE (dup_row JSON, new_seq BIGINT, quote_id TEXT, quote_seq BIGINT, quote_sender TEXT, quote_body TEXT)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_existing messages%ROWTYPE;
        v_original messages%ROWTYPE;
        v_seq BIGINT;
        v_pk BIGINT;
      BEGIN
        -- Idempotency by (app, sender, cmid). Errors carry SQLSTATEs of our own (class RT), which
        -- storage/postgres/messages.ts maps back to RtmErrors; nothing was written yet.
        SELECT * INTO v_existing FROM messages m WHERE m.app_id = p_app_id AND m.sender = p_sender AND m.cmid = p_cmid;
        IF FOUND THEN
          IF v_existing.conv <> p_conv THEN
            RAISE EXCEPTION 'client message id used for another conversation' USING ERRCODE = 'RTM01';
          END IF;
          RETURN QUERY SELECT row_to_json(v_existing), NULL::BIGINT, NULL::TEXT, NULL::BIGINT, NULL::TEXT, NULL::TEXT;
          RETURN;
        END IF;
        -- A reply names a message of the same conversation.
        IF p_reply_to IS NOT NULL THEN
          SELECT * INTO v_original FROM messages m WHERE m.app_id = p_app_id AND m.id = p_reply_to;
          IF NOT FOUND OR v_original.conv <> p_conv THEN
            RAISE EXCEPTION 'reply to a message of another conversation' USING ERRCODE = 'RTM02';
          END IF;
        END IF;
        -- Next seq: the counter row stays locked until this statement's commit, so writers of
        -- one conversation (on any node) take turns and a rollback leaves no gap.
        INSERT INTO conversation_counters AS cc (app_id, conv, last_seq) VALUES (p_app_id, p_conv, 1)
        ON CONFLICT (app_id, conv) DO UPDATE SET last_seq = cc.last_seq + 1
        RETURNING cc.last_seq INTO v_seq;
        -- Two nodes storing one (app, sender, cmid) at once: this raises unique_violation on
        -- messages_sender_cmid once the other commits; the caller reruns and finds the original.
        INSERT INTO messages (id, app_id, conv, seq, sender, receiver, channel, cmid, body, ts,
          ack_peer_received, ack_stored_offline, no_read_receipt, search_words)
        VALUES (p_id, p_app_id, p_conv, v_seq, p_sender, p_receiver, p_channel, p_cmid, p_body, p_ts,
          p_peer_received, p_stored_offline, p_no_read_receipt, p_words)
        RETURNING pk INTO v_pk;
        IF p_receiver IS NOT NULL THEN
          -- The conversation becomes one of the sender's and one of the receiver's.
          INSERT INTO user_conversations (app_id, uid, conv, kind, target) VALUES (p_app_id, p_sender, p_conv, 'peer', p_receiver)
          ON CONFLICT DO NOTHING;
          INSERT INTO user_conversations (app_id, uid, conv, kind, target) VALUES (p_app_id, p_receiver, p_conv, 'peer', p_sender)
          ON CONFLICT DO NOTHING;
          -- Sent to an open connection of the receiver's: delivered, in the same commit.
          IF p_peer_received = 1 AND p_receiver <> p_sender THEN
            UPDATE user_conversations uc SET delivered_seq = GREATEST(uc.delivered_seq, v_seq)
            WHERE uc.app_id = p_app_id AND uc.uid = p_receiver AND uc.conv = p_conv;
          END IF;
          IF p_offline_expires_at IS NOT NULL THEN
            INSERT INTO offline_messages (app_id, receiver, message_pk, expires_at) VALUES (p_app_id, p_receiver, v_pk, p_offline_expires_at);
            DELETE FROM offline_messages o WHERE o.app_id = p_app_id AND o.receiver = p_receiver AND o.expires_at <= p_now;
            -- Keeps the newest p_offline_max: deletes everything at or below the (max+1)-th newest row.
            DELETE FROM offline_messages o WHERE o.app_id = p_app_id AND o.receiver = p_receiver AND o.pk <= (
              SELECT x.pk FROM offline_messages x WHERE x.app_id = p_app_id AND x.receiver = p_receiver
              ORDER BY x.pk DESC LIMIT 1 OFFSET p_offline_max);
          END IF;
        END IF;
        RETURN QUERY SELECT NULL::JSON, v_seq, v_original.id, v_original.seq, v_original.sender, v_original.body;
      END
      $fn$;
    `,
  },
  {
    version: 4,
    name: 'rtm_mark_read: a read marker in one statement',
    // Why: markRead was 7 round trips in one transaction (markers, counter, raise, two counts).
    // As one statement in autocommit it is one. The same steps as conversations.ts used to run
    // from the client, each statement with a fresh READ COMMITTED snapshot as before.
    sql: `
      CREATE FUNCTION rtm_mark_read(p_app_id TEXT, p_uid TEXT, p_conv TEXT, p_kind TEXT, p_target TEXT, p_seq BIGINT)
      RETURNS TABLE (out_read_seq BIGINT, out_moved BOOLEAN, out_unread BIGINT, out_total_unread BIGINT)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_before BIGINT;
        v_clamped BIGINT;
      BEGIN
        SELECT uc.read_seq INTO v_before FROM user_conversations uc
        WHERE uc.app_id = p_app_id AND uc.uid = p_uid AND uc.conv = p_conv;
        -- Never beyond the conversation's newest message.
        SELECT LEAST(p_seq, COALESCE(MAX(cc.last_seq), 0)) INTO v_clamped FROM conversation_counters cc
        WHERE cc.app_id = p_app_id AND cc.conv = p_conv;
        out_moved := v_clamped > COALESCE(v_before, 0);
        IF out_moved THEN
          -- Only up (GREATEST), whatever another node wrote meanwhile; in a peer conversation
          -- what was read was delivered.
          INSERT INTO user_conversations AS uc (app_id, uid, conv, kind, target, read_seq, delivered_seq)
          VALUES (p_app_id, p_uid, p_conv, p_kind, p_target, v_clamped, CASE WHEN p_kind = 'peer' THEN v_clamped ELSE 0 END)
          ON CONFLICT (app_id, uid, conv) DO UPDATE SET
            read_seq = GREATEST(uc.read_seq, excluded.read_seq),
            delivered_seq = GREATEST(uc.delivered_seq, excluded.delivered_seq);
          out_read_seq := v_clamped;
        ELSE
          out_read_seq := COALESCE(v_before, 0);
        END IF;
        SELECT COUNT(*) INTO out_unread FROM messages m
        WHERE m.app_id = p_app_id AND m.conv = p_conv AND m.seq > out_read_seq AND m.sender <> p_uid;
        -- The unread total over the user's conversations (TOTAL_UNREAD in conversations.ts).
        SELECT COALESCE(SUM((
            SELECT COUNT(*) FROM messages u
            WHERE u.app_id = uc.app_id AND u.conv = uc.conv AND u.seq > uc.read_seq AND u.sender <> uc.uid)), 0)::BIGINT
          INTO out_total_unread
        FROM user_conversations uc
        LEFT JOIN channel_members cm
          ON uc.kind = 'channel' AND cm.app_id = uc.app_id AND cm.channel = uc.target AND cm.uid = uc.uid
        WHERE uc.app_id = p_app_id AND uc.uid = p_uid AND (uc.kind = 'peer' OR cm.uid IS NOT NULL);
        RETURN NEXT;
      END
      $fn$;
    `,
  },
  {
    version: 5,
    name: 'rtm_change_message: a message change in one statement',
    // Why: a change (retract, edit, reaction, delete for me) was about ten round trips in one
    // transaction holding the message row lock (and, for the last few, the conversation's
    // counter row, which stores into the conversation wait on). As one statement in autocommit
    // it is one round trip (an edit reads the body first: see message-changes.ts). The steps are
    // those of the SQLite adapter's change (sqlite/message-changes.ts).
    sql: `
      CREATE FUNCTION rtm_change_message(
        p_app_id TEXT, p_id TEXT, p_kind TEXT,
        -- whose "deleted for me" hides the message from this change (NULL: retract, the backend);
        -- for 'delete', the user deleting it for themself
        p_actor TEXT,
        p_emoji TEXT, p_add BOOLEAN,
        p_editor TEXT, p_cmid TEXT,
        -- an edit: the body it was computed from (read before the call), the new body and words
        p_edit_from_body TEXT, p_edit_body TEXT, p_edit_words TEXT[],
        p_retracted_body TEXT, p_max_reactions INTEGER, p_now BIGINT)
      -- out_row: the message after the change (row json with change_seq); out_reactions: its
      -- reactions [message_pk, emoji, uid] in order; out_original: [id, seq, sender, body] of what
      -- it replies to.
      RETURNS TABLE (out_changed BOOLEAN, out_change_seq BIGINT, out_row JSON, out_reactions JSON, out_original JSON)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v messages%ROWTYPE;
        v_current BIGINT;
        v_actor_deleted BIGINT;
        v_count INTEGER;
      BEGIN
        -- Locks the message: two nodes changing one message take turns, so the reaction cap holds.
        SELECT * INTO v FROM messages m WHERE m.id = p_id AND m.app_id = p_app_id FOR UPDATE;
        IF NOT FOUND THEN RAISE EXCEPTION 'no such message' USING ERRCODE = 'RTM03'; END IF;
        SELECT c.change_seq INTO v_current FROM message_changes c WHERE c.message_pk = v.pk AND c.deleted_for = '';
        IF p_actor IS NOT NULL THEN
          SELECT d.change_seq INTO v_actor_deleted FROM message_changes d WHERE d.message_pk = v.pk AND d.deleted_for = p_actor;
        END IF;
        IF p_kind <> 'delete' AND v_actor_deleted IS NOT NULL THEN
          RAISE EXCEPTION 'message deleted for the actor' USING ERRCODE = 'RTM03';
        END IF;
        out_changed := FALSE;
        CASE p_kind
          WHEN 'retract' THEN
            IF v.retracted_at IS NULL THEN
              UPDATE messages SET body = p_retracted_body, retracted_at = p_now, edited_at = NULL, search_words = '{}' WHERE pk = v.pk;
              DELETE FROM message_reactions r WHERE r.message_pk = v.pk;
              out_changed := TRUE;
            END IF;
          WHEN 'edit' THEN
            IF v.retracted_at IS NOT NULL THEN RAISE EXCEPTION 'retracted' USING ERRCODE = 'RTM04'; END IF;
            INSERT INTO message_edits (app_id, sender, cmid, message_pk) VALUES (p_app_id, p_editor, p_cmid, v.pk) ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            IF v_count > 0 THEN
              -- The new body keeps parts of the old one (replyTo, extras): computed by the caller
              -- from p_edit_from_body. Changed since it was read: roll back, the caller reruns.
              IF v.body <> p_edit_from_body THEN RAISE EXCEPTION 'edited meanwhile' USING ERRCODE = 'RTM06'; END IF;
              UPDATE messages SET body = p_edit_body, edited_at = p_now, search_words = p_edit_words WHERE pk = v.pk;
              out_changed := TRUE;
            END IF;
          WHEN 'reaction' THEN
            IF v.retracted_at IS NOT NULL THEN RAISE EXCEPTION 'retracted' USING ERRCODE = 'RTM04'; END IF;
            IF NOT p_add THEN
              DELETE FROM message_reactions r WHERE r.message_pk = v.pk AND r.emoji = p_emoji AND r.uid = p_actor;
            ELSE
              IF NOT EXISTS (SELECT 1 FROM message_reactions r WHERE r.message_pk = v.pk AND r.emoji = p_emoji)
                AND (SELECT COUNT(DISTINCT r.emoji) FROM message_reactions r WHERE r.message_pk = v.pk) >= p_max_reactions THEN
                RAISE EXCEPTION 'too many reactions' USING ERRCODE = 'RTM05';
              END IF;
              INSERT INTO message_reactions (message_pk, emoji, uid) VALUES (v.pk, p_emoji, p_actor) ON CONFLICT DO NOTHING;
            END IF;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            out_changed := v_count > 0;
          WHEN 'delete' THEN
            out_changed := v_actor_deleted IS NULL;
        END CASE;
        IF out_changed THEN
          -- The conversation's next change number: its counter row stays locked until commit,
          -- which comes right after this function returns.
          UPDATE conversation_counters cc SET last_change_seq = cc.last_change_seq + 1
          WHERE cc.app_id = p_app_id AND cc.conv = v.conv RETURNING cc.last_change_seq INTO out_change_seq;
          INSERT INTO message_changes AS mc (message_pk, deleted_for, app_id, conv, change_seq)
          VALUES (v.pk, CASE WHEN p_kind = 'delete' THEN p_actor ELSE '' END, p_app_id, v.conv, out_change_seq)
          ON CONFLICT (message_pk, deleted_for) DO UPDATE SET change_seq = excluded.change_seq;
        ELSE
          out_change_seq := COALESCE(CASE WHEN p_kind = 'delete' THEN v_actor_deleted ELSE v_current END, 0);
        END IF;
        -- The message as it is now (for 'delete', as it was: nothing of it changed).
        SELECT row_to_json(x) INTO out_row FROM (
          SELECT m.*, c.change_seq AS change_seq FROM messages m
          LEFT JOIN message_changes c ON c.message_pk = m.pk AND c.deleted_for = ''
          WHERE m.pk = v.pk) x;
        SELECT json_agg(json_build_array(r.message_pk, r.emoji, r.uid) ORDER BY r.pk) INTO out_reactions
        FROM message_reactions r WHERE r.message_pk = v.pk;
        SELECT json_build_array(o.id, o.seq, o.sender, o.body) INTO out_original FROM messages o
        WHERE o.app_id = p_app_id AND o.id = ((out_row ->> 'body')::json ->> 'replyTo');
        RETURN NEXT;
      END
      $fn$;
    `,
  },
  {
    version: 6,
    name: 'user and channel attributes',
    // The same table as the SQLite adapter's (sqlite/migrations.ts, version 10).
    sql: `
      CREATE TABLE attributes (
        app_id TEXT NOT NULL,
        owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'channel')),
        owner TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (app_id, owner_kind, owner, key)
      );
    `,
  },
];

/** Applies every migration newer than the database's version. Returns the versions applied. */
export async function migratePostgres(pool: PgPool, migrations: readonly PgMigration[] = PG_MIGRATIONS, now = Date.now()): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version),
    );
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          now,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

import type { SqliteDatabase } from './driver.js';

/**
 * Versioned schema migrations. Each runs once, inside its own transaction, and is recorded in
 * `schema_migrations`; a crash mid-migration leaves the previous version intact. Never edit a
 * migration that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'apps, messages, offline messages, health',
    sql: `
      CREATE TABLE apps (
        id TEXT PRIMARY KEY,
        rest_key TEXT NOT NULL,
        rest_secret TEXT NOT NULL,
        token_secret TEXT NOT NULL,
        -- JSON array of origins ("https://example.com") or "*".
        allowed_origins TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      ) STRICT;

      -- One row per stored message, peer or channel. "conv" is the conversation key:
      -- 'p:<uidA>/<uidB>' (sorted pair; '/' is outside the id charset) or 'c:<channel>'.
      CREATE TABLE messages (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        conv TEXT NOT NULL,
        seq INTEGER NOT NULL,
        sender TEXT NOT NULL,
        receiver TEXT,
        channel TEXT,
        cmid TEXT NOT NULL,
        body TEXT NOT NULL,
        ts INTEGER NOT NULL,
        -- The original ack, so a resend (same cmid) is answered exactly as the first send was.
        ack_peer_received INTEGER NOT NULL DEFAULT 0,
        ack_stored_offline INTEGER NOT NULL DEFAULT 0,
        UNIQUE (app_id, conv, seq),
        UNIQUE (app_id, sender, cmid),
        CHECK ((receiver IS NULL) <> (channel IS NULL))
      ) STRICT;

      -- Peer messages kept for a receiver who was offline; delivered (then deleted) at login.
      CREATE TABLE offline_messages (
        pk INTEGER PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        receiver TEXT NOT NULL,
        message_pk INTEGER NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX offline_by_receiver ON offline_messages (app_id, receiver, pk);
      CREATE INDEX offline_by_expiry ON offline_messages (expires_at);
      CREATE INDEX offline_by_message ON offline_messages (message_pk);

      -- /healthz upserts its single row to prove the database accepts writes.
      CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'media objects',
    sql: `
      -- One row per uploaded image or file; the bytes are in <dataDir>/media/<media_id>. A row is
      -- written only after its file is committed, and the sweeper deletes the file before the row.
      CREATE TABLE media (
        media_id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        uploader TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        content_type TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        -- SHA-256 of the bytes, base64url: the strong ETag.
        sha256 TEXT NOT NULL,
        uploaded_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX media_by_expiry ON media (expires_at);
    `,
  },
  {
    version: 3,
    name: 'channel members, read and delivery markers',
    sql: `
      -- Persistent channel membership: channel.join adds a row, an explicit channel.leave removes
      -- it; a closed connection does not (who is joined right now is in memory, per connection).
      -- The primary key serves "members of a channel" and "is uid a member".
      CREATE TABLE channel_members (
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        uid TEXT NOT NULL,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (app_id, channel, uid)
      ) STRICT, WITHOUT ROWID;

      -- One row per user and conversation they take part in: every peer conversation they sent or
      -- received a message in (written by the same transaction that stores the message, whatever
      -- path stored it), and every channel they ever joined (kept after leaving, so a rejoin keeps
      -- the marker). "target" is the other user's id or the channel name. read_seq: every message
      -- up to it counts as read; delivered_seq: every message up to it reached a device of uid.
      -- Both only ever move up. The primary key serves "the conversations of uid" (the
      -- conversations list) and the peer's markers (receipts).
      CREATE TABLE user_conversations (
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        uid TEXT NOT NULL,
        conv TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('peer', 'channel')),
        target TEXT NOT NULL,
        read_seq INTEGER NOT NULL DEFAULT 0 CHECK (read_seq >= 0),
        delivered_seq INTEGER NOT NULL DEFAULT 0 CHECK (delivered_seq >= 0),
        PRIMARY KEY (app_id, uid, conv)
      ) STRICT, WITHOUT ROWID;

      -- Unread counts: COUNT(*) of seq > read_seq AND sender <> uid in one conversation is a range
      -- scan of this index alone (it covers sender), never a table lookup per message.
      CREATE INDEX messages_by_conv_seq_sender ON messages (app_id, conv, seq, sender);

      -- Peer conversations that existed before this version start as read (no wall of old
      -- "unread" after an upgrade), except offline messages still waiting for their receiver.
      WITH pairs AS (
        SELECT app_id, conv, sender AS uid, receiver AS target FROM messages WHERE receiver IS NOT NULL
        UNION
        SELECT app_id, conv, receiver, sender FROM messages WHERE receiver IS NOT NULL
      ),
      marks AS (
        SELECT p.*, COALESCE(
          (SELECT MIN(m.seq) - 1 FROM offline_messages o JOIN messages m ON m.pk = o.message_pk
            WHERE o.app_id = p.app_id AND o.receiver = p.uid AND m.conv = p.conv),
          (SELECT MAX(seq) FROM messages x WHERE x.app_id = p.app_id AND x.conv = p.conv)
        ) AS seen FROM pairs p
      )
      INSERT INTO user_conversations (app_id, uid, conv, kind, target, read_seq, delivered_seq)
      SELECT app_id, uid, conv, 'peer', target, seen, seen FROM marks;
    `,
  },
  {
    version: 4,
    name: 'webhook outbox and delivery log',
    sql: `
      -- The webhook outbox: one row per event of an app with a webhook, written right after the
      -- write that caused it, delivered by the background dispatcher. "payload" is the exact JSON
      -- body POSTed (signed per attempt). "dedupe_key" makes recording idempotent where an event can
      -- be recorded twice (a resent message: 'message.sent:<message id>'); NULLs never collide.
      -- status: 'pending' (waiting for next_attempt_at), 'delivered' (a 2xx), 'failed' (a permanent
      -- 4xx or out of attempts). Finished rows are deleted after WEBHOOK_LOG_RETENTION_MS.
      CREATE TABLE webhook_events (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        dedupe_key TEXT,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        last_status_code INTEGER,
        last_error TEXT,
        delivered_at INTEGER,
        UNIQUE (app_id, dedupe_key)
      ) STRICT;
      -- The dispatcher's question: an app's pending events, soonest first.
      CREATE INDEX webhook_events_pending ON webhook_events (app_id, next_attempt_at, pk) WHERE status = 'pending';
      -- The delivery log, newest first, per app (and per status).
      CREATE INDEX webhook_events_by_app ON webhook_events (app_id, status, pk);
      -- Retention: finished events by their last attempt.
      CREATE INDEX webhook_events_finished ON webhook_events (last_attempt_at) WHERE status <> 'pending';

      -- One row per delivery attempt: when, how long, the status code or the error.
      CREATE TABLE webhook_attempts (
        event_pk INTEGER NOT NULL REFERENCES webhook_events(pk) ON DELETE CASCADE,
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        status_code INTEGER,
        error TEXT,
        PRIMARY KEY (event_pk, attempt)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'message changes: retract, edit, reactions, delete for me',
    sql: `
      -- edited_at: the sender's latest edit. retracted_at: the body was replaced by
      -- {"type":"RETRACTED"} (the content is gone, not hidden).
      ALTER TABLE messages ADD COLUMN edited_at INTEGER;
      ALTER TABLE messages ADD COLUMN retracted_at INTEGER;

      -- The latest change of each message, numbered per conversation (change_seq, from 1): a
      -- client that was away asks for change_seq > N and gets each changed message once. A change
      -- everyone sees has deleted_for = ''; a "delete for me" has the user's id there, and that
      -- row also hides the message from that user's history. The primary key serves "is this
      -- message deleted for uid" and the upsert; the unique key serves "changes after N".
      CREATE TABLE message_changes (
        message_pk INTEGER NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        deleted_for TEXT NOT NULL DEFAULT '',
        app_id TEXT NOT NULL,
        conv TEXT NOT NULL,
        change_seq INTEGER NOT NULL CHECK (change_seq >= 1),
        PRIMARY KEY (message_pk, deleted_for),
        UNIQUE (app_id, conv, change_seq)
      ) STRICT, WITHOUT ROWID;

      -- Edits already applied, by the editor's client id: a resent edit changes nothing (and cannot
      -- undo a later one).
      CREATE TABLE message_edits (
        app_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        cmid TEXT NOT NULL,
        message_pk INTEGER NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        PRIMARY KEY (app_id, sender, cmid)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX message_edits_by_message ON message_edits (message_pk);

      -- One row per (message, emoji, user); pk gives the order reactions were added in.
      CREATE TABLE message_reactions (
        pk INTEGER PRIMARY KEY,
        message_pk INTEGER NOT NULL REFERENCES messages(pk) ON DELETE CASCADE,
        emoji TEXT NOT NULL,
        uid TEXT NOT NULL,
        UNIQUE (message_pk, emoji, uid)
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'message search',
    sql: `
      -- The words of each message's searchable text (segmented by the server, so Chinese splits
      -- into words), rowid = messages.pk. Contentless: the text itself stays in messages.body;
      -- a retraction or an edit deletes the row (contentless_delete), an edit writes it again.
      CREATE VIRTUAL TABLE message_search USING fts5(
        words, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
      );
      -- How far messages stored before this version have been indexed (by pk); see search.ts.
      -- Messages stored before this version are indexed when the store opens, from done_pk up to
      -- until_pk (later ones are indexed as they are stored).
      CREATE TABLE search_backfill (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        done_pk INTEGER NOT NULL,
        until_pk INTEGER NOT NULL
      ) STRICT;
      INSERT INTO search_backfill (id, done_pk, until_pk) SELECT 1, 0, COALESCE(MAX(pk), 0) FROM messages;
    `,
  },
  {
    version: 7,
    name: 'deleting a conversation for one user',
    sql: `
      -- A user deleted the conversation: it leaves their list until a message newer than
      -- hidden_seq arrives; with its history, every message up to cleared_seq is gone for them
      -- (history, sync, changes, search).
      ALTER TABLE user_conversations ADD COLUMN hidden_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE user_conversations ADD COLUMN cleared_seq INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 8,
    name: 'messages sent without read receipts',
    sql: `
      -- 1: sent with needReadReceipt false; its sender's clients show no delivered or read state
      -- for it. A column rather than a field of the body: it is how the message was sent, not
      -- its content, so an edit or a retraction (which replace the body) keeps it.
      ALTER TABLE messages ADD COLUMN no_read_receipt INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 9,
    name: 'webhook dispatch leases',
    sql: `
      -- Which node dispatches an app's webhook outbox, until when (ms since the epoch). One row
      -- per app while a node has work for it; deleted when it runs out. With SQLite there is one
      -- node, but the table keeps the store's contract the same as PostgreSQL's (see webhooks.ts).
      CREATE TABLE webhook_leases (
        app_id TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 10,
    name: 'user and channel attributes',
    sql: `
      -- Agora RTM's user attributes (owner_kind 'user': what a user keeps on itself, such as a
      -- display name) and channel attributes ('channel'), one row per key. Kept until deleted:
      -- unlike Agora's, a user's outlive the session, so others see a name while the user is away.
      CREATE TABLE attributes (
        app_id TEXT NOT NULL,
        owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'channel')),
        owner TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (app_id, owner_kind, owner, key)
      ) STRICT, WITHOUT ROWID;
    `,
  },
];

/** Applies every migration newer than the database's version. Returns the versions applied. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS, now = Date.now()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now);
    }).immediate();
    done.push(migration.version);
  }
  return done;
}

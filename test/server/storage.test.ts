import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../src/server/config.js';
import { createToken, startServer } from '../../src/server/index.js';
import { DATABASE_FILE, openDatabase } from '../../src/server/storage/sqlite/database.js';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import { openSqliteFile } from '../../src/server/storage/sqlite/driver.js';
import { migrate, MIGRATIONS } from '../../src/server/storage/sqlite/migrations.js';
import { TestClient } from './helpers.js';

describe('the SQLite database', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-db-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is opened with WAL, synchronous=FULL and foreign keys, and migrated once', () => {
    const first = openDatabase(join(dir, 'data'));
    assert.equal(first.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.pragma('synchronous', { simple: true }), 2); // FULL
    assert.equal(first.pragma('foreign_keys', { simple: true }), 1);
    first.close();
    const second = openDatabase(join(dir, 'data'));
    const rows = second.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    assert.deepEqual(rows.map((row) => row.version), MIGRATIONS.map((migration) => migration.version));
    second.close();
  });

  it('refuses two messages with the same seq in one conversation', () => {
    const db = openDatabase(join(dir, 'data'));
    db.prepare("INSERT INTO apps (id, rest_key, rest_secret, token_secret, created_at) VALUES ('a', 'k', 's', 't', 0)").run();
    const insert = db.prepare(
      "INSERT INTO messages (id, app_id, conv, seq, sender, receiver, cmid, body, ts) VALUES (?, 'a', 'p:x/y', 1, 'x', 'y', ?, '{}', 0)",
    );
    insert.run('m1', 'c1');
    assert.throws(() => insert.run('m2', 'c2'), /UNIQUE/);
    db.close();
  });

  it('migration 3 starts existing peer conversations as read, except offline messages still waiting', () => {
    const db = openSqliteFile(join(dir, 'v2.sqlite'));
    migrate(db, MIGRATIONS.filter((migration) => migration.version < 3));
    db.prepare("INSERT INTO apps (id, rest_key, rest_secret, token_secret, created_at) VALUES ('a', 'k', 's', 't', 0)").run();
    const insert = db.prepare(
      "INSERT INTO messages (id, app_id, conv, seq, sender, receiver, cmid, body, ts) VALUES (?, 'a', ?, ?, ?, ?, ?, '{}', 0)",
    );
    insert.run('m1', 'p:x/y', 1, 'x', 'y', 'c1');
    insert.run('m2', 'p:x/y', 2, 'y', 'x', 'c2');
    const waiting = [insert.run('m3', 'p:x/y', 3, 'x', 'y', 'c3'), insert.run('m4', 'p:x/y', 4, 'x', 'y', 'c4')];
    insert.run('m5', 'p:x/x', 1, 'x', 'x', 'c5');
    insert.run('m6', 'p:y/z', 1, 'z', 'y', 'c6');
    for (const row of waiting) {
      db.prepare("INSERT INTO offline_messages (app_id, receiver, message_pk, expires_at) VALUES ('a', 'y', ?, 0)").run(row.lastInsertRowid);
    }
    assert.deepEqual(migrate(db, MIGRATIONS.filter((migration) => migration.version <= 3)), [3]);
    const rows = db
      .prepare('SELECT uid, conv, kind, target, read_seq AS r, delivered_seq AS d FROM user_conversations ORDER BY uid, conv')
      .all();
    assert.deepEqual(rows, [
      { uid: 'x', conv: 'p:x/x', kind: 'peer', target: 'x', r: 1, d: 1 },
      { uid: 'x', conv: 'p:x/y', kind: 'peer', target: 'y', r: 4, d: 4 },
      { uid: 'y', conv: 'p:x/y', kind: 'peer', target: 'x', r: 2, d: 2 },
      { uid: 'y', conv: 'p:y/z', kind: 'peer', target: 'z', r: 1, d: 1 },
      { uid: 'z', conv: 'p:y/z', kind: 'peer', target: 'y', r: 1, d: 1 },
    ]);
    db.close();
  });

  it('migrations 5 and 6 keep the messages of a version-4 database as they were: readable, unchanged, no change sequence, searchable', async () => {
    const dataDir = join(dir, 'v4');
    mkdirSync(dataDir);
    const db = openSqliteFile(join(dataDir, DATABASE_FILE));
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 4));
    db.prepare("INSERT INTO apps (id, rest_key, rest_secret, token_secret, created_at) VALUES ('a', 'k', 's', 't', 0)").run();
    const insert = db.prepare(`
      INSERT INTO messages (id, app_id, conv, seq, sender, receiver, channel, cmid, body, ts, ack_peer_received, ack_stored_offline)
      VALUES (@id, 'a', @conv, @seq, @from, @to, @channel, @cmid, @body, @ts, 0, @offline)`);
    const image = { type: 'IMAGE', mediaId: 'AAAAAAAAAAAAAAAAAAAAAA', size: 5, fileName: 'a.png', mimeType: 'image/png', width: 2, height: 1 };
    const rows = [
      { id: 'm1', conv: 'p:x/y', seq: 1, from: 'x', to: 'y', channel: null, cmid: 'c1', body: JSON.stringify({ type: 'TEXT', text: 'hi y' }), ts: 100, offline: 0 },
      { id: 'm2', conv: 'p:x/y', seq: 2, from: 'y', to: 'x', channel: null, cmid: 'c2', body: JSON.stringify(image), ts: 200, offline: 0 },
      { id: 'm3', conv: 'p:x/y', seq: 3, from: 'x', to: 'y', channel: null, cmid: 'c3', body: JSON.stringify({ type: 'TEXT', text: 'while you were away' }), ts: 300, offline: 1 },
      { id: 'm4', conv: 'c:room', seq: 1, from: 'x', to: null, channel: 'room', cmid: 'c4', body: JSON.stringify({ type: 'TEXT', text: 'hello room' }), ts: 400, offline: 0 },
    ];
    for (const row of rows) insert.run(row);
    db.prepare("INSERT INTO offline_messages (app_id, receiver, message_pk, expires_at) SELECT 'a', 'y', pk, 10000 FROM messages WHERE id = 'm3'").run();
    db.close();

    // Opening the data dir migrates it to the newest version.
    const storage = createSqliteStorage(dataDir, 500);
    try {
      const expected = rows.map(({ id, seq, ts, from, to, channel, cmid, body }) => ({
        id,
        seq,
        ts,
        from,
        ...(to !== null && { to }),
        ...(channel !== null && { channel }),
        cmid,
        message: JSON.parse(body) as unknown,
      }));
      const peer = await storage.messages.history('a', 'p:x/y', 'x', 10);
      assert.deepEqual(peer, { messages: [expected[2], expected[1], expected[0]], hasMore: false, changeSeq: 0 });
      assert.deepEqual((await storage.messages.sync('a', 'p:x/y', 'y', 0, 10, 100)).messages, expected.slice(0, 3));
      assert.deepEqual((await storage.messages.history('a', 'c:room', 'z', 10)).messages, [expected[3]]);
      assert.deepEqual(await storage.messages.changes('a', 'p:x/y', 'x', 0, 10), { changes: [], hasMore: false, changeSeq: 0 });
      assert.deepEqual((await storage.messages.find('a', 'm2'))?.message, expected[1]);
      assert.deepEqual((await storage.messages.offlineFor('a', 'y', 500)).messages, [expected[2]]);

      // Migration 6 indexes what was stored before search existed, when the store opens.
      const away = await storage.messages.search('a', 'x', { query: 'away', conv: 'p:x/y', limit: 10 });
      assert.deepEqual(away.hits.map((hit) => [hit.message.id, hit.text]), [['m3', 'while you were away']]);
      assert.deepEqual((await storage.messages.search('a', 'x', { query: 'a.png', conv: 'p:x/y', limit: 10 })).hits.map((h) => h.message.id), ['m2']);

      // The migrated messages take changes like new ones: the first is change 1 of its conversation.
      const edit = await storage.messages.change('a', 'm1', { kind: 'edit', editor: 'x', cmid: 'e1', message: { type: 'TEXT', text: 'hi, y' } }, 600);
      assert.deepEqual([edit.changed, edit.changeSeq, edit.message.editedAt], [true, 1, 600]);
    } finally {
      await storage.close();
    }
  });

  it('counts unread messages from the covering index alone', () => {
    const db = openDatabase(join(dir, 'data'));
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM messages WHERE app_id = ? AND conv = ? AND seq > ? AND sender <> ?')
      .all('a', 'p:x/y', 0, 'x') as { detail: string }[];
    assert.match(plan.map((row) => row.detail).join('\n'), /COVERING INDEX messages_by_conv_seq_sender/);
    db.close();
  });
});

describe('the config file', () => {
  const good = { id: 'shop', restKey: 'k', restSecret: 's', tokenSecret: 'x'.repeat(32), allowedOrigins: ['https://Shop.example.com/'] };

  it('normalizes origins and accepts "*"', () => {
    assert.deepEqual(parseConfig({ apps: [good, { ...good, id: 'any', allowedOrigins: ['*'] }] }).apps.map((app) => app.allowedOrigins), [
      ['https://shop.example.com'],
      ['*'],
    ]);
  });

  it('refuses bad apps with a message naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [[], /JSON object/],
      [{ apps: {} }, /"apps" must be an array/],
      [{ apps: [{ ...good, id: 'a b' }] }, /apps\[0\]\.id/],
      [{ apps: [good, good] }, /appears twice/],
      [{ apps: [{ ...good, tokenSecret: 'short' }] }, /tokenSecret must be at least 32/],
      [{ apps: [{ ...good, restKey: '' }] }, /restKey/],
      [{ apps: [{ ...good, allowedOrigins: ['https://x.com/path'] }] }, /allowedOrigins\[0\]/],
      [{ apps: [{ ...good, allowedOrigins: ['ftp://x.com'] }] }, /allowedOrigins\[0\]/],
      [{ apps: [{ ...good, allowedOrigins: 'https://x.com' }] }, /allowedOrigins must be an array/],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => parseConfig(value), (error: unknown) => error instanceof ConfigError && message.test(error.message), JSON.stringify(value));
    }
  });

  it('a broken file stops startServer before the data directory is created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-cfg-'));
    try {
      const configFile = join(dir, 'config.json');
      await writeFile(configFile, '{"apps": [');
      await assert.rejects(startServer({ port: 0, dataDir: join(dir, 'data'), configFile }), ConfigError);
      assert.equal(existsSync(join(dir, 'data')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('apps from the file log in, and the file wins over the database on restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-cfg-'));
    const configFile = join(dir, 'config.json');
    try {
      await writeFile(configFile, JSON.stringify({ apps: [good] }));
      let server = await startServer({ port: 0, dataDir: join(dir, 'data'), configFile });
      const login = async (secret: string) => {
        const client = await TestClient.open(`${server.url.replace('http', 'ws')}/ws`);
        const token = await createToken({ appId: 'shop', uid: 'alice', secret });
        return client.request({ t: 'login', appId: 'shop', uid: 'alice', token });
      };
      assert.equal((await login(good.tokenSecret)).ok, true);
      await server.close();
      const rotated = 'y'.repeat(40);
      await writeFile(configFile, JSON.stringify({ apps: [{ ...good, tokenSecret: rotated }] }));
      server = await startServer({ port: 0, dataDir: join(dir, 'data'), configFile });
      assert.deepEqual(server.createdApps, [], 'demo already exists');
      assert.equal((await login(good.tokenSecret)).ok, false);
      assert.equal((await login(rotated)).ok, true);
      await server.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_GROUP_COMMIT_MESSAGES, RtmError } from '../../src/protocol/index.js';
import { channelConversation, peerConversation } from '../../src/server/messaging/conversations.js';
import { newMessageId } from '../../src/server/messaging/message-ids.js';
import { openDatabase } from '../../src/server/storage/sqlite/database.js';
import { openSqliteFile, type SqliteDatabase } from '../../src/server/storage/sqlite/driver.js';
import { createGroupCommit, type GroupCommit } from '../../src/server/storage/sqlite/group-commit.js';
import { createSqliteMessageStore } from '../../src/server/storage/sqlite/messages.js';
import type { MessageStore, NewMessage } from '../../src/server/storage/types.js';
import { text } from './helpers.js';

const APP = 'gc';
const ROOM = 'room';

function channelMessage(from: string, cmid: string, extra: Partial<NewMessage> = {}): NewMessage {
  return {
    appId: APP,
    conv: channelConversation(ROOM),
    id: newMessageId(),
    ts: 1,
    from,
    channel: ROOM,
    cmid,
    message: text(cmid),
    ack: { peerReceived: false, storedOffline: false },
    ...extra,
  };
}

function peerMessage(from: string, to: string, cmid: string): NewMessage {
  return {
    appId: APP,
    conv: peerConversation(from, to),
    id: newMessageId(),
    ts: 1,
    from,
    to,
    cmid,
    message: text(cmid),
    ack: { peerReceived: false, storedOffline: false },
  };
}

/** What a store() settled to, without letting a rejection escape. */
async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('group commit on SQLite', () => {
  let dir: string;
  let n = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-gc-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** A fresh database file with one app, a message store and the commits it made (requests per COMMIT). */
  function open(maxBatch?: number): { db: SqliteDatabase; store: MessageStore; writes: GroupCommit; commits: number[] } {
    const db = openDatabase(join(dir, `db${n++}`));
    db.prepare(`INSERT INTO apps (id, rest_key, rest_secret, token_secret, created_at) VALUES (?, 'k', 's', 't', 0)`).run(APP);
    const commits: number[] = [];
    const writes = createGroupCommit(db, { ...(maxBatch !== undefined && { maxBatch }), onCommit: (size) => commits.push(size) });
    return { db, store: createSqliteMessageStore(db, writes), writes, commits };
  }

  it('commits stores issued in the same turn of the event loop in one transaction', async () => {
    const { db, store, writes, commits } = open();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.store(channelMessage(`u${i % 5}`, `c${i}`), 1)));
    assert.deepEqual(commits, [100], 'one COMMIT for the 100 stores');
    assert.deepEqual(writes.stats, { commits: 1, requests: 100 });
    assert.equal(results.every((r) => !r.duplicate), true);
    assert.equal((db.prepare('SELECT COUNT(*) FROM messages').pluck().get() as number), 100);
    // The next turn's stores make the next batch.
    await Promise.all([store.store(channelMessage('u0', 'later1'), 1), store.store(channelMessage('u0', 'later2'), 1)]);
    assert.deepEqual(commits, [100, 2]);
    db.close();
  });

  it(`caps a batch (MAX_GROUP_COMMIT_MESSAGES = ${MAX_GROUP_COMMIT_MESSAGES}) and keeps the rest in order for the next ones`, async () => {
    const { db, store, commits } = open(4);
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => store.store(channelMessage('u', `c${i}`), 1)));
    assert.deepEqual(commits, [4, 4, 1]);
    assert.deepEqual(results.map((r) => r.message.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    db.close();
    assert.ok(MAX_GROUP_COMMIT_MESSAGES > 1 && Number.isInteger(MAX_GROUP_COMMIT_MESSAGES));
  });

  it('fails a bad request alone with its code; the rest of its batch is stored and readable', async () => {
    const { db, store, commits } = open();
    await store.store(channelMessage('alice', 'used'), 1); // cmid "used" now belongs to the channel
    const outcomes = await Promise.all([
      settle(store.store(channelMessage('bob', 'b1'), 1)),
      // Same sender + cmid in another conversation: INVALID_CLIENT_MESSAGE_ID.
      settle(store.store(peerMessage('alice', 'bob', 'used'), 1)),
      // A reply to a message that does not exist: INVALID_REPLY, after this request wrote nothing yet.
      settle(store.store(channelMessage('bob', 'b2', { message: { ...text('re'), replyTo: 'nope' } }), 1)),
      settle(store.store(channelMessage('bob', 'b3'), 1)),
    ]);
    assert.deepEqual(commits, [1, 4], 'the failing requests were in the same batch as the others');
    assert.equal(outcomes[0]!.ok, true);
    assert.equal(outcomes[3]!.ok, true);
    const codes = [outcomes[1]!, outcomes[2]!].map((o) => (!o.ok && o.error instanceof RtmError ? o.error.reason : o));
    assert.deepEqual(codes, ['INVALID_CLIENT_MESSAGE_ID', 'INVALID_REPLY']);
    const page = await store.history(APP, channelConversation(ROOM), 'bob', 50);
    assert.deepEqual(page.messages.map((m) => [m.cmid, m.seq]), [['b3', 3], ['b1', 2], ['used', 1]]);
    assert.equal((db.prepare('SELECT COUNT(*) FROM messages').pluck().get() as number), 3);
    assert.equal((await store.history(APP, peerConversation('alice', 'bob'), 'bob', 50)).messages.length, 0);
    db.close();
  });

  it('stores one row for the same sender + cmid twice in one batch; the second is a duplicate with the first result', async () => {
    const { db, store, commits } = open();
    const [first, second, other] = await Promise.all([
      store.store(channelMessage('carol', 'same'), 1),
      store.store(channelMessage('carol', 'same'), 1),
      store.store(channelMessage('dave', 'same'), 1), // another sender may use the same cmid
    ]);
    assert.deepEqual(commits, [3]);
    assert.equal(first.duplicate, false);
    assert.equal(second.duplicate, true);
    assert.equal(second.message.id, first.message.id);
    assert.equal(second.message.seq, first.message.seq);
    assert.equal(other.duplicate, false);
    assert.equal((db.prepare("SELECT COUNT(*) FROM messages WHERE cmid = 'same'").pluck().get() as number), 2);
    db.close();
  });

  it('numbers each conversation gaplessly in issue order inside a batch', async () => {
    const { db, store, commits } = open();
    const sends = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? peerMessage('erin', 'frank', `p${i}`) : channelMessage(`m${i % 4}`, `ch${i}`),
    );
    const results = await Promise.all(sends.map((send) => store.store(send, 1)));
    assert.deepEqual(commits, [30]);
    const seqs = (conv: string) => results.filter((_, i) => sends[i]!.conv === conv).map((r) => r.message.seq);
    assert.deepEqual(seqs(peerConversation('erin', 'frank')), Array.from({ length: 10 }, (_, i) => i + 1));
    assert.deepEqual(seqs(channelConversation(ROOM)), Array.from({ length: 20 }, (_, i) => i + 1));
    const page = await store.history(APP, channelConversation(ROOM), 'm0', 50);
    assert.deepEqual(
      page.messages.map((m) => m.cmid).reverse(),
      sends.filter((s) => s.channel === ROOM).map((s) => s.cmid),
    );
    db.close();
  });

  it('rejects every caller of a batch whose COMMIT fails, and keeps none of its writes', async () => {
    // A deferred foreign key is checked at COMMIT: a real COMMIT failure, not a simulated one.
    const db = openSqliteFile(join(dir, `commit-fails-${n++}.sqlite`));
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    const commits: number[] = [];
    const writes = createGroupCommit(db, { onCommit: (size) => commits.push(size) });
    const insert = db.prepare('INSERT INTO child (parent) VALUES (?)');
    const outcomes = await Promise.all([
      settle(writes.run(() => insert.run(null).changes)),
      settle(writes.run(() => insert.run(42).changes)), // no parent 42: fails at COMMIT
      settle(writes.run(() => insert.run(null).changes)),
    ]);
    assert.deepEqual(outcomes.map((o) => o.ok), [false, false, false]);
    assert.match(String((outcomes[0] as { error: unknown }).error), /FOREIGN KEY/);
    assert.deepEqual(commits, []);
    assert.equal(db.inTransaction, false);
    assert.equal((db.prepare('SELECT COUNT(*) FROM child').pluck().get() as number), 0);
    // The next batch is unaffected.
    assert.equal(await writes.run(() => insert.run(null).changes), 1);
    assert.deepEqual(commits, [1]);
    db.close();
  });

  it('undoes the writes of a request that throws after writing; the others are stored once', async () => {
    const db = openSqliteFile(join(dir, `partial-${n++}.sqlite`));
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    const writes = createGroupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const outcomes = await Promise.all([
      settle(writes.run(() => insert.run('a').changes)),
      settle(
        writes.run(() => {
          insert.run('b');
          throw new RtmError('INVALID_REPLY', 'fails after its write');
        }),
      ),
      settle(writes.run(() => insert.run('c').changes)),
    ]);
    assert.deepEqual(outcomes.map((o) => o.ok), [true, false, true]);
    assert.deepEqual(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all(), ['a', 'c'], 'b undone, a and c once each');
    db.close();
  });

  it('drain() waits for the writes already issued', async () => {
    const { db, store, writes, commits } = open();
    const pending = store.store(channelMessage('gina', 'g1'), 1);
    await writes.drain();
    assert.deepEqual(commits, [1]);
    assert.equal((await pending).duplicate, false);
    db.close();
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MAX_ATTRIBUTE_VALUE_BYTES, MAX_USER_ATTRIBUTES, type StoredMessage, type WireMessageFields, type WireTextMessage } from '../../src/protocol/index.js';
import { channelConversation, peerConversation } from '../../src/server/messaging/conversations.js';
import type { NewMessage, Storage, StoredAttribute, UserConversation } from '../../src/server/storage/types.js';
import { STORAGE_BACKENDS } from './storage-backends.js';

/**
 * One set of behaviours every storage implementation must have, run against each of them
 * (SQLite always; PostgreSQL when RTM_TEST_DATABASE_URL is set). Every test starts from an empty
 * storage with one app, `a`.
 */

const APP = { id: 'a', restKey: 'k', restSecret: 's', tokenSecret: 't'.repeat(32), allowedOrigins: ['*'], createdAt: 1 };
const HOUR = 3_600_000;

type TextBody = WireTextMessage & WireMessageFields;
const text = (value: string, extra: WireMessageFields = {}): TextBody => ({ type: 'TEXT', text: value, ...extra });

let counter = 0;
/** A peer message from → to, stored as the gateway would (live: not offline). */
function peer(from: string, to: string, body: TextBody | string, more: Partial<NewMessage> = {}): NewMessage {
  counter += 1;
  return {
    appId: APP.id,
    conv: peerConversation(from, to),
    id: `m${counter}`,
    ts: 1000 + counter,
    from,
    to,
    cmid: `c${counter}`,
    message: typeof body === 'string' ? text(body) : body,
    ack: { peerReceived: false, storedOffline: false },
    ...more,
  };
}

function channel(from: string, name: string, body: TextBody | string, more: Partial<NewMessage> = {}): NewMessage {
  counter += 1;
  return {
    appId: APP.id,
    conv: channelConversation(name),
    id: `m${counter}`,
    ts: 1000 + counter,
    from,
    channel: name,
    cmid: `c${counter}`,
    message: typeof body === 'string' ? text(body) : body,
    ack: { peerReceived: false, storedOffline: false },
    ...more,
  };
}

const peerOf = (uid: string, other: string): UserConversation => ({ conv: peerConversation(uid, other), kind: 'peer', target: other });
const ids = (messages: readonly StoredMessage[]) => messages.map((m) => m.id);
const texts = (messages: readonly StoredMessage[]) => messages.map((m) => ('text' in m.message ? m.message.text : m.message.type));

for (const backend of STORAGE_BACKENDS) {
  if (backend.skip) console.log(`# storage conformance: ${backend.name}: ${backend.skip}`);

  describe(`storage conformance: ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ storage, dispose } = await backend.open(0));
      await storage.apps.insertIfMissing(APP);
    });
    afterEach(() => dispose());

    const store = async (input: NewMessage, now = 0) => storage.messages.store(input, now);

    describe('apps', () => {
      it('inserts once, upserts credentials keeping createdAt, lists by id', async () => {
        assert.equal(await storage.apps.insertIfMissing({ ...APP, restKey: 'other' }), false);
        assert.equal((await storage.apps.get('a'))?.restKey, 'k');
        await storage.apps.upsert({ ...APP, restKey: 'k2', allowedOrigins: ['https://x.example'], createdAt: 99 });
        assert.deepEqual(await storage.apps.get('a'), { ...APP, restKey: 'k2', allowedOrigins: ['https://x.example'] });
        assert.equal(await storage.apps.insertIfMissing({ ...APP, id: 'B' }), true);
        assert.deepEqual((await storage.apps.list()).map((app) => app.id), ['B', 'a']);
        assert.equal(await storage.apps.get('missing'), undefined);
      });
    });

    describe('messages', () => {
      it('numbers each conversation from 1, separately, and returns what it stored', async () => {
        const first = await store(peer('x', 'y', 'one'));
        const second = await store(peer('y', 'x', 'two'));
        const other = await store(peer('x', 'z', 'elsewhere'));
        const room = await store(channel('x', 'room', 'hello'));
        assert.deepEqual([first.message.seq, second.message.seq, other.message.seq, room.message.seq], [1, 2, 1, 1]);
        assert.deepEqual(first.message, { id: first.message.id, seq: 1, ts: first.message.ts, from: 'x', to: 'y', cmid: first.message.cmid, message: text('one') });
        assert.equal(room.message.channel, 'room');
        assert.equal(first.duplicate, false);
      });

      it('is idempotent by (app, sender, cmid): a resend gets the original and its ack', async () => {
        const input = peer('x', 'y', 'once', { ack: { peerReceived: true, storedOffline: false } });
        const original = await store(input);
        const resend = await store({ ...input, id: 'another-id', ts: 9999, ack: { peerReceived: false, storedOffline: true } });
        assert.equal(resend.duplicate, true);
        assert.deepEqual(resend.message, original.message);
        assert.deepEqual(resend.ack, { peerReceived: true, storedOffline: false });
        assert.equal((await storage.messages.history('a', input.conv, 'x', 10)).messages.length, 1);
        // The same cmid from another sender is another message.
        assert.equal((await store({ ...peer('y', 'x', 'mine'), cmid: input.cmid })).duplicate, false);
      });

      it('refuses a cmid already used for another conversation, and a reply to another conversation', async () => {
        const first = await store(peer('x', 'y', 'to y'));
        await assert.rejects(store({ ...peer('x', 'z', 'to z'), cmid: first.message.cmid }), { reason: 'INVALID_CLIENT_MESSAGE_ID' });
        const elsewhere = await store(peer('x', 'z', 'to z'));
        await assert.rejects(store(peer('x', 'y', text('re', { replyTo: elsewhere.message.id }))), { reason: 'INVALID_REPLY' });
        await assert.rejects(store(peer('x', 'y', text('re', { replyTo: 'nope' }))), { reason: 'INVALID_REPLY' });
      });

      it('quotes the original of a reply, as it is now', async () => {
        const original = await store(peer('x', 'y', 'the question'));
        const reply = await store(peer('y', 'x', text('the answer', { replyTo: original.message.id })));
        assert.deepEqual(reply.message.quote?.id, original.message.id);
        await storage.messages.change('a', original.message.id, { kind: 'retract' }, 5);
        const [read] = (await storage.messages.history('a', peerConversation('x', 'y'), 'x', 1)).messages;
        assert.equal(read?.id, reply.message.id);
        assert.equal(read?.quote?.id, original.message.id);
        assert.notDeepEqual(read?.quote, reply.message.quote);
      });

      it('gives concurrent stores into one conversation distinct, gapless seqs, and one row per cmid', async () => {
        const sends = Array.from({ length: 20 }, (_, i) => peer(i % 2 ? 'x' : 'y', i % 2 ? 'y' : 'x', `n${i}`));
        const results = await Promise.all(sends.map((input) => store(input)));
        assert.deepEqual(results.map((r) => r.message.seq).sort((p, q) => p - q), Array.from({ length: 20 }, (_, i) => i + 1));
        const same = peer('x', 'y', 'raced');
        // The same send arriving at several nodes at once: each gave it its own server id.
        const raced = await Promise.all(Array.from({ length: 5 }, (_, i) => store({ ...same, id: `${same.id}-${i}` })));
        assert.equal(raced.filter((r) => !r.duplicate).length, 1);
        assert.deepEqual(new Set(raced.map((r) => r.message.seq)), new Set([21]));
      });

      it('pages history newest first and syncs forward, resetting when too far behind or ahead', async () => {
        for (let i = 1; i <= 5; i++) await store(peer('x', 'y', `n${i}`));
        const conv = peerConversation('x', 'y');
        const page = await storage.messages.history('a', conv, 'x', 2);
        assert.deepEqual([texts(page.messages), page.hasMore, page.changeSeq], [['n5', 'n4'], true, 0]);
        const older = await storage.messages.history('a', conv, 'x', 10, page.messages[1]!.seq);
        assert.deepEqual([texts(older.messages), older.hasMore], [['n3', 'n2', 'n1'], false]);
        const sync = await storage.messages.sync('a', conv, 'y', 1, 2, 100);
        assert.deepEqual([texts(sync.messages), sync.hasMore, sync.reset], [['n2', 'n3'], true, false]);
        const behind = await storage.messages.sync('a', conv, 'y', 0, 2, 3);
        assert.deepEqual([texts(behind.messages), behind.reset], [['n4', 'n5'], true]);
        const ahead = await storage.messages.sync('a', conv, 'y', 9, 2, 100);
        assert.deepEqual([texts(ahead.messages), ahead.reset], [['n4', 'n5'], true]);
        assert.deepEqual((await storage.messages.sync('a', conv, 'y', 5, 2, 100)).messages, []);
      });

      it('keeps offline messages per receiver: oldest first, newest replace oldest beyond the cap, expired ones purged', async () => {
        const offline = (i: number, expiresAt: number) =>
          peer('x', 'y', `o${i}`, { ack: { peerReceived: false, storedOffline: true }, offline: { expiresAt, maxPerReceiver: 3 } });
        for (let i = 1; i <= 5; i++) await store(offline(i, 10 * HOUR), HOUR);
        await store(peer('x', 'z', 'for z', { offline: { expiresAt: 10 * HOUR, maxPerReceiver: 3 } }), HOUR);
        const batch = await storage.messages.offlineFor('a', 'y', 2 * HOUR);
        assert.deepEqual(texts(batch.messages), ['o3', 'o4', 'o5']);
        assert.equal(batch.handles.length, 3);
        await storage.messages.deleteOffline(batch.handles.slice(0, 2));
        assert.deepEqual(texts((await storage.messages.offlineFor('a', 'y', 2 * HOUR)).messages), ['o5']);
        // The messages themselves stay in history.
        assert.equal((await storage.messages.history('a', peerConversation('x', 'y'), 'y', 10)).messages.length, 5);
        // Expiry: not returned after it, and purged.
        assert.deepEqual((await storage.messages.offlineFor('a', 'y', 10 * HOUR)).messages, []);
        assert.equal(await storage.messages.purgeExpiredOffline(10 * HOUR), 1); // z's
        assert.deepEqual((await storage.messages.offlineFor('a', 'z', 0)).messages, []);
      });

      it('hands out offline messages as history reads them: reactions, edits, change numbers and quotes included', async () => {
        const kept = { ack: { peerReceived: false, storedOffline: true }, offline: { expiresAt: 10 * HOUR, maxPerReceiver: 10 } };
        const question = await store(peer('x', 'y', 'question', kept));
        const reply = await store(peer('x', 'y', text('answer', { replyTo: question.message.id }), kept));
        await store(peer('x', 'y', 'plain', kept));
        await storage.messages.change('a', question.message.id, { kind: 'reaction', uid: 'y', emoji: '👍', add: true }, 5);
        await storage.messages.change('a', question.message.id, { kind: 'reaction', uid: 'x', emoji: '👍', add: true }, 6);
        await storage.messages.change('a', reply.message.id, { kind: 'edit', editor: 'x', cmid: 'e1', message: text('answer!') }, 7);
        const batch = await storage.messages.offlineFor('a', 'y', 0);
        const history = (await storage.messages.history('a', peerConversation('x', 'y'), 'y', 10)).messages.reverse();
        assert.deepEqual(batch.messages, history);
        assert.deepEqual(batch.messages[0]?.reactions, [{ emoji: '👍', count: 2, uids: ['y', 'x'] }]);
        assert.equal(batch.messages[1]?.quote?.id, question.message.id);
        assert.equal(batch.messages[1]?.changeSeq, 3);
      });
    });

    describe('message changes', () => {
      it('numbers edits, reactions and retractions per conversation; repeats change nothing', async () => {
        const sent = await store(peer('x', 'y', 'helo'));
        const id = sent.message.id;
        const edit = await storage.messages.change('a', id, { kind: 'edit', editor: 'x', cmid: 'e1', message: text('hello') }, 10);
        assert.deepEqual([edit.changed, edit.changeSeq, texts([edit.message]), edit.message.editedAt], [true, 1, ['hello'], 10]);
        const again = await storage.messages.change('a', id, { kind: 'edit', editor: 'x', cmid: 'e1', message: text('hello') }, 11);
        assert.deepEqual([again.changed, again.changeSeq], [false, 1]);
        const like = await storage.messages.change('a', id, { kind: 'reaction', uid: 'y', emoji: '👍', add: true }, 12);
        assert.deepEqual([like.changed, like.changeSeq, like.message.reactions], [true, 2, [{ emoji: '👍', count: 1, uids: ['y'] }]]);
        assert.equal((await storage.messages.change('a', id, { kind: 'reaction', uid: 'y', emoji: '👍', add: true }, 13)).changed, false);
        const gone = await storage.messages.change('a', id, { kind: 'retract' }, 14);
        assert.deepEqual([gone.changed, gone.changeSeq, gone.message.message, gone.message.retractedAt, gone.message.reactions], [
          true, 3, { type: 'RETRACTED' }, 14, undefined,
        ]);
        assert.equal((await storage.messages.change('a', id, { kind: 'retract' }, 15)).changed, false);
        await assert.rejects(storage.messages.change('a', id, { kind: 'edit', editor: 'x', cmid: 'e2', message: text('x') }, 16), {
          reason: 'MESSAGE_RETRACTED',
        });
        await assert.rejects(storage.messages.change('a', 'nope', { kind: 'retract' }, 16), { reason: 'MESSAGE_NOT_FOUND' });
        // Another conversation counts its own changes.
        const other = await store(peer('x', 'z', 'hi'));
        assert.equal((await storage.messages.change('a', other.message.id, { kind: 'retract' }, 17)).changeSeq, 1);
        const changes = await storage.messages.changes('a', peerConversation('x', 'y'), 'y', 0, 10);
        assert.deepEqual([changes.changes.map((c) => c.changeSeq), changes.changeSeq, changes.hasMore], [[3], 3, false]);
        assert.equal((await storage.messages.history('a', peerConversation('x', 'y'), 'y', 10)).changeSeq, 3);
      });

      it('caps distinct reactions at MAX_REACTIONS_PER_MESSAGE', async () => {
        const { message } = await store(peer('x', 'y', 'react'));
        for (let i = 0; i < 32; i++) await storage.messages.change('a', message.id, { kind: 'reaction', uid: 'y', emoji: `e${i}`, add: true }, i);
        await assert.rejects(storage.messages.change('a', message.id, { kind: 'reaction', uid: 'y', emoji: 'one-more', add: true }, 40), {
          reason: 'INVALID_REACTION',
        });
        // An emoji already on it is still fine.
        assert.equal((await storage.messages.change('a', message.id, { kind: 'reaction', uid: 'x', emoji: 'e0', add: true }, 41)).changed, true);
      });

      it('deletes for one user only: gone from their history, find, search and changes', async () => {
        const keep = await store(peer('x', 'y', 'keep this'));
        const drop = await store(peer('x', 'y', 'drop this'));
        const deletion = await storage.messages.change('a', drop.message.id, { kind: 'delete', uid: 'y' }, 5);
        assert.deepEqual([deletion.changed, deletion.changeSeq], [true, 1]);
        assert.equal((await storage.messages.change('a', drop.message.id, { kind: 'delete', uid: 'y' }, 6)).changed, false);
        const conv = peerConversation('x', 'y');
        assert.deepEqual(ids((await storage.messages.history('a', conv, 'y', 10)).messages), [keep.message.id]);
        assert.deepEqual(ids((await storage.messages.history('a', conv, 'x', 10)).messages), [drop.message.id, keep.message.id]);
        assert.equal(await storage.messages.find('a', drop.message.id, 'y'), undefined);
        assert.equal((await storage.messages.find('a', drop.message.id, 'x'))?.conv, conv);
        assert.deepEqual((await storage.messages.search('a', 'y', { query: 'this', limit: 10 })).hits.map((h) => h.message.id), [keep.message.id]);
        await assert.rejects(storage.messages.change('a', drop.message.id, { kind: 'reaction', uid: 'y', emoji: '👍', add: true }, 7), {
          reason: 'MESSAGE_NOT_FOUND',
        });
        const forY = await storage.messages.changes('a', conv, 'y', 0, 10);
        assert.deepEqual(forY.changes, [{ changeSeq: 1, deleted: { id: drop.message.id, seq: 2 } }]);
        assert.deepEqual((await storage.messages.changes('a', conv, 'x', 0, 10)).changes, []);
      });
    });

    describe('search', () => {
      it('finds messages with every query word, newest first, in the viewer conversations, Chinese included', async () => {
        const a = await store(peer('x', 'y', 'Lunch at the café tomorrow?'));
        const b = await store(peer('y', 'x', '我们明天去北京吃饭'));
        const c = await store(peer('x', 'y', 'tomorrow lunch again'));
        await store(peer('z', 'w', 'lunch tomorrow for others'));
        const hits = async (viewer: string, query: string, extra = {}) =>
          (await storage.messages.search('a', viewer, { query, limit: 10, ...extra })).hits.map((h) => h.message.id);
        assert.deepEqual(await hits('x', 'LUNCH tomorrow'), [c.message.id, a.message.id]);
        assert.deepEqual(await hits('x', 'cafe'), [a.message.id]);
        assert.deepEqual(await hits('y', '北京'), [b.message.id]);
        assert.deepEqual(await hits('x', 'dinner'), []);
        assert.deepEqual(await hits('x', '   '), []);
        assert.deepEqual(await hits('x', 'lunch', { conv: peerConversation('x', 'y'), after: a.message.ts + 1 }), [c.message.id]);
        // Pages through a cursor.
        const first = await storage.messages.search('a', 'x', { query: 'lunch', limit: 1 });
        assert.deepEqual([first.hits.map((h) => h.message.id), first.hasMore], [[c.message.id], true]);
        const next = await storage.messages.search('a', 'x', { query: 'lunch', limit: 1, cursor: first.cursor! });
        assert.deepEqual([next.hits.map((h) => [h.message.id, h.text]), next.hasMore], [[[a.message.id, 'Lunch at the café tomorrow?']], false]);
        // Edits are searched by their new words, retractions not at all.
        await storage.messages.change('a', c.message.id, { kind: 'edit', editor: 'x', cmid: 'e', message: text('dinner instead') }, 5);
        assert.deepEqual(await hits('x', 'dinner'), [c.message.id]);
        assert.deepEqual(await hits('x', 'again'), []);
        await storage.messages.change('a', a.message.id, { kind: 'retract' }, 6);
        assert.deepEqual(await hits('x', 'lunch'), []);
      });
    });

    describe('conversations', () => {
      it('lists the user conversations newest first with unread counts, mentions and the peer markers', async () => {
        await store(peer('x', 'y', 'one'));
        await store(peer('y', 'x', 'two'));
        const last = await store(peer('y', 'x', text('three @x', { mentions: ['x'] }), { ack: { peerReceived: true, storedOffline: false } }));
        assert.equal(await storage.conversations.join('a', 'room', 'x', 1), true);
        assert.equal(await storage.conversations.join('a', 'room', 'x', 1), false);
        await store(channel('z', 'room', 'in the room'));
        const listed = await storage.conversations.list('a', 'x');
        assert.equal(listed.totalUnread, 3);
        const [room, withY] = listed.conversations;
        assert.deepEqual([room?.kind, room?.id, room?.unread, room?.lastSeq], ['channel', 'room', 1, 1]);
        assert.deepEqual([withY?.kind, withY?.id, withY?.unread, withY?.lastSeq, withY?.mentioned, withY?.lastMessage?.id], [
          'peer', 'y', 2, 3, true, last.message.id,
        ]);
        assert.deepEqual([withY?.peerReadSeq, withY?.peerDeliveredSeq], [0, 0]);
        // y's side: x got the live message (delivered marker moved).
        const ys = (await storage.conversations.list('a', 'y')).conversations[0];
        assert.deepEqual([ys?.unread, ys?.peerDeliveredSeq], [1, 3]);

        const read = await storage.conversations.markRead('a', 'x', peerOf('x', 'y'), 99);
        assert.deepEqual(read, { readSeq: 3, moved: true, unread: 0, totalUnread: 1 });
        assert.deepEqual(await storage.conversations.markRead('a', 'x', peerOf('x', 'y'), 2), { readSeq: 3, moved: false, unread: 0, totalUnread: 1 });
        const ysAfter = (await storage.conversations.list('a', 'y')).conversations[0];
        assert.deepEqual([ysAfter?.peerReadSeq, ysAfter?.peerDeliveredSeq], [3, 3]);
        assert.equal((await storage.conversations.list('a', 'x')).conversations[1]?.mentioned, undefined);
      });

      it('joins at the newest message, keeps the marker after leaving, lists members with markers', async () => {
        await store(channel('z', 'room', 'before'));
        await storage.conversations.join('a', 'room', 'y', 1);
        await store(channel('z', 'room', 'after'));
        await storage.conversations.join('a', 'room', 'x', 2);
        assert.deepEqual(await storage.conversations.channelReadStates('a', 'room'), [
          { uid: 'x', readSeq: 2 },
          { uid: 'y', readSeq: 1 },
        ]);
        assert.equal((await storage.conversations.list('a', 'y')).totalUnread, 1);
        assert.equal(await storage.conversations.isMember('a', 'room', 'y'), true);
        assert.equal(await storage.conversations.leave('a', 'room', 'y'), true);
        assert.equal(await storage.conversations.leave('a', 'room', 'y'), false);
        assert.equal(await storage.conversations.isMember('a', 'room', 'y'), false);
        assert.deepEqual((await storage.conversations.list('a', 'y')).conversations, []);
        await storage.conversations.join('a', 'room', 'y', 3);
        // A rejoin keeps the old marker raised to the newest: nothing unread.
        assert.equal((await storage.conversations.list('a', 'y')).totalUnread, 0);
      });

      it('keeps needReadReceipt: false on the last message of the conversation list, peer and channel', async () => {
        await store(peer('x', 'y', 'with receipts'));
        const quiet = await store(peer('x', 'y', 'no receipts please', { needReadReceipt: false }));
        assert.equal(quiet.message.needReadReceipt, false, 'as stored');
        for (const uid of ['x', 'y']) {
          const [conversation] = (await storage.conversations.list('a', uid)).conversations;
          assert.equal(conversation?.lastMessage?.id, quiet.message.id);
          assert.equal(conversation?.lastMessage?.needReadReceipt, false, `in ${uid}'s list`);
          assert.deepEqual(conversation?.lastMessage, (await storage.messages.find('a', quiet.message.id))!.message, 'the message as a find reads it');
        }
        await storage.conversations.join('a', 'quiet-room', 'x', 1);
        await store(channel('x', 'quiet-room', 'hush', { needReadReceipt: false }));
        const room = (await storage.conversations.list('a', 'x')).conversations.find((c) => c.id === 'quiet-room');
        assert.equal(room?.lastMessage?.needReadReceipt, false);
        // A later message sent normally carries no flag.
        await store(peer('y', 'x', 'back to normal'));
        const [latest] = (await storage.conversations.list('a', 'x')).conversations;
        assert.equal(latest?.lastMessage?.needReadReceipt, undefined);
      });

      it('moves delivery markers only up', async () => {
        await store(peer('x', 'y', 'one'));
        await store(peer('x', 'y', 'two'));
        assert.equal(await storage.conversations.markDelivered('a', 'y', peerOf('y', 'x'), 2), 2);
        assert.equal(await storage.conversations.markDelivered('a', 'y', peerOf('y', 'x'), 1), undefined);
        assert.equal(await storage.conversations.markDelivered('a', 'y', peerOf('y', 'x'), 2), undefined);
        assert.equal((await storage.conversations.list('a', 'x')).conversations[0]?.peerDeliveredSeq, 2);
      });

      it('deletes a conversation for one user: hidden until a newer message, history cleared on request', async () => {
        await store(peer('x', 'y', 'old one'));
        await store(peer('y', 'x', 'old two'));
        const deleted = await storage.conversations.deleteConversation('a', 'x', peerOf('x', 'y'), true);
        assert.deepEqual(deleted, { clearedSeq: 2, totalUnread: 0 });
        assert.deepEqual((await storage.conversations.list('a', 'x')).conversations, []);
        assert.deepEqual((await storage.messages.history('a', peerConversation('x', 'y'), 'x', 10)).messages, []);
        assert.deepEqual((await storage.messages.search('a', 'x', { query: 'old', limit: 10 })).hits, []);
        assert.equal((await storage.messages.history('a', peerConversation('x', 'y'), 'y', 10)).messages.length, 2);
        await store(peer('y', 'x', 'new'));
        const back = await storage.conversations.list('a', 'x');
        assert.deepEqual([back.conversations.length, back.totalUnread], [1, 1]);
        assert.deepEqual(texts((await storage.messages.history('a', peerConversation('x', 'y'), 'x', 10)).messages), ['new']);
      });
    });

    describe('attributes', () => {
      const user = { kind: 'user', id: 'u1' } as const;
      const channel = { kind: 'channel', id: 'u1' } as const;
      const values = (stored: readonly StoredAttribute[]) => stored.map((a) => [a.key, a.value, a.updatedBy, a.updatedAt]);

      it('writes and reads per owner: set, update, delete, clear, by keys; a user and a channel of one name apart', async () => {
        const { attributes } = storage;
        assert.deepEqual(values(await attributes.write(APP.id, user, { op: 'set', attributes: { b: '2', a: '1' } }, 'u1', 10)), [
          ['a', '1', 'u1', 10],
          ['b', '2', 'u1', 10],
        ]);
        await attributes.write(APP.id, channel, { op: 'set', attributes: { topic: 't' } }, 'u2', 11);
        assert.deepEqual(values(await attributes.write(APP.id, user, { op: 'update', attributes: { b: '3', c: '中' } }, 'u1', 12)), [
          ['a', '1', 'u1', 10],
          ['b', '3', 'u1', 12],
          ['c', '中', 'u1', 12],
        ]);
        assert.deepEqual(values(await attributes.read(APP.id, user, ['c', 'zz', 'a'])), [
          ['a', '1', 'u1', 10],
          ['c', '中', 'u1', 12],
        ]);
        assert.deepEqual(values(await attributes.write(APP.id, user, { op: 'delete', keys: ['a', 'zz'] }, 'u1', 13)).map(([key]) => key), ['b', 'c']);
        assert.deepEqual(values(await attributes.write(APP.id, user, { op: 'set', attributes: { d: '4' } }, 'u1', 14)), [['d', '4', 'u1', 14]]);
        assert.deepEqual(await attributes.write(APP.id, user, { op: 'clear' }, 'u1', 15), []);
        assert.deepEqual(values(await attributes.read(APP.id, channel)), [['topic', 't', 'u2', 11]]);
        assert.deepEqual(await attributes.read('other-app', channel), []);
      });

      it('refuses a write past the limits against what is stored, changing nothing', async () => {
        const { attributes } = storage;
        const full = Object.fromEntries(Array.from({ length: MAX_USER_ATTRIBUTES }, (_, i) => [`k${i}`, 'v']));
        await attributes.write(APP.id, user, { op: 'set', attributes: full }, 'u1', 1);
        await assert.rejects(attributes.write(APP.id, user, { op: 'update', attributes: { more: 'v' } }, 'u1', 2), { reason: 'TOO_MANY_ATTRIBUTES' });
        const big = { k1: 'x'.repeat(MAX_ATTRIBUTE_VALUE_BYTES), k2: 'y'.repeat(MAX_ATTRIBUTE_VALUE_BYTES) };
        await assert.rejects(attributes.write(APP.id, user, { op: 'update', attributes: big }, 'u1', 3), { reason: 'ATTRIBUTES_TOO_LARGE' });
        const stored = await attributes.read(APP.id, user);
        assert.equal(stored.length, MAX_USER_ATTRIBUTES);
        assert.ok(stored.every((a) => a.value === 'v' && a.updatedAt === 1));
      });

      it('takes concurrent writes to one owner in turn, so together they cannot pass a limit', async () => {
        const { attributes } = storage;
        // 8 writers of 5 new keys each: 6 fit under 32, whichever come first; the other 2 are refused.
        const keys = (writer: number) => Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`w${writer}k${i}`, 'v']));
        // Warm a connection pool, so the writers start together rather than as connections open.
        await Promise.all(Array.from({ length: 8 }, () => attributes.read(APP.id, channel)));
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, writer) => attributes.write(APP.id, channel, { op: 'update', attributes: keys(writer) }, `u${writer}`, 1)),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 6);
        assert.equal((await attributes.read(APP.id, channel)).length, 30);
      });
    });

    describe('media metadata', () => {
      it('records, finds, lists the expired oldest first, deletes', async () => {
        const record = (mediaId: string, expiresAt: number) => ({
          mediaId, appId: 'a', uploader: 'x', size: 10, contentType: 'image/png', sha256: 'h', uploadedAt: 1, expiresAt,
        });
        await storage.media.insert({ ...record('m1', 300), width: 2, height: 3 });
        await storage.media.insert(record('m2', 100));
        await storage.media.insert(record('m3', 900));
        assert.deepEqual(await storage.media.get('m1'), { ...record('m1', 300), width: 2, height: 3 });
        assert.deepEqual(await storage.media.get('m2'), record('m2', 100));
        assert.equal(await storage.media.get('nope'), undefined);
        assert.deepEqual(await storage.media.listExpired(300, 10), ['m2', 'm1']);
        assert.deepEqual(await storage.media.listExpired(300, 1), ['m2']);
        assert.deepEqual(await storage.media.existing(['m1', 'nope', 'm3']), new Set(['m1', 'm3']));
        assert.equal(await storage.media.delete(['m1', 'm2', 'nope']), 2);
        assert.deepEqual(await storage.media.existing(['m1', 'm2', 'm3']), new Set(['m3']));
        await assert.rejects(storage.media.insert(record('m3', 1)));
      });
    });

    describe('webhook outbox', () => {
      const event = (id: string, createdAt: number, dedupeKey?: string) => ({
        id, appId: 'a', type: 'message.sent', payload: JSON.stringify({ type: 'message.sent', data: { message: { id: 'm1', text: 'secret' } } }),
        createdAt, ...(dedupeKey !== undefined && { dedupeKey }),
      });

      it('enqueues once per dedupe key, hands out pending soonest first, records attempts, lists with logs', async () => {
        assert.equal(await storage.webhooks!.enqueue(event('evt_1', 10, 'message.sent:m1')), true);
        assert.equal(await storage.webhooks!.enqueue(event('evt_1b', 11, 'message.sent:m1')), false);
        assert.equal(await storage.webhooks!.enqueue(event('evt_2', 5)), true);
        assert.equal(await storage.webhooks!.enqueue(event('evt_3', 7)), true);
        const pending = await storage.webhooks!.pending('a', 10);
        assert.deepEqual(pending.map((d) => d.id), ['evt_2', 'evt_3', 'evt_1']);
        const [two, three] = pending;
        await storage.webhooks!.recordAttempt(two!.pk, { attempt: 1, startedAt: 20, durationMs: 5, statusCode: 200, status: 'delivered', nextAttemptAt: 20 });
        await storage.webhooks!.recordAttempt(three!.pk, { attempt: 1, startedAt: 21, durationMs: 3, error: 'ECONNREFUSED', status: 'failed', nextAttemptAt: 21 });
        assert.deepEqual((await storage.webhooks!.pending('a', 10)).map((d) => d.id), ['evt_1']);
        const delivered = await storage.webhooks!.get('a', 'evt_2');
        assert.deepEqual([delivered?.status, delivered?.attempts, delivered?.deliveredAt, delivered?.lastStatusCode, delivered?.log], [
          'delivered', 1, 25, 200, [{ attempt: 1, startedAt: 20, durationMs: 5, statusCode: 200 }],
        ]);
        const all = await storage.webhooks!.list('a', { limit: 2 });
        assert.deepEqual([all.deliveries.map((d) => d.id), all.hasMore], [['evt_3', 'evt_2'], true]);
        const rest = await storage.webhooks!.list('a', { limit: 2, beforeId: 'evt_2' });
        assert.deepEqual([rest.deliveries.map((d) => d.id), rest.hasMore], [['evt_1'], false]);
        assert.deepEqual((await storage.webhooks!.list('a', { status: 'failed', limit: 10 })).deliveries.map((d) => d.log[0]?.error), ['ECONNREFUSED']);
        // Redeliver a failed one (only a failed one), then prune finished ones by age.
        assert.equal(await storage.webhooks!.redeliver('a', 'evt_3', 30), true);
        assert.equal(await storage.webhooks!.redeliver('a', 'evt_2', 30), false);
        assert.deepEqual((await storage.webhooks!.pending('a', 10)).map((d) => [d.id, d.nextAttemptAt, d.attempts]), [['evt_1', 10, 0], ['evt_3', 30, 1]]);
        assert.equal(await storage.webhooks!.prune(21), 1);
        assert.equal(await storage.webhooks!.get('a', 'evt_2'), undefined);
      });

      it('hands an app\'s dispatch lease to one holder at a time: renewed by it, taken over once expired, released only by it', async () => {
        const leases = storage.webhooks!;
        const first = await leases.acquireDispatchLease('a', 'node-1', 60_000);
        assert.equal(first.held, true);
        assert.ok(first.expiresInMs > 59_000 && first.expiresInMs <= 60_000);
        const other = await leases.acquireDispatchLease('a', 'node-2', 60_000);
        assert.equal(other.held, false, 'a live lease of another holder is not taken');
        assert.ok(other.expiresInMs > 0 && other.expiresInMs <= 60_000, 'it says when to ask again');
        assert.equal((await leases.acquireDispatchLease('a', 'node-1', 60_000)).held, true, 'renewed by its holder');
        assert.equal((await leases.acquireDispatchLease('b', 'node-2', 60_000)).held, true, 'per app');
        // Two nodes racing for a free lease: exactly one wins.
        const race = await Promise.all([leases.acquireDispatchLease('c', 'node-1', 60_000), leases.acquireDispatchLease('c', 'node-2', 60_000)]);
        assert.equal(race.filter((lease) => lease.held).length, 1);

        await leases.releaseDispatchLease('a', 'node-2');
        assert.equal((await leases.acquireDispatchLease('a', 'node-2', 60_000)).held, false, 'only the holder releases');
        await leases.releaseDispatchLease('a', 'node-1');
        assert.equal((await leases.acquireDispatchLease('a', 'node-2', 60_000)).held, true, 'free once released');

        // A holder that stops renewing (a crashed node) loses the app once the lease runs out.
        assert.equal((await leases.acquireDispatchLease('d', 'node-1', 50)).held, true);
        assert.equal((await leases.acquireDispatchLease('d', 'node-2', 60_000)).held, false);
        await new Promise((resolve) => setTimeout(resolve, 80));
        assert.equal((await leases.acquireDispatchLease('d', 'node-2', 60_000)).held, true, 'taken over after expiry');
        assert.equal((await leases.acquireDispatchLease('d', 'node-1', 60_000)).held, false, 'and the late holder does not get it back');
      });

      it('redacts a message out of its recorded sent and edited events', async () => {
        await storage.webhooks!.enqueue(event('evt_1', 1, 'message.sent:m1'));
        await storage.webhooks!.enqueue(event('evt_2', 2, 'message.edited:m1:e1'));
        await storage.webhooks!.enqueue(event('evt_3', 3, 'message.sent:m10'));
        const retracted = { id: 'm1', seq: 1, ts: 1, from: 'x', cmid: 'c', message: { type: 'RETRACTED' as const } };
        assert.equal(await storage.webhooks!.redactMessage('a', 'm1', retracted), 2);
        for (const id of ['evt_1', 'evt_2']) {
          assert.deepEqual(JSON.parse((await storage.webhooks!.get('a', id))!.payload), { type: 'message.sent', data: { message: retracted } });
        }
        assert.match((await storage.webhooks!.get('a', 'evt_3'))!.payload, /secret/);
      });
    });

    describe('health', () => {
      it('proves the storage accepts writes, and rejects once closed', async () => {
        await storage.health.checkWritable(1);
        await storage.health.checkWritable(2);
        await storage.close();
        await assert.rejects(storage.health.checkWritable(3));
      });
    });
  });
}

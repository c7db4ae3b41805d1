import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_EXTRAS, MAX_MENTIONS } from '../../src/protocol/index.js';
import { fullHistory, startTestServer, text, type TestClient, type TestServer } from './helpers.js';

let counter = 0;
const cmid = () => `rich${++counter}`;

function send(from: TestClient, to: string, message: Record<string, unknown>) {
  return from.request({ t: 'peer.send', to, cmid: cmid(), message, offline: true });
}

describe('replies, mentions, extras and the location and custom types', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('a reply carries a quote of its original as it is now: pushed, in history, after an edit and a retraction', async () => {
    const alice = await server.connect('q-alice');
    const bob = await server.connect('q-bob');
    const original = await alice.requestOk({ t: 'peer.send', to: 'q-bob', cmid: cmid(), message: text('lunch at noon?'), offline: true });
    await bob.next('peer.message');
    await bob.requestOk({ t: 'peer.send', to: 'q-alice', cmid: cmid(), message: { ...text('yes!'), replyTo: original.messageId }, offline: true });
    const pushed = await alice.next('peer.message');
    assert.deepEqual(pushed.message.quote, { id: original.messageId, seq: original.seq, from: 'q-alice', type: 'TEXT', excerpt: 'lunch at noon?' });
    assert.equal((pushed.message.message as { replyTo?: string }).replyTo, original.messageId);

    await alice.requestOk({ t: 'message.edit', messageId: original.messageId, cmid: cmid(), message: text('lunch at one?') });
    let [, reply] = await fullHistory(bob, { peer: 'q-alice' });
    assert.equal(reply!.quote?.excerpt, 'lunch at one?');
    await alice.requestOk({ t: 'message.retract', messageId: original.messageId });
    [, reply] = await fullHistory(bob, { peer: 'q-alice' });
    assert.deepEqual(reply!.quote, { id: original.messageId, seq: original.seq, from: 'q-alice', type: 'RETRACTED', retracted: true });
  });

  it('refuses a reply to a message of another conversation, or to no message, storing nothing', async () => {
    const alice = await server.connect('r2-alice');
    await server.connect('r2-bob');
    const elsewhere = await alice.requestOk({ t: 'peer.send', to: 'r2-carol', cmid: cmid(), message: text('to carol'), offline: true });
    for (const replyTo of [elsewhere.messageId, 'no-such-message']) {
      const reply = await send(alice, 'r2-bob', { ...text('hi'), replyTo });
      assert.equal(reply.ok ? 'ok' : reply.error.reason, 'INVALID_REPLY');
    }
    const malformed = await send(alice, 'r2-bob', { ...text('hi'), replyTo: 'bad id!' });
    assert.equal(malformed.ok ? 'ok' : malformed.error.reason, 'INVALID_MESSAGE');
    assert.deepEqual(await fullHistory(alice, { peer: 'r2-bob' }), []);
  });

  it('an edit keeps the reply and the extras of the message', async () => {
    const alice = await server.connect('k-alice');
    const first = await alice.requestOk({ t: 'peer.send', to: 'k-bob', cmid: cmid(), message: text('first'), offline: true });
    const reply = await alice.requestOk({
      t: 'peer.send',
      to: 'k-bob',
      cmid: cmid(),
      message: { ...text('second'), replyTo: first.messageId, extras: { priority: 'high' } },
      offline: true,
    });
    const { message } = await alice.requestOk({ t: 'message.edit', messageId: reply.messageId, cmid: cmid(), message: text('second!') });
    assert.deepEqual(message.message, { type: 'TEXT', text: 'second!', replyTo: first.messageId, extras: { priority: 'high' } });
  });

  it('stores mentions and extras as sent; refuses too many, bad user ids and bad keys or values', async () => {
    const alice = await server.connect('m-alice');
    await alice.requestOk({ t: 'channel.join', channel: 'm-room' });
    const sent = await alice.requestOk({
      t: 'channel.send',
      channel: 'm-room',
      cmid: cmid(),
      message: { ...text('@m-bob @all see this'), mentions: ['m-bob', 'm-bob'], mentionAll: true, extras: { ticket: 42, urgent: true, tag: 'ops' } },
    });
    const [stored] = await fullHistory(alice, { channel: 'm-room' });
    assert.equal(stored!.id, sent.messageId);
    assert.deepEqual(stored!.message, { type: 'TEXT', text: '@m-bob @all see this', mentions: ['m-bob'], mentionAll: true, extras: { ticket: 42, urgent: true, tag: 'ops' } });

    const refused = [
      { mentions: Array.from({ length: MAX_MENTIONS + 1 }, (_, i) => `u${i}`) },
      { mentions: ['bad/id'] },
      { mentions: 'm-bob' },
      { mentionAll: 'yes' },
      { extras: Object.fromEntries(Array.from({ length: MAX_EXTRAS + 1 }, (_, i) => [`k${i}`, i])) },
      { extras: { 'bad key': 1 } },
      { extras: { nested: { a: 1 } } },
      { extras: { n: Number.NaN } },
      { extras: ['a'] },
    ];
    for (const fields of refused) {
      const reply = await alice.request({ t: 'channel.send', channel: 'm-room', cmid: cmid(), message: { ...text('x'), ...fields } });
      assert.equal(reply.ok ? 'ok' : reply.error.reason, 'INVALID_MESSAGE', JSON.stringify(fields).slice(0, 80));
    }
    assert.equal((await fullHistory(alice, { channel: 'm-room' })).length, 1);
  });

  it('location and custom messages: stored as sent, refused out of range or outside the type-name charset', async () => {
    const alice = await server.connect('t-alice');
    const location = { type: 'LOCATION', latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower', address: 'Champ de Mars, Paris' };
    const custom = { type: 'CUSTOM', customType: 'order.shipped', payload: { id: 'A-17', items: [1, 2] }, description: 'Order A-17 shipped' };
    for (const message of [location, custom]) assert.equal((await send(alice, 't-bob', message)).ok, true);
    const history = await fullHistory(alice, { peer: 't-bob' });
    assert.deepEqual(history.map((m) => m.message), [location, custom]);

    const refused: [Record<string, unknown>, string][] = [
      [{ ...location, latitude: 91 }, 'INVALID_MESSAGE'],
      [{ ...location, longitude: -180.5 }, 'INVALID_MESSAGE'],
      [{ ...location, latitude: '48' }, 'INVALID_MESSAGE'],
      [{ ...location, address: 'x'.repeat(513) }, 'INVALID_MESSAGE'],
      [{ ...custom, customType: '1order' }, 'INVALID_MESSAGE'],
      [{ ...custom, customType: 'order shipped' }, 'INVALID_MESSAGE'],
      [{ type: 'CUSTOM', customType: 'ping' }, 'MESSAGE_EMPTY'],
      [{ ...custom, payload: 'x'.repeat(33_000) }, 'MESSAGE_TOO_LARGE'],
      [{ type: 'AUDIO', mediaId: 'A'.repeat(22), size: 10, fileName: 'voice.webm' }, 'INVALID_MESSAGE'],
      [{ type: 'VIDEO', mediaId: 'A'.repeat(22), size: 10, fileName: 'clip.mp4', durationMs: 0 }, 'INVALID_MESSAGE'],
    ];
    for (const [message, reason] of refused) {
      const reply = await send(alice, 't-bob', message);
      assert.equal(reply.ok ? 'ok' : reply.error.reason, reason, JSON.stringify(message).slice(0, 80));
    }
    assert.equal((await fullHistory(alice, { peer: 't-bob' })).length, 2);
  });
});

describe('transparent commands', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('reach the peer’s connections and the channel’s other members, never the sender’s other devices, and are never stored', async () => {
    const alice = await server.connect('c-alice');
    const alicePhone = await server.connect('c-alice');
    const bob = await server.connect('c-bob');
    const bobTab = await server.connect('c-bob');
    await alice.requestOk({ t: 'command', peer: 'c-bob', payload: '{"op":"ring"}' });
    for (const c of [bob, bobTab]) assert.deepEqual(await c.next('command'), { t: 'command', from: 'c-alice', peer: 'c-alice', payload: '{"op":"ring"}' });
    await alicePhone.expectNone('command', 100);
    assert.deepEqual(await fullHistory(bob, { peer: 'c-alice' }), []);
    assert.deepEqual((await bob.requestOk({ t: 'conversations' })).conversations, []);

    for (const c of [alice, bob]) await c.requestOk({ t: 'channel.join', channel: 'c-room' });
    await alice.requestOk({ t: 'command', channel: 'c-room', payload: 'refresh' });
    assert.deepEqual(await bob.next('command'), { t: 'command', from: 'c-alice', channel: 'c-room', payload: 'refresh' });
    await alice.expectNone('command', 100);
    assert.deepEqual(await fullHistory(bob, { channel: 'c-room' }), []);

    const eve = await server.connect('c-eve');
    assert.equal((await eve.requestError({ t: 'command', channel: 'c-room', payload: 'x' })).reason, 'NOT_JOINED');
    assert.equal((await alice.requestError({ t: 'command', peer: 'c-bob', payload: '' })).reason, 'MESSAGE_EMPTY');
    assert.equal((await alice.requestError({ t: 'command', peer: 'c-bob', payload: { op: 1 } })).reason, 'INVALID_FIELD');
    // 16,385 two-byte characters: 32,770 UTF-8 bytes, over the 32,768 a command may carry.
    assert.equal((await alice.requestError({ t: 'command', peer: 'c-bob', payload: 'é'.repeat(16 * 1024 + 1) })).reason, 'MESSAGE_TOO_LARGE');
  });
});

describe('search', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('finds Chinese and Latin words in one conversation or all of mine, newest first, with the words highlighted', async () => {
    const alice = await server.connect('s-alice');
    const bob = await server.connect('s-bob');
    const sent = async (to: string, message: Record<string, unknown>) =>
      (await alice.requestOk({ t: 'peer.send', to, cmid: cmid(), message: message as never, offline: true })).messageId;
    const beijing = await sent('s-bob', text('我们明天去北京吃烤鸭'));
    const report = await sent('s-bob', { type: 'FILE', mediaId: 'A'.repeat(22), size: 1, fileName: 'Beijing-report.pdf' }).catch(() => undefined);
    const other = await sent('s-carol', text('Beijing in the spring'));
    await bob.requestOk({ t: 'peer.send', to: 's-alice', cmid: cmid(), message: text('北京 is far'), offline: true });

    const inBob = await alice.requestOk({ t: 'search', peer: 's-bob', query: '北京', limit: 10 });
    assert.deepEqual(inBob.results.map((r) => r.text), ['北京 is far', '我们明天去北京吃烤鸭']);
    assert.deepEqual(inBob.results[1]!.highlights, [[5, 7]]);
    assert.equal(inBob.results[1]!.message.id, beijing);

    const everywhere = await alice.requestOk({ t: 'search', query: 'beijing', limit: 10 });
    assert.deepEqual(everywhere.results.map((r) => r.message.id), [other]);
    assert.deepEqual(everywhere.results[0]!.highlights, [[0, 7]]);
    assert.equal(report, undefined, 'the FILE with an unknown media id was refused');
    // Bob cannot find alice's messages to carol.
    assert.deepEqual((await bob.requestOk({ t: 'search', query: 'spring', limit: 10 })).results, []);
  });

  it('leaves out retracted and deleted-for-me messages, follows edits, filters by type and time, and pages', async () => {
    const alice = await server.connect('s2-alice');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await alice.requestOk({ t: 'peer.send', to: 's2-bob', cmid: cmid(), message: text(`release note ${i}`), offline: true })).messageId);
    }
    await alice.requestOk({ t: 'message.retract', messageId: ids[0]! });
    await alice.requestOk({ t: 'message.delete', messageId: ids[1]! });
    await alice.requestOk({ t: 'message.edit', messageId: ids[2]!, cmid: cmid(), message: text('changelog entry') });
    const found = await alice.requestOk({ t: 'search', peer: 's2-bob', query: 'release', limit: 10 });
    assert.deepEqual(found.results.map((r) => r.message.id), [ids[4], ids[3]]);
    assert.deepEqual((await alice.requestOk({ t: 'search', query: 'changelog', limit: 10 })).results.map((r) => r.message.id), [ids[2]]);

    const first = await alice.requestOk({ t: 'search', peer: 's2-bob', query: 'note', limit: 1 });
    assert.equal(first.hasMore, true);
    const second = await alice.requestOk({ t: 'search', peer: 's2-bob', query: 'note', limit: 1, cursor: first.cursor! });
    assert.deepEqual([...first.results, ...second.results].map((r) => r.message.id), [ids[4], ids[3]]);
    assert.equal(second.hasMore, false);

    assert.deepEqual((await alice.requestOk({ t: 'search', query: 'note', types: ['FILE'], limit: 10 })).results, []);
    const ts = found.results[0]!.message.ts;
    assert.deepEqual((await alice.requestOk({ t: 'search', query: 'note', after: ts + 1, limit: 10 })).results, []);
    for (const bad of [{ query: '' }, { query: 'x'.repeat(257) }, { query: 'x', types: ['TEXT', 'NOPE'] }, { query: 'x', after: -1 }]) {
      assert.equal((await alice.requestError({ t: 'search', limit: 10, ...bad })).reason, 'INVALID_FIELD', JSON.stringify(bad).slice(0, 60));
    }
  });
});

describe('mentions in the conversation list', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('marks a conversation while an unread message mentions me (@uid, or @all in a channel); reading clears it', async () => {
    const alice = await server.connect('l-alice');
    const bob = await server.connect('l-bob');
    for (const c of [alice, bob]) await c.requestOk({ t: 'channel.join', channel: 'l-room' });
    await alice.requestOk({ t: 'channel.send', channel: 'l-room', cmid: cmid(), message: text('no mention') });
    const mentionedOf = async () =>
      Object.fromEntries((await bob.requestOk({ t: 'conversations' })).conversations.map((c) => [c.id, c.mentioned ?? false]));
    assert.deepEqual(await mentionedOf(), { 'l-room': false });

    const all = await alice.requestOk({ t: 'channel.send', channel: 'l-room', cmid: cmid(), message: { ...text('@all standup'), mentionAll: true } });
    await alice.requestOk({ t: 'peer.send', to: 'l-bob', cmid: cmid(), message: { ...text('@l-bob hi'), mentions: ['l-bob'] }, offline: true });
    assert.deepEqual(await mentionedOf(), { 'l-room': true, 'l-alice': true });
    // Alice mentioned herself nowhere: her own list shows no mention.
    assert.ok((await alice.requestOk({ t: 'conversations' })).conversations.every((c) => c.mentioned === undefined));

    await bob.requestOk({ t: 'read', channel: 'l-room', seq: all.seq });
    assert.deepEqual(await mentionedOf(), { 'l-room': false, 'l-alice': true });
  });
});

describe('deleting a conversation for me', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('takes it off my list until a newer message, optionally with its history, on my other devices too; the other side keeps all', async () => {
    const alice = await server.connect('dc-alice');
    const alicePhone = await server.connect('dc-alice');
    const bob = await server.connect('dc-bob');
    const say = (from: TestClient, to: string, words: string) =>
      from.requestOk({ t: 'peer.send', to, cmid: cmid(), message: text(words), offline: true });
    await say(bob, 'dc-alice', 'old news');
    await say(bob, 'dc-alice', 'older secret');
    const listed = async () => (await alice.requestOk({ t: 'conversations' })).conversations.map((c) => [c.id, c.unread]);
    assert.deepEqual(await listed(), [['dc-bob', 2]]);

    const kept = await alice.requestOk({ t: 'conversation.delete', peer: 'dc-bob', history: false });
    assert.deepEqual(kept, { clearedSeq: 0, totalUnread: 0 });
    assert.deepEqual(await alicePhone.next('conversation.deleted'), { t: 'conversation.deleted', peer: 'dc-bob', clearedSeq: 0 });
    assert.deepEqual(await listed(), []);
    assert.equal((await fullHistory(alice, { peer: 'dc-bob' })).length, 2, 'history kept');

    const cleared = await alice.requestOk({ t: 'conversation.delete', peer: 'dc-bob', history: true });
    assert.equal(cleared.clearedSeq, 2);
    assert.deepEqual(await fullHistory(alice, { peer: 'dc-bob' }), []);
    assert.equal((await alice.requestOk({ t: 'sync', peer: 'dc-bob', afterSeq: 0, limit: 10 })).messages.length, 0);
    assert.deepEqual((await alice.requestOk({ t: 'search', query: 'secret', limit: 10 })).results, []);
    assert.equal((await fullHistory(bob, { peer: 'dc-alice' })).length, 2, 'bob keeps everything');

    // A newer message brings the conversation back, with only what came after.
    await say(bob, 'dc-alice', 'fresh start');
    assert.deepEqual(await listed(), [['dc-bob', 1]]);
    assert.deepEqual((await fullHistory(alice, { peer: 'dc-bob' })).map((m) => (m.message as { text: string }).text), ['fresh start']);
    assert.equal((await alice.requestError({ t: 'conversation.delete', peer: 'dc-bob', history: 'yes' })).reason, 'INVALID_FIELD');
  });
});

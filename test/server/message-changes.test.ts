import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_REACTIONS_PER_MESSAGE, RETRACT_WINDOW_MS, type MessageChange, type StoredMessage } from '../../src/protocol/index.js';
import { fullHistory, manualClock, startTestServer, text, type TestClient, type TestServer } from './helpers.js';

let cmidCounter = 0;
const cmid = (prefix = 'c') => `${prefix}${++cmidCounter}`;

async function sendPeer(from: TestClient, to: string, body: string) {
  return from.requestOk({ t: 'peer.send', to, cmid: cmid(), message: text(body), offline: true });
}

async function allChanges(client: TestClient, target: { peer: string } | { channel: string }, afterChangeSeq = 0, limit = 100) {
  const changes: MessageChange[] = [];
  let cursor = afterChangeSeq;
  for (;;) {
    const page = await client.requestOk({ t: 'changes', ...target, afterChangeSeq: cursor, limit });
    changes.push(...page.changes);
    cursor = page.changeSeq;
    if (!page.hasMore) return { changes, changeSeq: cursor };
  }
}

describe('message changes over the gateway', () => {
  const clock = manualClock();
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ now: clock.now });
  });
  after(() => server.close());

  it('the sender retracts within the window: every connection sees the placeholder, history loses the content', async () => {
    const alice = await server.connect('r-alice');
    const aliceTab = await server.connect('r-alice');
    const bob = await server.connect('r-bob');
    const sent = await sendPeer(alice, 'r-bob', 'oops, wrong chat');
    await bob.next('peer.message');
    await aliceTab.next('peer.message');

    clock.advance(RETRACT_WINDOW_MS - 1000);
    const { message } = await alice.requestOk({ t: 'message.retract', messageId: sent.messageId });
    assert.deepEqual(message.message, { type: 'RETRACTED' });
    assert.equal(message.retractedAt, clock.now());
    assert.equal(message.changeSeq, 1);

    for (const other of [bob, aliceTab]) {
      const push = await other.next('message.changed');
      assert.deepEqual(push.change, { kind: 'retracted' });
      assert.equal(push.message.id, sent.messageId);
      assert.deepEqual(push.message.message, { type: 'RETRACTED' });
    }
    await alice.expectNone('message.changed', 50);

    const history = await fullHistory(bob, { peer: 'r-alice' });
    assert.equal(history.length, 1);
    assert.deepEqual(history[0]!.message, { type: 'RETRACTED' });
    assert.doesNotMatch(JSON.stringify(history), /wrong chat/);
    const list = await bob.requestOk({ t: 'conversations' });
    assert.deepEqual(list.conversations.find((c) => c.id === 'r-alice')?.lastMessage?.message, { type: 'RETRACTED' });

    // Again: a success that changes nothing (a resend after a lost reply).
    const again = await alice.requestOk({ t: 'message.retract', messageId: sent.messageId });
    assert.equal(again.message.changeSeq, 1);
    await bob.expectNone('message.changed', 50);
  });

  it('refuses a retract after the window, of someone else’s message, and of an unknown id, changing nothing', async () => {
    const alice = await server.connect('w-alice');
    const bob = await server.connect('w-bob');
    const sent = await sendPeer(alice, 'w-bob', 'kept');
    const byBob = await bob.requestError({ t: 'message.retract', messageId: sent.messageId });
    assert.equal(byBob.reason, 'NOT_MESSAGE_SENDER');
    const eve = await server.connect('w-eve');
    assert.equal((await eve.requestError({ t: 'message.retract', messageId: sent.messageId })).reason, 'MESSAGE_NOT_FOUND');
    assert.equal((await alice.requestError({ t: 'message.retract', messageId: 'no-such-id' })).reason, 'MESSAGE_NOT_FOUND');
    assert.equal((await alice.requestError({ t: 'message.retract', messageId: 'bad id!' })).reason, 'INVALID_FIELD');
    clock.advance(RETRACT_WINDOW_MS + 1);
    const late = await alice.requestError({ t: 'message.retract', messageId: sent.messageId });
    assert.equal(late.reason, 'RETRACT_WINDOW_PASSED');
    assert.match(late.message, /3 minutes/);
    const [stored] = await fullHistory(bob, { peer: 'w-alice' });
    assert.deepEqual(stored!.message, text('kept'));
    assert.equal(stored!.changeSeq, undefined);
  });

  it('edits: last edit wins, a resent edit changes nothing, only TEXT and only the sender', async () => {
    const alice = await server.connect('e-alice');
    const bob = await server.connect('e-bob');
    const sent = await sendPeer(alice, 'e-bob', 'helo');
    const first = await alice.requestOk({ t: 'message.edit', messageId: sent.messageId, cmid: 'edit-1', message: text('hello') });
    assert.equal(first.duplicate, false);
    assert.deepEqual(first.message.message, text('hello'));
    assert.equal(first.message.editedAt, clock.now());
    const pushed = await bob.next('message.changed');
    assert.deepEqual(pushed.change, { kind: 'edited' });
    assert.deepEqual(pushed.message.message, text('hello'));

    await alice.requestOk({ t: 'message.edit', messageId: sent.messageId, cmid: 'edit-2', message: text('hello!') });
    // The first edit arrives again (a resend after a reconnect): it must not undo the second.
    const resent = await alice.requestOk({ t: 'message.edit', messageId: sent.messageId, cmid: 'edit-1', message: text('hello') });
    assert.equal(resent.duplicate, true);
    assert.deepEqual(resent.message.message, text('hello!'));
    const [stored] = await fullHistory(bob, { peer: 'e-alice' });
    assert.deepEqual(stored!.message, text('hello!'));

    assert.equal(
      (await bob.requestError({ t: 'message.edit', messageId: sent.messageId, cmid: 'x1', message: text('mine now') })).reason,
      'NOT_MESSAGE_SENDER',
    );
    assert.equal(
      (await alice.requestError({ t: 'message.edit', messageId: sent.messageId, cmid: 'x2', message: { type: 'RAW', data: 'AAAA' } }))
        .reason,
      'MESSAGE_NOT_EDITABLE',
    );
    const raw = await alice.requestOk({ t: 'peer.send', to: 'e-bob', cmid: cmid(), message: { type: 'RAW', data: 'AAAA' }, offline: false });
    assert.equal(
      (await alice.requestError({ t: 'message.edit', messageId: raw.messageId, cmid: 'x3', message: text('t') })).reason,
      'MESSAGE_NOT_EDITABLE',
    );
    assert.equal(
      (await alice.requestError({ t: 'message.edit', messageId: sent.messageId, cmid: 'x4', message: text('') })).reason,
      'MESSAGE_EMPTY',
    );

    const gone = await sendPeer(alice, 'e-bob', 'to retract');
    await alice.requestOk({ t: 'message.retract', messageId: gone.messageId });
    assert.equal(
      (await alice.requestError({ t: 'message.edit', messageId: gone.messageId, cmid: 'x5', message: text('back') })).reason,
      'MESSAGE_RETRACTED',
    );
  });

  it('reactions: counts and users per emoji, idempotent add and remove, one emoji only, members only in channels', async () => {
    const alice = await server.connect('x-alice');
    const bob = await server.connect('x-bob');
    await alice.requestOk({ t: 'channel.join', channel: 'x-room' });
    await bob.requestOk({ t: 'channel.join', channel: 'x-room' });
    const sent = await alice.requestOk({ t: 'channel.send', channel: 'x-room', cmid: cmid(), message: text('lunch?') });
    await bob.next('channel.message');

    await alice.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: '👍' });
    const byBob = await bob.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: '👍' });
    assert.deepEqual(byBob.message.reactions, [{ emoji: '👍', count: 2, uids: ['x-alice', 'x-bob'] }]);
    const pushed = await alice.next('message.changed', { where: (f) => f.change.kind === 'reaction' && f.change.uid === 'x-bob' });
    assert.deepEqual(pushed.change, { kind: 'reaction', uid: 'x-bob', emoji: '👍', added: true });
    // Text-style heart without its emoji selector counts as the same reaction as ❤️.
    await bob.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: '❤' });
    const hearts = await alice.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: '❤️' });
    assert.deepEqual(hearts.message.reactions?.map((r) => [r.emoji, r.count]), [['👍', 2], ['❤️', 2]]);

    const twice = await bob.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: '👍' });
    assert.equal(twice.message.reactions?.[0]?.count, 2);
    await bob.requestOk({ t: 'reaction.remove', messageId: sent.messageId, emoji: '👍' });
    const removedAgain = await bob.requestOk({ t: 'reaction.remove', messageId: sent.messageId, emoji: '👍' });
    assert.deepEqual(removedAgain.message.reactions?.[0], { emoji: '👍', count: 1, uids: ['x-alice'] });

    for (const emoji of ['a', '👍👍', '', ' 👍', 'ok👍', 42]) {
      const error = await bob.requestError({ t: 'reaction.add', messageId: sent.messageId, emoji });
      assert.equal(error.reason, 'INVALID_REACTION', `emoji ${JSON.stringify(emoji)}`);
    }
    const outsider = await server.connect('x-eve');
    assert.equal((await outsider.requestError({ t: 'reaction.add', messageId: sent.messageId, emoji: '👍' })).reason, 'MESSAGE_NOT_FOUND');

    const [stored] = await fullHistory(outsider, { channel: 'x-room' });
    assert.deepEqual(stored!.reactions, [
      { emoji: '👍', count: 1, uids: ['x-alice'] },
      { emoji: '❤️', count: 2, uids: ['x-bob', 'x-alice'] },
    ]);
  });

  it(`a message carries at most ${MAX_REACTIONS_PER_MESSAGE} different emoji`, async () => {
    const alice = await server.connect('m-alice');
    const sent = await sendPeer(alice, 'm-bob', 'react to me');
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂🤗🤩🤔🫡🤨😐😑😶🫥😏😒🙄😬'];
    assert.ok(emoji.length > MAX_REACTIONS_PER_MESSAGE);
    for (const e of emoji.slice(0, MAX_REACTIONS_PER_MESSAGE)) await alice.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: e });
    const over = await alice.requestError({ t: 'reaction.add', messageId: sent.messageId, emoji: emoji[MAX_REACTIONS_PER_MESSAGE] });
    assert.equal(over.reason, 'INVALID_REACTION');
    // One more user on an emoji already there is fine.
    const bob = await server.connect('m-bob');
    const more = await bob.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: emoji[0]! });
    assert.equal(more.message.reactions?.length, MAX_REACTIONS_PER_MESSAGE);
  });

  it('delete for me: gone from my history and preview on every device, the other side keeps it', async () => {
    const alice = await server.connect('d-alice');
    const alicePhone = await server.connect('d-alice');
    const bob = await server.connect('d-bob');
    const keep = await sendPeer(bob, 'd-alice', 'keep');
    const drop = await sendPeer(bob, 'd-alice', 'drop');
    const { changeSeq } = await alice.requestOk({ t: 'message.delete', messageId: drop.messageId });
    const pushed = await alicePhone.next('message.deleted');
    assert.deepEqual(pushed, { t: 'message.deleted', messageId: drop.messageId, seq: drop.seq, changeSeq, peer: 'd-bob' });
    await bob.expectNone('message.deleted', 50);

    assert.deepEqual((await fullHistory(alicePhone, { peer: 'd-bob' })).map((m) => m.id), [keep.messageId]);
    assert.deepEqual((await fullHistory(bob, { peer: 'd-alice' })).map((m) => m.id), [keep.messageId, drop.messageId]);
    const mine = (await alice.requestOk({ t: 'conversations' })).conversations.find((c) => c.id === 'd-bob');
    assert.equal(mine?.lastMessage?.id, keep.messageId);
    const sync = await alice.requestOk({ t: 'sync', peer: 'd-bob', afterSeq: 0, limit: 100 });
    assert.deepEqual(sync.messages.map((m) => m.id), [keep.messageId]);

    // What I deleted is not there for me to react to or edit; deleting again is fine.
    assert.equal((await alice.requestError({ t: 'reaction.add', messageId: drop.messageId, emoji: '👍' })).reason, 'MESSAGE_NOT_FOUND');
    const again = await alice.requestOk({ t: 'message.delete', messageId: drop.messageId });
    assert.equal(again.changeSeq, changeSeq);
    const eve = await server.connect('d-eve');
    assert.equal((await eve.requestError({ t: 'message.delete', messageId: keep.messageId })).reason, 'MESSAGE_NOT_FOUND');
  });

  it('a client that was away catches up through changes: each changed message once, in its final state', async () => {
    const alice = await server.connect('o-alice');
    const bob = await server.connect('o-bob');
    const carolTab = await server.connect('o-carol');
    for (const uid of ['o-alice', 'o-bob', 'o-carol']) {
      const c = uid === 'o-alice' ? alice : uid === 'o-bob' ? bob : carolTab;
      await c.requestOk({ t: 'channel.join', channel: 'o-room' });
    }
    const sends: { messageId: string }[] = [];
    for (const word of ['one', 'two', 'three', 'four']) {
      sends.push(await alice.requestOk({ t: 'channel.send', channel: 'o-room', cmid: cmid(), message: text(word) }));
    }
    const seen = await carolTab.requestOk({ t: 'history', channel: 'o-room', limit: 100 });
    const cursor = seen.changeSeq;
    carolTab.close();

    await alice.requestOk({ t: 'message.edit', messageId: sends[0]!.messageId, cmid: cmid('e'), message: text('one (edited)') });
    await alice.requestOk({ t: 'message.edit', messageId: sends[0]!.messageId, cmid: cmid('e'), message: text('one (edited twice)') });
    await alice.requestOk({ t: 'message.retract', messageId: sends[1]!.messageId });
    await bob.requestOk({ t: 'reaction.add', messageId: sends[2]!.messageId, emoji: '🎉' });
    await alice.requestOk({ t: 'reaction.add', messageId: sends[2]!.messageId, emoji: '🎉' });
    await bob.requestOk({ t: 'message.delete', messageId: sends[3]!.messageId }); // bob's business only

    const carol = await server.connect('o-carol');
    const caught = await allChanges(carol, { channel: 'o-room' }, cursor, 1);
    const byId = new Map(caught.changes.map((c) => ['message' in c ? c.message.id : c.deleted.id, c]));
    assert.equal(caught.changes.length, 3, 'each changed message once; bob’s delete is not carol’s');
    const message = (id: string) => (byId.get(id) as { message: StoredMessage }).message;
    assert.deepEqual(message(sends[0]!.messageId).message, text('one (edited twice)'));
    assert.deepEqual(message(sends[1]!.messageId).message, { type: 'RETRACTED' });
    assert.deepEqual(message(sends[2]!.messageId).reactions, [{ emoji: '🎉', count: 2, uids: ['o-bob', 'o-alice'] }]);
    const numbers = caught.changes.map((c) => c.changeSeq);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));

    // Nothing new after the cursor it got.
    const none = await carol.requestOk({ t: 'changes', channel: 'o-room', afterChangeSeq: caught.changeSeq, limit: 10 });
    assert.deepEqual(none.changes, []);
    // Bob's view: his delete, after his latest cursor.
    const bobs = await allChanges(bob, { channel: 'o-room' }, cursor);
    assert.ok(bobs.changes.some((c) => 'deleted' in c && c.deleted.id === sends[3]!.messageId));
    assert.ok(!bobs.changes.some((c) => 'message' in c && c.message.id === sends[3]!.messageId));
  });
});

/**
 * The REST routes a backend uses on one user's behalf, against a real server: adding and removing
 * that user's reaction (`…/reactions/add`, `…/reactions/remove`) and deleting a message for that
 * user only (`…/delete_for_user`). What a user would notice: their open connections hear of it at
 * once, history and changes show it from then on, and the other user's view is untouched. Every
 * refusal is typed and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_REACTIONS_PER_MESSAGE, type RestDeleteForUserBody, type RestMessageChangeBody, type StoredMessage } from '../../src/protocol/index.js';
import { fullHistory, startTestServer, text, type TestClient, type TestServer } from './helpers.js';
import { assertFailure, deleteForUserPath, get, historyPath, post, reactionPath, retractPath, tokenHeaders, type RestAnswer } from './rest-helpers.js';

/** Asserts a 200 of a reaction route: the three fields, this code and the message; returns it. */
function assertReacted(answer: RestAnswer<unknown>, code: 'reaction_added' | 'reaction_removed'): StoredMessage {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const body = answer.body as RestMessageChangeBody;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'request_id', 'result']);
  assert.deepEqual([body.result, body.code], ['success', code]);
  assert.match(body.request_id, /^[0-9a-f-]{36}$/);
  return body.message;
}

function assertDeleted(answer: RestAnswer<unknown>): void {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const body = answer.body as RestDeleteForUserBody;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'request_id', 'result']);
  assert.deepEqual([body.result, body.code], ['success', 'message_deleted']);
}

/** 33 different emoji (😀 … 😠): one more than a message may carry. */
const EMOJI = Array.from({ length: MAX_REACTIONS_PER_MESSAGE + 1 }, (_, i) => String.fromCodePoint(0x1f600 + i));

describe('REST API: reactions and delete for a user', () => {
  let t: TestServer;
  let cmid = 0;

  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  async function sendPeer(from: TestClient, to: string, body: string) {
    return from.requestOk({ t: 'peer.send', to, cmid: `m${++cmid}`, message: text(body), offline: true });
  }

  it('a backend reacts for a user: both users’ connections get the change live, history has it; again is a no-op', async () => {
    const alice = await t.connect('rr-alice');
    const bob = await t.connect('rr-bob');
    const bobPhone = await t.connect('rr-bob');
    const sent = await sendPeer(alice, 'rr-bob', 'dinner at 8?');
    await bob.next('peer.message');
    await bobPhone.next('peer.message');

    const liked = assertReacted(await post(t, reactionPath(sent.messageId), { user_id: 'rr-bob', emoji: '👍' }), 'reaction_added');
    assert.deepEqual(liked.reactions, [{ emoji: '👍', count: 1, uids: ['rr-bob'] }]);
    assert.equal(liked.changeSeq, 1);
    // No connection made the change, so every one of the conversation hears of it, bob's own too.
    for (const client of [alice, bob, bobPhone]) {
      const push = await client.next('message.changed');
      assert.deepEqual(push.change, { kind: 'reaction', emoji: '👍', uid: 'rr-bob', added: true });
      assert.deepEqual(push.message, liked);
    }
    const [stored] = await fullHistory(alice, { peer: 'rr-bob' });
    assert.deepEqual(stored!.reactions, [{ emoji: '👍', count: 1, uids: ['rr-bob'] }]);

    // Adding it again answers the same and tells nobody anything.
    assert.deepEqual(assertReacted(await post(t, reactionPath(sent.messageId), { user_id: 'rr-bob', emoji: '👍' }), 'reaction_added'), liked);
    // A text-style symbol counts as its emoji form, as on the gateway.
    const hearts = assertReacted(await post(t, reactionPath(sent.messageId), { user_id: 'rr-alice', emoji: '❤' }), 'reaction_added');
    assert.deepEqual(hearts.reactions!.map((r) => r.emoji), ['👍', '❤️']);
    assert.deepEqual((await bob.next('message.changed')).change, { kind: 'reaction', emoji: '❤️', uid: 'rr-alice', added: true });

    const unliked = assertReacted(await post(t, reactionPath(sent.messageId, false), { user_id: 'rr-bob', emoji: '👍' }), 'reaction_removed');
    assert.deepEqual(unliked.reactions, [{ emoji: '❤️', count: 1, uids: ['rr-alice'] }]);
    for (const client of [alice, bob]) {
      assert.deepEqual((await client.next('message.changed', { where: (f) => f.change.kind === 'reaction' && !f.change.added })).message, unliked);
    }
    // Removing what is not there: a success that changes nothing.
    assertReacted(await post(t, reactionPath(sent.messageId, false), { user_id: 'rr-bob', emoji: '👍' }), 'reaction_removed');
    await bob.expectNone('message.changed', 50);
    assert.deepEqual((await fullHistory(bob, { peer: 'rr-alice' }))[0], unliked);
  });

  it('in a channel only members react; the joined connections get it', async () => {
    const alice = await t.connect('rc-alice');
    const bob = await t.connect('rc-bob');
    for (const client of [alice, bob]) await client.requestOk({ t: 'channel.join', channel: 'rc room' });
    const sent = await alice.requestOk({ t: 'channel.send', channel: 'rc room', cmid: `m${++cmid}`, message: text('release is out') });
    await bob.next('channel.message');

    assertReacted(await post(t, reactionPath(sent.messageId), { user_id: 'rc-bob', emoji: '🎉' }), 'reaction_added');
    for (const client of [alice, bob]) assert.equal((await client.next('message.changed')).change.kind, 'reaction');
    // Someone who never joined: the message is not theirs to find.
    assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rc-outsider', emoji: '🎉' }), 404, 'MESSAGE_NOT_FOUND');
    await alice.expectNone('message.changed', 50);
    const [stored] = await fullHistory(alice, { channel: 'rc room' });
    assert.deepEqual(stored!.reactions, [{ emoji: '🎉', count: 1, uids: ['rc-bob'] }]);
  });

  it('refuses bad reactions with typed errors: not one emoji, a 33rd emoji, a retracted message, someone else’s conversation', async () => {
    const alice = await t.connect('rb-alice');
    const bob = await t.connect('rb-bob');
    const sent = await sendPeer(alice, 'rb-bob', 'react to me');
    const gone = await sendPeer(alice, 'rb-bob', 'retract me');
    assert.equal((await post(t, retractPath(gone.messageId), {})).status, 200);
    await bob.next('message.changed');
    await bob.messages('peer.message', 2);

    for (const emoji of ['ok', '👍👍', '', '👍 nice', 5, null, ['👍']]) {
      assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rb-bob', emoji }), 400, 'INVALID_REACTION');
    }
    assert.match(assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rb-bob' }), 400, 'INVALID_FIELD'), /"emoji"/);
    assert.match(assertFailure(await post(t, reactionPath(sent.messageId), { emoji: '👍' }), 400, 'INVALID_FIELD'), /"user_id"/);
    assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rb-bob', emoji: '👍', reaction: '👍' }), 400, 'INVALID_FIELD');
    assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rb bob ', emoji: '👍' }), 400, 'INVALID_USER_ID');
    assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 42, emoji: '👍' }), 400, 'INVALID_USER_ID');
    assertFailure(await post(t, reactionPath(sent.messageId), ['👍']), 400, 'INVALID_ARGUMENT');
    assertFailure(await post(t, reactionPath('bad id'), { user_id: 'rb-bob', emoji: '👍' }), 400, 'INVALID_FIELD');
    assertFailure(await post(t, reactionPath('no-such-message'), { user_id: 'rb-bob', emoji: '👍' }), 404, 'MESSAGE_NOT_FOUND');
    assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rb-eve', emoji: '👍' }), 404, 'MESSAGE_NOT_FOUND');
    assertFailure(await post(t, reactionPath(gone.messageId), { user_id: 'rb-bob', emoji: '👍' }), 409, 'MESSAGE_RETRACTED');
    await bob.expectNone('message.changed', 50);

    for (const emoji of EMOJI.slice(0, MAX_REACTIONS_PER_MESSAGE)) {
      assertReacted(await post(t, reactionPath(sent.messageId), { user_id: 'rb-bob', emoji }), 'reaction_added');
    }
    const full = (await fullHistory(alice, { peer: 'rb-bob' })).find((m) => m.id === sent.messageId)!;
    assert.equal(full.reactions!.length, MAX_REACTIONS_PER_MESSAGE);
    const tooMany = assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rb-alice', emoji: EMOJI.at(-1) }), 400, 'INVALID_REACTION');
    assert.match(tooMany, new RegExp(`${MAX_REACTIONS_PER_MESSAGE}`));
    // One of the 32 already there is still fine for another user.
    const more = assertReacted(await post(t, reactionPath(sent.messageId), { user_id: 'rb-alice', emoji: EMOJI[0] }), 'reaction_added');
    assert.equal(more.reactions![0]!.count, 2);
    assert.equal(more.reactions!.length, MAX_REACTIONS_PER_MESSAGE);
  });

  it('with token auth a user reacts and deletes only as themself', async () => {
    const alice = await t.connect('rt-alice');
    const bob = await t.connect('rt-bob');
    const sent = await sendPeer(alice, 'rt-bob', 'token me');
    await bob.next('peer.message');
    const asBob = await tokenHeaders(t, 'rt-bob');

    assertReacted(await post(t, reactionPath(sent.messageId), { user_id: 'rt-bob', emoji: '👀' }, { headers: asBob }), 'reaction_added');
    assert.equal((await alice.next('message.changed')).change.kind, 'reaction');
    assert.match(
      assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rt-alice', emoji: '👀' }, { headers: asBob }), 401, 'TOKEN_MISMATCH'),
      /"user_id"/,
    );
    assertFailure(await post(t, deleteForUserPath(sent.messageId), { user_id: 'rt-alice' }, { headers: asBob }), 401, 'TOKEN_MISMATCH');
    assertFailure(await post(t, reactionPath(sent.messageId), { user_id: 'rt-bob', emoji: '👀' }, { headers: { 'content-type': 'application/json' } }), 401, 'MISSING_CREDENTIALS');
    assertDeleted(await post(t, deleteForUserPath(sent.messageId), { user_id: 'rt-bob' }, { headers: asBob }));
    assert.equal((await bob.next('message.deleted')).messageId, sent.messageId);
    await alice.expectNone('message.changed', 50);
    assert.deepEqual((await fullHistory(alice, { peer: 'rt-bob' })).map((m) => m.id), [sent.messageId]);
  });

  it('a backend deletes a message for one user: gone from their history on every device, the other user keeps it', async () => {
    const alice = await t.connect('rd-alice');
    const bob = await t.connect('rd-bob');
    const bobPhone = await t.connect('rd-bob');
    const keep = await sendPeer(alice, 'rd-bob', 'see you tomorrow');
    const drop = await sendPeer(alice, 'rd-bob', 'my card number is 4111…');
    await bob.messages('peer.message', 2);
    await bobPhone.messages('peer.message', 2);
    const bobBefore = await bob.requestOk({ t: 'history', peer: 'rd-alice', limit: 100 });

    assertDeleted(await post(t, deleteForUserPath(drop.messageId), { user_id: 'rd-bob' }));
    // Both of bob's connections drop it now; alice hears nothing (her copy did not change).
    for (const client of [bob, bobPhone]) {
      const push = await client.next('message.deleted');
      assert.deepEqual([push.messageId, push.peer, push.seq], [drop.messageId, 'rd-alice', drop.seq]);
    }
    await alice.expectNone('message.deleted', 50);
    await alice.expectNone('message.changed', 0);

    assert.deepEqual((await fullHistory(bob, { peer: 'rd-alice' })).map((m) => m.id), [keep.messageId]);
    const restView = (await get(t, historyPath('rd-bob', { peer: 'rd-alice' }))).body as unknown as { messages: StoredMessage[] };
    assert.deepEqual(restView.messages.map((m) => m.id), [keep.messageId]);
    // A device that was away learns it from `changes`.
    const { changes } = await bob.requestOk({ t: 'changes', peer: 'rd-alice', afterChangeSeq: bobBefore.changeSeq, limit: 100 });
    assert.deepEqual(changes.map((c) => ('deleted' in c ? c.deleted.id : undefined)), [drop.messageId]);
    const aliceView = await fullHistory(alice, { peer: 'rd-bob' });
    assert.deepEqual(aliceView.map((m) => m.id), [keep.messageId, drop.messageId]);
    assert.deepEqual(aliceView[1]!.message, text('my card number is 4111…'));

    // Deleting again succeeds and tells nobody; what bob deleted is gone for his reactions too.
    assertDeleted(await post(t, deleteForUserPath(drop.messageId), { user_id: 'rd-bob' }));
    await bob.expectNone('message.deleted', 50);
    assertFailure(await post(t, reactionPath(drop.messageId), { user_id: 'rd-bob', emoji: '👍' }), 404, 'MESSAGE_NOT_FOUND');
    // Alice, who did not delete it, still reacts to it.
    assertReacted(await post(t, reactionPath(drop.messageId), { user_id: 'rd-alice', emoji: '👍' }), 'reaction_added');
  });

  it('delete_for_user refuses bad input with typed errors, changing nothing', async () => {
    const alice = await t.connect('rx-alice');
    const bob = await t.connect('rx-bob');
    const sent = await sendPeer(alice, 'rx-bob', 'stays');
    await bob.next('peer.message');

    assert.match(assertFailure(await post(t, deleteForUserPath(sent.messageId), {}), 400, 'INVALID_FIELD'), /"user_id"/);
    assertFailure(await post(t, deleteForUserPath(sent.messageId), { user_id: 'rx-bob', everyone: true }), 400, 'INVALID_FIELD');
    assertFailure(await post(t, deleteForUserPath(sent.messageId), { user_id: 'rx/bob' }), 400, 'INVALID_USER_ID');
    assertFailure(await post(t, deleteForUserPath(sent.messageId), undefined), 400, 'INVALID_ARGUMENT');
    assertFailure(await post(t, deleteForUserPath('../../etc/passwd'), { user_id: 'rx-bob' }), 400, 'INVALID_FIELD');
    assertFailure(await post(t, deleteForUserPath('no-such-message'), { user_id: 'rx-bob' }), 404, 'MESSAGE_NOT_FOUND');
    // Someone outside the peer conversation has no copy to delete.
    assertFailure(await post(t, deleteForUserPath(sent.messageId), { user_id: 'rx-eve' }), 404, 'MESSAGE_NOT_FOUND');

    await bob.expectNone('message.deleted', 50);
    for (const [client, peer] of [[alice, 'rx-bob'], [bob, 'rx-alice']] as const) {
      assert.deepEqual((await fullHistory(client, { peer })).map((m) => m.message), [text('stays')]);
    }
  });
});

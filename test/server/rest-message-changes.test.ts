/**
 * The REST routes for messages that change, against a real server: a backend retracts and edits
 * (Basic auth: moderation, any message at any time), a user does so with token auth under the
 * SDK's rules, and the history query returns one user's view of a conversation in its current
 * state. Every change reaches the connected clients as `message.changed`; every refusal is typed
 * and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  MAX_HISTORY_PAGE,
  RETRACT_WINDOW_MS,
  type RestErrorBody,
  type RestHistoryBody,
  type RestMessageChangeBody,
  type StoredMessage,
} from '../../src/protocol/index.js';
import { fullHistory, manualClock, startTestServer, text, type TestClient, type TestServer } from './helpers.js';
import {
  assertFailure,
  basic,
  demoCredentials,
  editPath,
  get,
  historyPath,
  post,
  retractPath,
  tokenHeaders,
  type RestAnswer,
} from './rest-helpers.js';
import { authOf, hookApp } from './webhooks-helpers.js';

const RETRACTED = { type: 'RETRACTED' };

/** Asserts a 200 of a retract or edit: the three fields, this code and the message; returns it. */
function assertChanged(answer: RestAnswer<unknown>, code: RestMessageChangeBody['code']): StoredMessage {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const body = answer.body as RestMessageChangeBody;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'request_id', 'result']);
  assert.equal(body.result, 'success');
  assert.equal(body.code, code);
  assert.match(body.request_id, /^[0-9a-f-]{36}$/);
  return body.message;
}

/** Asserts a 200 of a history query; returns the page. */
function assertPage(answer: RestAnswer<unknown>): RestHistoryBody {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const body = answer.body as RestHistoryBody;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'has_more', 'messages', 'request_id', 'result']);
  assert.equal(body.result, 'success');
  assert.equal(body.code, 'ok');
  return body;
}

const textOf = (message: StoredMessage) => (message.message as { text?: string }).text;

describe('REST API: retract, edit and history', () => {
  const clock = manualClock();
  let t: TestServer;
  let cmid = 0;
  const other = hookApp('other', undefined);

  before(async () => {
    t = await startTestServer({ now: clock.now, config: { apps: [other] } });
  });
  after(() => t.close());

  async function sendPeer(from: TestClient, to: string, body: string, message: unknown = text(body)) {
    return from.requestOk({ t: 'peer.send', to, cmid: `m${++cmid}`, message: message as never, offline: true });
  }

  /** A retract with no body at all (no Content-Type either), as `curl -X POST` sends it. */
  function retractWithoutBody(messageId: string, headers: Record<string, string> = { authorization: basicAuth() }) {
    return post(t, retractPath(messageId), undefined, { headers });
  }

  const basicAuth = () => {
    const { restKey, restSecret } = demoCredentials(t);
    return basic(restKey, restSecret);
  };

  it('a backend retracts any message, also after 3 minutes: both users’ connections get message.changed, history keeps the placeholder', async () => {
    const alice = await t.connect('ra-alice');
    const aliceTab = await t.connect('ra-alice');
    const bob = await t.connect('ra-bob');
    const sent = await sendPeer(alice, 'ra-bob', 'buy cheap watches at …');
    await bob.next('peer.message');
    await aliceTab.next('peer.message');
    clock.advance(RETRACT_WINDOW_MS + 60_000); // too late for the sender; not for moderation

    const message = assertChanged(await retractWithoutBody(sent.messageId), 'message_retracted');
    assert.deepEqual(message.message, RETRACTED);
    assert.equal(message.retractedAt, clock.now());
    assert.equal(message.changeSeq, 1);
    assert.equal(message.from, 'ra-alice');
    // No connection made the change, so every one of the conversation hears of it, the sender's too.
    for (const client of [alice, aliceTab, bob]) {
      const push = await client.next('message.changed');
      assert.deepEqual(push.change, { kind: 'retracted' });
      assert.deepEqual(push.message, message);
    }

    const [stored] = await fullHistory(bob, { peer: 'ra-alice' });
    assert.deepEqual(stored, message);
    assert.doesNotMatch(JSON.stringify(await fullHistory(alice, { peer: 'ra-bob' })), /watches/);

    // Again, with an empty JSON body this time: the same answer, nothing changes, nobody is told.
    const again = assertChanged(await post(t, retractPath(sent.messageId), {}), 'message_retracted');
    assert.deepEqual(again, message);
    await bob.expectNone('message.changed', 50);
  });

  it('a backend retracts a channel message: every joined connection gets it', async () => {
    const alice = await t.connect('rc-alice');
    const bob = await t.connect('rc-bob');
    for (const client of [alice, bob]) await client.requestOk({ t: 'channel.join', channel: 'rc-room' });
    const sent = await alice.requestOk({ t: 'channel.send', channel: 'rc-room', cmid: `m${++cmid}`, message: text('spam') });
    await bob.next('channel.message');
    assertChanged(await retractWithoutBody(sent.messageId), 'message_retracted');
    const push = await bob.next('message.changed');
    assert.equal(push.message.channel, 'rc-room');
    assert.deepEqual(push.message.message, RETRACTED);
    assert.deepEqual((await alice.next('message.changed')).message.id, sent.messageId);
  });

  it('a backend edits a TEXT message: the new text reaches both users, last edit wins, reactions stay', async () => {
    const alice = await t.connect('ea-alice');
    const bob = await t.connect('ea-bob');
    const sent = await sendPeer(alice, 'ea-bob', 'the meeting is at 10');
    await bob.next('peer.message');
    await bob.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: '👍' });
    await alice.next('message.changed');
    clock.advance(10 * 60_000);

    const first = assertChanged(await post(t, editPath(sent.messageId), { payload: 'the meeting is at 11' }), 'message_edited');
    assert.deepEqual(first.message, text('the meeting is at 11'));
    assert.equal(first.editedAt, clock.now());
    assert.deepEqual(first.reactions, [{ emoji: '👍', count: 1, uids: ['ea-bob'] }]);
    for (const client of [alice, bob]) {
      const push = await client.next('message.changed');
      assert.deepEqual(push.change, { kind: 'edited' });
      assert.deepEqual(push.message.message, text('the meeting is at 11'));
    }

    clock.advance(1000);
    const second = assertChanged(await post(t, editPath(sent.messageId), { payload: 'the meeting is at 11:30' }), 'message_edited');
    assert.equal(second.editedAt, clock.now());
    assert.ok(second.changeSeq! > first.changeSeq!);
    const [stored] = await fullHistory(bob, { peer: 'ea-alice' });
    assert.deepEqual(stored!.message, text('the meeting is at 11:30'));
    assert.equal(stored!.id, sent.messageId);
    assert.match(stored!.cmid, /^m\d+$/, 'the message keeps the cmid it was sent with');
  });

  it('a backend cannot edit what is not TEXT or was retracted (409), nor with a bad body (400); nothing changes', async () => {
    const alice = await t.connect('eb-alice');
    const bob = await t.connect('eb-bob');
    const raw = await sendPeer(alice, 'eb-bob', '', { type: 'RAW', data: 'AAEC' });
    const plain = await sendPeer(alice, 'eb-bob', 'keep me');
    const gone = await sendPeer(alice, 'eb-bob', 'retract me');
    assertChanged(await retractWithoutBody(gone.messageId), 'message_retracted');
    await bob.next('message.changed');

    assert.match(assertFailure(await post(t, editPath(raw.messageId), { payload: 'x' }), 409, 'MESSAGE_NOT_EDITABLE'), /RAW/);
    assertFailure(await post(t, editPath(gone.messageId), { payload: 'back' }), 409, 'MESSAGE_RETRACTED');
    assertFailure(await post(t, editPath(plain.messageId), { payload: '' }), 400, 'MESSAGE_EMPTY');
    assertFailure(await post(t, editPath(plain.messageId), { payload: 'a\u0000b' }), 400, 'INVALID_MESSAGE');
    assertFailure(await post(t, editPath(plain.messageId), { payload: 'x'.repeat(40_000) }), 400, 'MESSAGE_TOO_LARGE');
    assert.match(assertFailure(await post(t, editPath(plain.messageId), { text: 'x' }), 400, 'INVALID_FIELD'), /"payload"/);
    assertFailure(await post(t, editPath(plain.messageId), { payload: 5 }), 400, 'INVALID_FIELD');
    assertFailure(await post(t, editPath(plain.messageId), ['x']), 400, 'INVALID_ARGUMENT');
    assertFailure(await post(t, editPath(plain.messageId), undefined, { headers: { authorization: basicAuth() } }), 400, 'INVALID_ARGUMENT');
    const asText = { authorization: basicAuth(), 'content-type': 'text/plain' };
    assertFailure(await post(t, editPath(plain.messageId), undefined, { headers: asText, raw: '{"payload":"x"}' }), 400, 'INVALID_ARGUMENT');

    await bob.expectNone('message.changed', 50);
    const history = await fullHistory(bob, { peer: 'eb-alice' });
    assert.deepEqual(history.map((m) => [m.message, m.editedAt]), [
      [{ type: 'RAW', data: 'AAEC' }, undefined],
      [text('keep me'), undefined],
      [RETRACTED, undefined],
    ]);
  });

  it('with token auth a user acts under the SDK’s rules: only their own messages, retract within 3 minutes', async () => {
    const alice = await t.connect('ta-alice');
    const bob = await t.connect('ta-bob');
    const mine = await sendPeer(alice, 'ta-bob', 'mine');
    const theirs = await sendPeer(bob, 'ta-alice', 'theirs');
    const eve = await t.connect('ta-eve');
    const elsewhere = await sendPeer(eve, 'ta-bob', 'not alice’s conversation');
    const asAlice = await tokenHeaders(t, 'ta-alice');

    const edited = assertChanged(await post(t, editPath(mine.messageId), { payload: 'mine, edited' }, { headers: asAlice }), 'message_edited');
    assert.deepEqual(edited.message, text('mine, edited'));
    // Her open connection did not make the change: it hears of it like bob's.
    assert.deepEqual((await alice.next('message.changed', { where: (f) => f.message.id === mine.messageId })).change, { kind: 'edited' });

    assert.match(assertFailure(await post(t, editPath(theirs.messageId), { payload: 'x' }, { headers: asAlice }), 403, 'NOT_MESSAGE_SENDER'), /ta-bob/);
    assertFailure(await post(t, retractPath(theirs.messageId), {}, { headers: asAlice }), 403, 'NOT_MESSAGE_SENDER');
    assertFailure(await post(t, retractPath(elsewhere.messageId), {}, { headers: asAlice }), 404, 'MESSAGE_NOT_FOUND');
    assertFailure(await post(t, editPath(elsewhere.messageId), { payload: 'x' }, { headers: asAlice }), 404, 'MESSAGE_NOT_FOUND');

    clock.advance(RETRACT_WINDOW_MS + 1);
    const late = assertFailure(await post(t, retractPath(mine.messageId), {}, { headers: await tokenHeaders(t, 'ta-alice') }), 409, 'RETRACT_WINDOW_PASSED');
    assert.match(late, /3 minutes/);

    const fresh = await sendPeer(alice, 'ta-bob', 'sent just now');
    const headers = await tokenHeaders(t, 'ta-alice');
    const retracted = assertChanged(await retractWithoutBody(fresh.messageId, { 'x-agora-token': headers['x-agora-token']!, 'x-agora-uid': 'ta-alice' }), 'message_retracted');
    assert.deepEqual(retracted.message, RETRACTED);

    const history = await fullHistory(bob, { peer: 'ta-alice' });
    assert.deepEqual(history.map((m) => m.message), [text('mine, edited'), text('theirs'), RETRACTED]);
    assert.deepEqual((await fullHistory(bob, { peer: 'ta-eve' })).map(textOf), ['not alice’s conversation']);
  });

  it('refuses unknown and malformed message ids, bodies on a retraction, and messages of another app', async () => {
    const alice = await t.connect('ia-alice');
    const bob = await t.connect('ia-bob');
    const sent = await sendPeer(alice, 'ia-bob', 'stays');

    assert.match(assertFailure(await retractWithoutBody('no-such-message'), 404, 'MESSAGE_NOT_FOUND'), /in this app/);
    assertFailure(await post(t, editPath('no-such-message'), { payload: 'x' }), 404, 'MESSAGE_NOT_FOUND');
    for (const bad of ['bad id', 'a.b', 'x'.repeat(65), '<script>', '😀']) {
      assert.match(assertFailure(await retractWithoutBody(bad), 400, 'INVALID_FIELD'), /<message_id>/, bad);
      assertFailure(await post(t, editPath(bad), { payload: 'x' }), 400, 'INVALID_FIELD');
    }
    assertFailure(await post(t, retractPath(sent.messageId), { reason: 'spam' }), 400, 'INVALID_FIELD');
    assertFailure(await post(t, retractPath(sent.messageId), 'spam'), 400, 'INVALID_ARGUMENT');
    const asText = { authorization: basicAuth(), 'content-type': 'text/plain' };
    assertFailure(await post(t, retractPath(sent.messageId), undefined, { headers: asText, raw: 'spam' }), 400, 'INVALID_ARGUMENT');

    // Another app's credentials do not reach this app's messages, and its own path names no such message.
    const otherAuth = { authorization: authOf(other), 'content-type': 'application/json' };
    assertFailure(await post(t, retractPath(sent.messageId, 'other'), {}, { headers: otherAuth }), 404, 'MESSAGE_NOT_FOUND');
    assertFailure(await post(t, retractPath(sent.messageId, 'demo'), {}, { headers: otherAuth }), 401, 'INVALID_CREDENTIALS');
    assertFailure(await post(t, editPath(sent.messageId), { payload: 'x' }, { headers: { 'content-type': 'application/json' } }), 401, 'MISSING_CREDENTIALS');
    const forgedToken = { 'x-agora-token': 'not.a.token', 'x-agora-uid': 'ia-alice' };
    assertFailure(await retractWithoutBody(sent.messageId, forgedToken), 401, 'INVALID_TOKEN');

    await bob.expectNone('message.changed', 50);
    const [stored] = await fullHistory(bob, { peer: 'ia-alice' });
    assert.deepEqual([stored!.message, stored!.changeSeq], [text('stays'), undefined]);
  });

  it('history: one user’s view, newest first, in its current state, without what they deleted for themself', async () => {
    const alice = await t.connect('ha-alice');
    const bob = await t.connect('ha-bob');
    const first = await sendPeer(alice, 'ha-bob', 'first');
    const typo = await sendPeer(alice, 'ha-bob', 'helo');
    const oops = await sendPeer(alice, 'ha-bob', 'oops');
    const forBobOnly = await sendPeer(alice, 'ha-bob', 'bob deletes this for himself');
    const last = await sendPeer(bob, 'ha-alice', 'last');
    await alice.requestOk({ t: 'message.edit', messageId: typo.messageId, cmid: 'fix-typo', message: text('hello') });
    await alice.requestOk({ t: 'message.retract', messageId: oops.messageId });
    await bob.requestOk({ t: 'reaction.add', messageId: first.messageId, emoji: '🎉' });
    await alice.requestOk({ t: 'reaction.add', messageId: first.messageId, emoji: '🎉' });
    await bob.requestOk({ t: 'message.delete', messageId: forBobOnly.messageId });

    const page = assertPage(await get(t, historyPath('ha-bob', { peer: 'ha-alice' })));
    assert.equal(page.has_more, false);
    assert.deepEqual(page.messages.map((m) => m.id), [last.messageId, oops.messageId, typo.messageId, first.messageId]);
    // Exactly what the WebSocket history gives bob (newest first there too).
    const viaSocket = await bob.requestOk({ t: 'history', peer: 'ha-alice', limit: MAX_HISTORY_PAGE });
    assert.deepEqual(page.messages, viaSocket.messages);
    const [lastMsg, oopsMsg, typoMsg, firstMsg] = page.messages;
    assert.deepEqual(lastMsg!.message, text('last'));
    assert.deepEqual([oopsMsg!.message, typeof oopsMsg!.retractedAt], [RETRACTED, 'number']);
    assert.deepEqual([typoMsg!.message, typoMsg!.editedAt], [text('hello'), clock.now()]);
    assert.deepEqual(firstMsg!.reactions, [{ emoji: '🎉', count: 2, uids: ['ha-bob', 'ha-alice'] }]);
    assert.doesNotMatch(JSON.stringify(page), /oops|helo|deletes this/);

    // Alice did not delete it: her view still has it.
    const alicePage = assertPage(await get(t, historyPath('ha-alice', { peer: 'ha-bob' })));
    assert.deepEqual(alicePage.messages.map(textOf), ['last', 'bob deletes this for himself', undefined, 'hello', 'first']);

    // Paging back: limit, then before_seq = the seq of the last message of the page.
    const newest = assertPage(await get(t, historyPath('ha-alice', { peer: 'ha-bob' }, '?limit=2')));
    assert.deepEqual([newest.messages.map(textOf), newest.has_more], [['last', 'bob deletes this for himself'], true]);
    const older = assertPage(await get(t, historyPath('ha-alice', { peer: 'ha-bob' }, `?limit=2&before_seq=${newest.messages[1]!.seq}`)));
    assert.deepEqual([older.messages.map(textOf), older.has_more], [[undefined, 'hello'], true]);
    const oldest = assertPage(await get(t, historyPath('ha-alice', { peer: 'ha-bob' }, `?limit=2&before_seq=${older.messages[1]!.seq}`)));
    assert.deepEqual([oldest.messages.map(textOf), oldest.has_more], [['first'], false]);

    // With token auth: one's own view only.
    const asBob = await tokenHeaders(t, 'ha-bob');
    assert.deepEqual(assertPage(await get(t, historyPath('ha-bob', { peer: 'ha-alice' }), asBob)).messages, page.messages);
    assertFailure(await get(t, historyPath('ha-alice', { peer: 'ha-bob' }), asBob), 401, 'TOKEN_MISMATCH');
    assertFailure(await get(t, historyPath('ha-alice', { peer: 'ha-bob' }), {}), 401, 'MISSING_CREDENTIALS');
    // A conversation with no messages is an empty page, not an error.
    assert.deepEqual(assertPage(await get(t, historyPath('ha-alice', { peer: 'nobody-yet' }))).messages, []);
  });

  it('history of a channel, for a member or not', async () => {
    const alice = await t.connect('hc-alice');
    await alice.requestOk({ t: 'channel.join', channel: 'hc room' });
    const sent = await alice.requestOk({ t: 'channel.send', channel: 'hc room', cmid: `m${++cmid}`, message: text('welcome') });
    await alice.requestOk({ t: 'message.edit', messageId: sent.messageId, cmid: 'hc-edit', message: text('welcome, all') });
    const page = assertPage(await get(t, historyPath('hc-outsider', { channel: 'hc room' })));
    assert.deepEqual(page.messages.map((m) => [m.from, m.channel, m.message]), [['hc-alice', 'hc room', text('welcome, all')]]);
  });

  it('history refuses bad ids and query parameters with typed 400s', async () => {
    const cases: [string, RestErrorBody['code'], RegExp][] = [
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?limit=0'), 'INVALID_ARGUMENT', /limit/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, `?limit=${MAX_HISTORY_PAGE + 1}`), 'INVALID_ARGUMENT', /1 to 100/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?limit=ten'), 'INVALID_ARGUMENT', /limit/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?limit=2.5'), 'INVALID_ARGUMENT', /limit/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?limit=1&limit=2'), 'INVALID_ARGUMENT', /once/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?before_seq=0'), 'INVALID_ARGUMENT', /before_seq/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?before_seq=-3'), 'INVALID_ARGUMENT', /before_seq/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?before_seq=99999999999999999999'), 'INVALID_ARGUMENT', /before_seq/],
      [historyPath('hq-alice', { peer: 'hq-bob' }, '?beforeSeq=5'), 'INVALID_ARGUMENT', /"beforeSeq".*"before_seq"/],
      [historyPath('hq-alice', { peer: 'hq-bob ' }), 'INVALID_USER_ID', /<peer_id>/],
      [historyPath('hq-alice', { peer: 'x'.repeat(65) }), 'INVALID_USER_ID', /<peer_id>/],
      [historyPath('hq alice ', { peer: 'hq-bob' }), 'INVALID_USER_ID', /<user_id>/],
      [historyPath('hq-alice', { channel: 'a/b' }), 'INVALID_CHANNEL_NAME', /<channel_name>/],
      [historyPath('hq-alice', { channel: ' room' }), 'INVALID_CHANNEL_NAME', /<channel_name>/],
    ];
    for (const [path, reason, message] of cases) {
      assert.match(assertFailure(await get(t, path), 400, reason), message, path);
    }
  });
});

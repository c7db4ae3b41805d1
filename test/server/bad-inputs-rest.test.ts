/**
 * The bad-input corpus (test/fixtures/bad-inputs) against the REST API of a real server: every
 * refused case is answered with its status and the seed-004 body `{ result, request_id, code,
 * message }` (code = the stable reason, a message a developer can act on); accepted cases are
 * stored as sent; nothing refused is stored or delivered, and no prototype is polluted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RestHistoryBody, StoredMessage } from '../../src/protocol/index.js';
import { casesFor, isRefused, loadCorpus, makeToken, materialize } from '../fixtures/bad-inputs/load-node.js';
import type { BadInputCase, MessageChangeSpec, Outcome } from '../fixtures/bad-inputs/load-node.js';
import { assertUnchanged, storeForChange } from './bad-inputs-changes.js';
import { fullHistory, skewedClock, startTestServer, text, type TestClient, type TestServer } from './helpers.js';
import {
  assertFailure,
  assertSuccess,
  basic,
  channelPath,
  deleteForUserPath,
  demoCredentials,
  editPath,
  get,
  historyPath,
  peerPath,
  post,
  reactionPath,
  retractPath,
  type RestAnswer,
} from './rest-helpers.js';

const cases = casesFor(loadCorpus(), 'rest');

const SENDER = 'bi-rest-alice';
const BOB = 'bi-rest-bob';
const INERT = 'bi-rest-inert';
const ROOM = 'bi-rest-room';
const INERT_ROOM = 'bi-rest-inert-room';
/** The other user of the conversation where SENDER's messages are changed. */
const CHANGER = 'bi-rest-changer';

function assertNoPollution(): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
}

/** A user id as a URL path segment, or undefined when no URL can carry it. */
function pathSegmentOk(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 1000) return false;
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false; // a lone surrogate has no UTF-8 form
  }
}

describe('bad-input corpus: REST API', () => {
  // `messageChange` cases move the server clock ("3 minutes later").
  const clock = skewedClock();
  let t: TestServer;
  let auth: Record<string, string>;
  let bob: TestClient;
  /** SENDER and CHANGER logged in: messages whose ids the change routes get come from the socket. */
  let sender: TestClient;
  let changer: TestClient;
  /** SENDER's message to CHANGER that refused edits aim at: never changed. */
  let editTarget: StoredMessage;
  let changes = 0;
  const inertPeer: string[] = [];
  const inertRoom: string[] = [];
  /** Ids accepted as senders or receivers: who must find the message from or to them. */
  const acceptedIds: { from: string; to: string; payload: string }[] = [];

  /** A request, paced well under the 500/s limit so the corpus never meets a 429. */
  async function send(path: string, body: unknown, options?: Parameters<typeof post>[3]): Promise<RestAnswer> {
    await sleep(3);
    return post(t, path, body, options);
  }

  /** A GET, paced like `send`. */
  async function read(path: string): Promise<RestAnswer> {
    await sleep(3);
    return get(t, path);
  }

  /** Token auth as SENDER: the message routes then apply the SDK's rules to SENDER. */
  function asSender(): Record<string, string> {
    const token = makeToken({}, { uid: SENDER, appId: 'demo', secret: t.demoSecret, nowMs: clock.now() });
    return { 'x-agora-token': token, 'x-agora-uid': SENDER, 'content-type': 'application/json;charset=utf-8' };
  }

  function assertRefused(answer: RestAnswer, outcome: Outcome, what: string): void {
    assert.ok(isRefused(outcome));
    assert.ok(outcome.status && outcome.error, `${what}: a REST refusal names its status and reason`);
    const message = assertFailure(answer, outcome.status, outcome.error);
    assert.doesNotMatch(message, /<script|<img|<svg/i, `${what}: the message does not echo markup`);
  }

  before(async () => {
    t = await startTestServer({ now: clock.now });
    const { restKey, restSecret } = demoCredentials(t);
    auth = { authorization: basic(restKey, restSecret), 'content-type': 'application/json;charset=utf-8' };
    bob = await t.connect(BOB);
    await bob.requestOk({ t: 'channel.join', channel: ROOM });
    assertSuccess(await send(peerPath(SENDER), { destination: BOB, payload: 'legit before' }), 'message_sent');
    assertSuccess(await send(channelPath(SENDER), { channel_name: ROOM, payload: 'legit before, room' }), 'message_sent');
    assert.equal((await bob.next('peer.message')).message.message.type, 'TEXT');
    await bob.next('channel.message');
    sender = await t.connect(SENDER);
    changer = await t.connect(CHANGER);
    await sender.requestOk({ t: 'peer.send', to: CHANGER, cmid: 'edit-target', message: text('edit me'), offline: false });
    editTarget = (await changer.next('peer.message')).message;
  });
  after(() => t.close());

  async function runText(outcome: Outcome, input: unknown): Promise<void> {
    if (isRefused(outcome)) {
      assertRefused(await send(peerPath(SENDER), { destination: BOB, payload: input }), outcome, 'peer_messages');
      assertRefused(await send(channelPath(SENDER), { channel_name: ROOM, payload: input }), outcome, 'channel_messages');
      assertRefused(await send(editPath(editTarget.id), { payload: input }), outcome, 'edit');
      return;
    }
    assertSuccess(await send(peerPath(SENDER), { destination: INERT, payload: input }), 'message_sent');
    assertSuccess(await send(channelPath(SENDER), { channel_name: INERT_ROOM, payload: input }), 'message_sent');
    inertPeer.push(input as string);
    inertRoom.push(input as string);
  }

  async function runUserId(c: BadInputCase, outcome: Outcome, input: unknown): Promise<void> {
    if (isRefused(outcome)) {
      assertRefused(await send(peerPath(SENDER), { destination: input, payload: 'x' }), outcome, 'destination');
      if (pathSegmentOk(input)) {
        assertRefused(await send(peerPath(input), { destination: BOB, payload: 'x' }), outcome, 'the <user_id> of peer_messages');
        assertRefused(await send(channelPath(input), { channel_name: ROOM, payload: 'x' }), outcome, 'the <user_id> of channel_messages');
        assertRefused(await read(historyPath(SENDER, { peer: input })), outcome, 'the <peer_id> of a history query');
        assertRefused(await read(historyPath(input, { peer: BOB })), outcome, 'the <user_id> of a history query');
      }
      return;
    }
    const uid = input as string;
    assertSuccess(await send(peerPath(SENDER), { destination: uid, payload: `to ${c.id}` }), 'message_sent');
    assertSuccess(await send(peerPath(uid), { destination: INERT, payload: `from ${c.id}` }), 'message_sent');
    // The id works as a path segment of the history query too (an own key, whatever its name).
    const page = (await read(historyPath(uid, { peer: INERT }))).body as unknown as RestHistoryBody;
    assert.deepEqual(page.messages.map((m) => m.message), [text(`from ${c.id}`)]);
    acceptedIds.push({ from: SENDER, to: uid, payload: `to ${c.id}` }, { from: uid, to: INERT, payload: `from ${c.id}` });
  }

  async function runChannelName(c: BadInputCase, outcome: Outcome, input: unknown): Promise<void> {
    if (isRefused(outcome)) {
      assertRefused(await send(channelPath(SENDER), { channel_name: input, payload: 'x' }), outcome, 'channel_name');
      if (pathSegmentOk(input)) assertRefused(await read(historyPath(SENDER, { channel: input })), outcome, 'the <channel_name> of a history query');
      return;
    }
    assertSuccess(await send(channelPath(SENDER), { channel_name: input, payload: `in ${c.id}` }), 'message_sent');
    const reader = await t.connect(SENDER);
    const history = await fullHistory(reader, { channel: input as string });
    assert.deepEqual(history.map((m) => [m.from, m.channel, m.message]), [[SENDER, input, { type: 'TEXT', text: `in ${c.id}` }]]);
    reader.close();
    const page = (await read(historyPath(SENDER, { channel: input as string }))).body as unknown as RestHistoryBody;
    assert.deepEqual(page.messages, history, 'the history query reads the same channel');
  }

  async function runRestBody(outcome: Outcome, raw: string): Promise<void> {
    assertRefused(await send(peerPath(SENDER), undefined, { headers: auth, raw }), outcome, 'body');
  }

  async function runMessageId(c: BadInputCase, outcome: Outcome, messageId: unknown): Promise<void> {
    assert.ok(pathSegmentOk(messageId) && messageId !== '', `${c.id}: no URL path segment can carry this id; leave "rest" out of its expect`);
    assertRefused(await send(retractPath(messageId), {}), outcome, 'retract');
    assertRefused(await send(editPath(messageId), { payload: 'x' }), outcome, 'edit');
    assertRefused(await send(reactionPath(messageId), { user_id: CHANGER, emoji: '👍' }), outcome, 'reactions/add');
    assertRefused(await send(deleteForUserPath(messageId), { user_id: CHANGER }), outcome, 'delete_for_user');
  }

  /** A bad emoji on the message refused edits aim at, as the other user of its conversation. */
  async function runReaction(outcome: Outcome, emoji: unknown): Promise<void> {
    for (const add of [true, false]) {
      assertRefused(await send(reactionPath(editTarget.id, add), { user_id: CHANGER, emoji }), outcome, add ? 'reactions/add' : 'reactions/remove');
    }
  }

  /** A body sent as is to a reaction or delete_for_user route of the message refused edits aim at. */
  async function runRestChangeBody(outcome: Outcome, input: { route: string; body: string }): Promise<void> {
    const path = input.route === 'delete_for_user' ? deleteForUserPath(editTarget.id) : reactionPath(editTarget.id, input.route === 'reactions/add');
    assert.ok(input.route === 'delete_for_user' || input.route.startsWith('reactions/'), `unknown route ${input.route}`);
    assertRefused(await send(path, undefined, { headers: auth, raw: input.body }), outcome, input.route);
  }

  /** Stores a message in the state `spec` describes, sends the change as SENDER, and checks nothing changed. */
  async function runMessageChange(outcome: Outcome, spec: MessageChangeSpec): Promise<void> {
    const pair = { self: sender, selfId: SENDER, other: changer, otherId: CHANGER };
    const before = await storeForChange(pair, spec, clock, `change-${++changes}`);
    switch (spec.frame.t) {
      case 'message.retract':
        assertRefused(await send(retractPath(before.id), {}, { headers: asSender() }), outcome, 'retract');
        break;
      case 'message.edit': {
        const payload = (spec.frame.message as { text: string }).text;
        assertRefused(await send(editPath(before.id), { payload }, { headers: asSender() }), outcome, 'edit');
        break;
      }
      case 'reaction.add':
      case 'reaction.remove': {
        const body = { user_id: SENDER, emoji: spec.frame.emoji };
        assertRefused(await send(reactionPath(before.id, spec.frame.t === 'reaction.add'), body, { headers: asSender() }), outcome, spec.frame.t);
        break;
      }
      case 'message.delete':
        assertRefused(await send(deleteForUserPath(before.id), { user_id: SENDER }, { headers: asSender() }), outcome, 'delete_for_user');
        break;
      default:
        assert.fail(`no REST route changes a message with ${String(spec.frame.t)}; leave "rest" out of the case`);
    }
    await assertUnchanged(pair, before);
  }

  async function runToken(outcome: Outcome, token: string): Promise<void> {
    const headers = { 'x-agora-token': token, 'x-agora-uid': SENDER, 'content-type': 'application/json' };
    assertRefused(await send(peerPath(SENDER), { destination: BOB, payload: 'with a bad token' }, { headers }), outcome, 'token auth');
  }

  for (const c of cases) {
    const title = `${c.id} (${c.kind}) → ${isRefused(c.outcome) ? `${c.outcome.status} ${c.outcome.error}` : c.outcome.accepted}`;
    it(title, { todo: c.knownBugs?.rest }, async () => {
      const input = materialize(c.input, {
        token: (spec) => makeToken(spec, { uid: SENDER, appId: 'demo', secret: t.demoSecret, nowMs: clock.now() }),
      });
      switch (c.kind) {
        case 'text':
          await runText(c.outcome, input);
          break;
        case 'userId':
          await runUserId(c, c.outcome, input);
          break;
        case 'channelName':
          await runChannelName(c, c.outcome, input);
          break;
        case 'restBody':
          await runRestBody(c.outcome, input as string);
          break;
        case 'token':
          await runToken(c.outcome, input as string);
          break;
        case 'messageId':
          await runMessageId(c, c.outcome, input);
          break;
        case 'messageChange':
          await runMessageChange(c.outcome, input as MessageChangeSpec);
          break;
        case 'reaction':
          await runReaction(c.outcome, input);
          break;
        case 'restChangeBody':
          await runRestChangeBody(c.outcome, input as { route: string; body: string });
          break;
        default:
          assert.fail(`no REST runner for kind ${c.kind}`);
      }
      assertNoPollution();
    });
  }

  it('afterwards: nothing refused was stored or delivered, the legit messages are there exactly once', async () => {
    assertSuccess(await send(peerPath(SENDER), { destination: BOB, payload: 'legit after' }), 'message_sent');
    assertSuccess(await send(channelPath(SENDER), { channel_name: ROOM, payload: 'legit after, room' }), 'message_sent');
    const texts = (messages: { message: { type: string; text?: string } }[]) => messages.map((m) => m.message.text);

    assert.deepEqual(texts(await fullHistory(bob, { peer: SENDER })), ['legit before', 'legit after']);
    assert.deepEqual(texts(await fullHistory(bob, { channel: ROOM })), ['legit before, room', 'legit after, room']);
    assert.deepEqual(texts([(await bob.next('peer.message')).message]), ['legit after']);
    assert.deepEqual(texts([(await bob.next('channel.message')).message]), ['legit after, room']);
    await bob.expectNone('peer.message', 100);
    await bob.expectNone('channel.message', 0);
    // Bob's only conversations: the legit ones.
    const { conversations } = await bob.requestOk({ t: 'conversations' });
    assert.deepEqual(conversations.map((c) => `${c.kind}:${c.id}`).sort(), [`channel:${ROOM}`, `peer:${SENDER}`]);

    const inert = await t.connect(INERT);
    assert.deepEqual(texts(await fullHistory(inert, { peer: SENDER })), inertPeer);
    assert.deepEqual(texts(await fullHistory(inert, { channel: INERT_ROOM })), inertRoom);
    // The message refused edits, reactions and deletions aimed at is as it was sent, for both users.
    assert.deepEqual((await fullHistory(changer, { peer: SENDER })).find((m) => m.id === editTarget.id), editTarget);
    assert.deepEqual((await fullHistory(sender, { peer: CHANGER })).find((m) => m.id === editTarget.id), editTarget);
    for (const { from, to, payload } of acceptedIds) {
      const reader = await t.connect(to);
      const history = await fullHistory(reader, { peer: from });
      assert.deepEqual(texts(history), [payload], `${from} → ${to}`);
      reader.close();
    }
    assertNoPollution();
  });
});

/**
 * The bad-input corpus (test/fixtures/bad-inputs) against the WebSocket gateway of a real server:
 * every refused case gets its typed error (stable reason and code, a message) on a connection that
 * survives unless the protocol says otherwise; every accepted case is stored exactly as sent; the
 * server never crashes, no prototype is polluted, and nothing refused is stored or delivered — a
 * legit message sent before and after the corpus is there exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCodes, ErrorCodes, type ErrorBody, type StoredMessage, type UploadResult } from '../../src/protocol/index.js';
import { casesFor, isRefused, loadCorpus, makeToken, materialize } from '../fixtures/bad-inputs/load-node.js';
import type { BadInputCase, MessageChangeSpec, Outcome } from '../fixtures/bad-inputs/load-node.js';
import { assertUnchanged, storeForChange } from './bad-inputs-changes.js';
import { fullHistory, skewedClock, startTestServer, text, type TestClient, type TestServer } from './helpers.js';
import { uploadOk } from './media-helpers.js';

const corpus = loadCorpus();
const cases = casesFor(corpus, 'gateway');

const ALICE = 'bi-alice';
const BOB = 'bi-bob';
const INERT = 'bi-inert';
const ROOM = 'bi-room';
const INERT_ROOM = 'bi-inert-room';
/** The other user of the conversation where messages are changed (edits, reactions, changes). */
const CHANGER = 'bi-changer';

/** The request id a raw frame would be answered under, as the server reads it (or undefined). */
function usableId(raw: string): number | undefined {
  try {
    const value = JSON.parse(raw) as { id?: unknown };
    const id = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.id : undefined;
    return Number.isInteger(id) && (id as number) >= 0 && (id as number) <= 2 ** 31 - 1 ? (id as number) : undefined;
  } catch {
    return undefined;
  }
}

function assertTypedError(error: ErrorBody, outcome: Outcome, what: string): void {
  assert.ok(isRefused(outcome));
  assert.equal(error.reason, outcome.error, `${what}: ${JSON.stringify(error)}`);
  assert.equal(error.code, ErrorCodes[outcome.error!], `${what}: the code belongs to the reason`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, `${what}: a non-empty message`);
}

function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, 'Object.prototype was polluted');
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  assert.equal(({} as { t?: unknown }).t, undefined);
}

describe('bad-input corpus: WebSocket gateway', () => {
  // `messageChange` cases move the server clock ("3 minutes later").
  const clock = skewedClock();
  let t: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let changer: TestClient;
  let media: UploadResult;
  /** Alice's messages to CHANGER that refused edits and reactions aim at: never changed. */
  let editTarget: StoredMessage;
  let reactionTarget: StoredMessage;
  /** Messages the accepted cases stored to bi-inert (peer) and bi-inert-room, in order. */
  const inertPeer: unknown[] = [];
  const inertRoom: unknown[] = [];
  /** Conversations the accepted cases created for alice, besides the fixed ones. */
  const extraConversations: string[] = [];
  let cmid = 0;
  const nextCmid = () => `bi-${++cmid}`;

  before(async () => {
    t = await startTestServer({ now: clock.now });
    media = await uploadOk(t, 'five!', 'text/plain');
    alice = await t.connect(ALICE);
    bob = await t.connect(BOB);
    changer = await t.connect(CHANGER);
    extraConversations.push(`peer:${CHANGER}`);
    for (const body of ['edit me', 'react to me']) {
      await alice.requestOk({ t: 'peer.send', to: CHANGER, cmid: nextCmid(), message: text(body), offline: false });
    }
    [editTarget, reactionTarget] = await changer.messages('peer.message', 2);
    for (const channel of [ROOM, INERT_ROOM]) await alice.requestOk({ t: 'channel.join', channel });
    await bob.requestOk({ t: 'channel.join', channel: ROOM });
    await alice.requestOk({ t: 'peer.send', to: BOB, cmid: 'legit-before', message: text('legit before'), offline: false });
    await alice.requestOk({ t: 'channel.send', channel: ROOM, cmid: 'legit-before-room', message: text('legit before, room') });
    assert.equal((await bob.next('peer.message')).message.cmid, 'legit-before');
    assert.equal((await bob.next('channel.message')).message.cmid, 'legit-before-room');
    // Attributes the refused attribute writes must leave as they are.
    await alice.requestOk({ t: 'user.attributes.write', op: 'set', attributes: { name: 'Alice' } });
    await alice.requestOk({ t: 'channel.attributes.write', channel: ROOM, notify: false, op: 'set', attributes: { topic: 'legit' } });
  });
  after(() => t.close());

  /** Sends one frame object and returns its error (asserting it is one). */
  async function refused(client: TestClient, frame: Record<string, unknown>, outcome: Outcome, what: string): Promise<void> {
    const reply = await client.request(frame);
    assert.equal(reply.ok, false, `${what}: expected a refusal, got ${JSON.stringify(reply)}`);
    if (!reply.ok) assertTypedError(reply.error, outcome, what);
  }

  /** The newest message of a conversation, as history returns it. */
  async function newest(target: { peer: string } | { channel: string }): Promise<StoredMessage> {
    const page = await alice.requestOk({ t: 'history', ...target, limit: 1 });
    assert.equal(page.messages.length, 1);
    return page.messages[0]!;
  }

  async function runText(c: BadInputCase, outcome: Outcome, input: unknown): Promise<void> {
    if (isRefused(outcome)) {
      await refused(alice, { t: 'peer.send', to: BOB, cmid: nextCmid(), message: { type: 'TEXT', text: input }, offline: true }, outcome, 'peer.send');
      await refused(alice, { t: 'channel.send', channel: ROOM, cmid: nextCmid(), message: { type: 'TEXT', text: input } }, outcome, 'channel.send');
      const edit = { t: 'message.edit', messageId: editTarget.id, cmid: nextCmid(), message: { type: 'TEXT', text: input } };
      await refused(alice, edit, outcome, 'message.edit');
      return;
    }
    const message = { type: 'TEXT', text: input };
    const peerAck = await alice.requestOk({ t: 'peer.send', to: INERT, cmid: nextCmid(), message: message as never, offline: true });
    const roomAck = await alice.requestOk({ t: 'channel.send', channel: INERT_ROOM, cmid: nextCmid(), message: message as never });
    inertPeer.push(message);
    inertRoom.push(message);
    const stored = await newest({ peer: INERT });
    assert.equal(stored.id, peerAck.messageId);
    assert.deepEqual(stored.message, message, `${c.id}: stored byte for byte`);
    assert.equal((await newest({ channel: INERT_ROOM })).id, roomAck.messageId);
  }

  async function runUserId(c: BadInputCase, outcome: Outcome, input: unknown): Promise<void> {
    if (isRefused(outcome)) {
      await refused(alice, { t: 'peer.send', to: input, cmid: nextCmid(), message: text('to a bad id'), offline: true }, outcome, 'peer.send');
      await refused(alice, { t: 'history', peer: input }, outcome, 'history');
      await refused(alice, { t: 'typing', peer: input }, outcome, 'typing');
      const uidOutcome = typeof input === 'string' ? outcome : { error: 'INVALID_FIELD' as const };
      await refused(alice, { t: 'presence.query', uids: [input] }, uidOutcome, 'presence.query');
      if (typeof input === 'string') {
        // The same id in a login frame: refused as a field, before any token is looked at.
        const fresh = await t.open();
        await refused(fresh, { t: 'login', appId: 'demo', uid: input, token: 'x' }, outcome, 'login');
        assert.ok(fresh.isOpen, 'a login frame that fails validation keeps the connection');
        fresh.close();
      }
      return;
    }
    const uid = input as string;
    const message = text(`hello ${c.id}`);
    const ack = await alice.requestOk({ t: 'peer.send', to: uid, cmid: nextCmid(), message, offline: true });
    extraConversations.push(`peer:${uid}`);
    // The user with that id can log in, and gets the message exactly as sent, from alice.
    const them = await t.connect(uid);
    const batch = await them.next('peer.offline_batch');
    assert.equal(batch.peer, ALICE);
    assert.deepEqual(batch.messages.map((m) => [m.id, m.from, m.to, m.message]), [[ack.messageId, ALICE, uid, message]]);
    const { conversations } = await them.requestOk({ t: 'conversations' });
    assert.deepEqual(conversations.map((conv) => `${conv.kind}:${conv.id}`), [`peer:${ALICE}`]);
    // Presence answers for the id itself (an own key of "status", whatever the id is).
    const { status } = await alice.requestOk({ t: 'presence.query', uids: [uid] });
    assert.deepEqual(Object.entries(status), [[uid, 'ONLINE']], `presence of ${JSON.stringify(uid)}: ${JSON.stringify(status)}`);
    them.close();
  }

  async function runChannelName(c: BadInputCase, outcome: Outcome, input: unknown): Promise<void> {
    if (isRefused(outcome)) {
      await refused(alice, { t: 'channel.join', channel: input }, outcome, 'channel.join');
      await refused(alice, { t: 'channel.send', channel: input, cmid: nextCmid(), message: text('x') }, outcome, 'channel.send');
      await refused(alice, { t: 'history', channel: input }, outcome, 'history');
      await refused(alice, { t: 'channel.members', channel: input }, outcome, 'channel.members');
      return;
    }
    const channel = input as string;
    assert.deepEqual((await alice.requestOk({ t: 'channel.join', channel })).members, [ALICE]);
    const message = text(`in ${c.id}`);
    const ack = await alice.requestOk({ t: 'channel.send', channel, cmid: nextCmid(), message });
    extraConversations.push(`channel:${channel}`);
    const stored = await newest({ channel });
    assert.deepEqual([stored.id, stored.channel, stored.message], [ack.messageId, channel, message]);
  }

  async function runFileName(c: BadInputCase, outcome: Outcome, input: unknown): Promise<void> {
    const message = { type: 'FILE', mediaId: media.mediaId, size: media.size, fileName: input, mimeType: 'text/plain' };
    if (isRefused(outcome)) {
      await refused(alice, { t: 'peer.send', to: BOB, cmid: nextCmid(), message, offline: true }, outcome, 'peer.send');
      await refused(alice, { t: 'channel.send', channel: ROOM, cmid: nextCmid(), message }, outcome, 'channel.send');
      return;
    }
    const ack = await alice.requestOk({ t: 'peer.send', to: INERT, cmid: nextCmid(), message: message as never, offline: true });
    inertPeer.push(message);
    const stored = await newest({ peer: INERT });
    assert.equal(stored.id, ack.messageId);
    assert.deepEqual(stored.message, message, `${c.id}: the file name is stored as sent (it is only ever shown as text)`);
  }

  async function runRawFrame(c: BadInputCase, outcome: Outcome, raw: string): Promise<void> {
    if (isRefused(outcome) && outcome.close !== undefined) {
      const fresh = await t.connect(ALICE);
      fresh.sendRaw(raw);
      assert.equal((await fresh.closed).code, outcome.close);
      return;
    }
    const id = usableId(raw);
    alice.sendRaw(raw);
    // Replies come in request order: once this ping is answered, the answer to `raw` is here.
    await alice.requestOk({ t: 'ping' });
    if (isRefused(outcome)) {
      const error = id === undefined ? (await alice.next('error', { timeoutMs: 1 })).error : await replyError(id);
      assertTypedError(error, outcome, c.id);
    } else {
      assert.notEqual(id, undefined, `${c.id}: an accepted raw frame needs a usable id`);
      const reply = await alice.next('reply', { timeoutMs: 1, where: (r) => r.id === id });
      assert.equal(reply.ok, true, `${c.id}: ${JSON.stringify(reply)}`);
      if (c.stores !== undefined) {
        inertPeer.push(c.stores);
        assert.deepEqual((await newest({ peer: INERT })).message, c.stores, `${c.id}: only the known fields are stored`);
      }
    }
  }

  async function replyError(id: number): Promise<ErrorBody> {
    const reply = await alice.next('reply', { timeoutMs: 1, where: (r) => r.id === id });
    assert.equal(reply.ok, false, JSON.stringify(reply));
    return (reply as { error: ErrorBody }).error;
  }

  async function runMessageId(outcome: Outcome, messageId: unknown): Promise<void> {
    await refused(alice, { t: 'message.retract', messageId }, outcome, 'message.retract');
    await refused(alice, { t: 'message.edit', messageId, cmid: nextCmid(), message: text('x') }, outcome, 'message.edit');
    await refused(alice, { t: 'reaction.add', messageId, emoji: '👍' }, outcome, 'reaction.add');
    await refused(alice, { t: 'message.delete', messageId }, outcome, 'message.delete');
  }

  async function runReaction(outcome: Outcome, emoji: unknown): Promise<void> {
    for (const type of ['reaction.add', 'reaction.remove']) await refused(alice, { t: type, messageId: reactionTarget.id, emoji }, outcome, type);
  }

  /** Stores a message in the state `spec` describes, sends the change as alice, and checks nothing changed. */
  async function runMessageChange(outcome: Outcome, spec: MessageChangeSpec): Promise<void> {
    assert.ok(isRefused(outcome), 'messageChange cases are refusals');
    const pair = { self: alice, selfId: ALICE, other: changer, otherId: CHANGER };
    const before = await storeForChange(pair, spec, clock, nextCmid());
    await refused(alice, { ...spec.frame, messageId: before.id }, outcome, String(spec.frame.t));
    await assertUnchanged(pair, before);
  }

  async function runToken(outcome: Outcome, token: string): Promise<void> {
    assert.ok(isRefused(outcome));
    const fresh = await t.open();
    await refused(fresh, { t: 'login', appId: 'demo', uid: ALICE, token }, outcome, 'login');
    assert.equal((await fresh.closed).code, outcome.close ?? CloseCodes.LOGIN_REFUSED);
    // The same token offered to renew a logged-in connection: refused, the connection unchanged.
    await refused(alice, { t: 'renew', token }, { error: outcome.error }, 'renew');
  }

  for (const c of cases) {
    const title = `${c.id} (${c.kind}) → ${isRefused(c.outcome) ? (c.outcome.error ?? `close ${c.outcome.close}`) : c.outcome.accepted}`;
    it(title, { todo: c.knownBugs?.gateway }, async () => {
      const input = materialize(c.input, {
        token: (spec) => makeToken(spec, { uid: ALICE, appId: 'demo', secret: t.demoSecret, nowMs: clock.now() }),
      });
      switch (c.kind) {
        case 'text':
          await runText(c, c.outcome, input);
          break;
        case 'userId':
          await runUserId(c, c.outcome, input);
          break;
        case 'channelName':
          await runChannelName(c, c.outcome, input);
          break;
        case 'fileName':
          await runFileName(c, c.outcome, input);
          break;
        case 'frame':
          if (isRefused(c.outcome)) await refused(alice, input as Record<string, unknown>, c.outcome, c.id);
          else await alice.requestOk(input as never);
          break;
        case 'rawFrame':
          await runRawFrame(c, c.outcome, input as string);
          break;
        case 'token':
          await runToken(c.outcome, input as string);
          break;
        case 'messageId':
          await runMessageId(c.outcome, input);
          break;
        case 'reaction':
          await runReaction(c.outcome, input);
          break;
        case 'messageChange':
          await runMessageChange(c.outcome, input as MessageChangeSpec);
          break;
        default:
          assert.fail(`no gateway runner for kind ${c.kind}`);
      }
      assertNoPollution();
      // The connection survives every case (a good frame also resets its bad-frame count).
      assert.ok(alice.isOpen, 'alice is still connected');
      await alice.requestOk({ t: 'ping' });
      assert.deepEqual(alice.buffered.filter((f) => f.t === 'error' || f.t === 'reply'), [], 'every answer was accounted for');
    });
  }

  it('afterwards: nothing refused was stored or delivered, the legit messages are there exactly once', async () => {
    await alice.requestOk({ t: 'peer.send', to: BOB, cmid: 'legit-after', message: text('legit after'), offline: false });
    await alice.requestOk({ t: 'channel.send', channel: ROOM, cmid: 'legit-after-room', message: text('legit after, room') });

    const peer = await fullHistory(alice, { peer: BOB });
    assert.deepEqual(peer.map((m) => [m.cmid, m.message]), [
      ['legit-before', text('legit before')],
      ['legit-after', text('legit after')],
    ]);
    const room = await fullHistory(alice, { channel: ROOM });
    assert.deepEqual(room.map((m) => [m.cmid, m.message]), [
      ['legit-before-room', text('legit before, room')],
      ['legit-after-room', text('legit after, room')],
    ]);
    // Bob, connected all along, got exactly the legit message of each conversation.
    assert.equal((await bob.next('peer.message')).message.cmid, 'legit-after');
    assert.equal((await bob.next('channel.message')).message.cmid, 'legit-after-room');
    await bob.expectNone('peer.message', 100);
    await bob.expectNone('channel.message', 0);

    // Refused attribute writes changed no attribute, and notified nobody.
    assert.deepEqual((await alice.requestOk({ t: 'user.attributes.get', uid: ALICE })).attributes, { name: 'Alice' });
    const roomAttributes = (await alice.requestOk({ t: 'channel.attributes.get', channel: ROOM })).attributes;
    assert.deepEqual(Object.entries(roomAttributes).map(([key, a]) => [key, a.value, a.lastUpdateUserId]), [['topic', 'legit', ALICE]]);
    assert.deepEqual((await bob.requestOk({ t: 'channel.attributes.get', channel: 'bi-never-joined' })).attributes, {});
    await bob.expectNone('channel.attributes', 0);

    // What refused edits and reactions aimed at is as it was sent: no edit, no reaction, no change.
    const changed = await fullHistory(alice, { peer: CHANGER });
    assert.deepEqual(changed.find((m) => m.id === editTarget.id), editTarget);
    assert.deepEqual(changed.find((m) => m.id === reactionTarget.id), reactionTarget);

    // The accepted cases: each stored once, as sent, in order.
    assert.deepEqual((await fullHistory(alice, { peer: INERT })).map((m) => m.message), inertPeer);
    assert.deepEqual((await fullHistory(alice, { channel: INERT_ROOM })).map((m) => m.message), inertRoom);

    // Alice's conversations: the fixed ones and those of accepted ids, nothing a refusal made.
    const { conversations } = await alice.requestOk({ t: 'conversations' });
    assert.deepEqual(
      conversations.map((c) => `${c.kind}:${c.id}`).sort(),
      [`peer:${BOB}`, `peer:${INERT}`, `channel:${ROOM}`, `channel:${INERT_ROOM}`, ...extraConversations].sort(),
    );
    assertNoPollution();
    assert.ok(alice.isOpen && bob.isOpen);
    // The server is up and healthy, and a new connection is served as usual.
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
    const late = await t.connect('bi-late');
    await late.requestOk({ t: 'ping' });
  });

  it('the corpus is at least 40 cases, each with an id, a description, an input and an outcome per target', () => {
    assert.ok(corpus.length >= 40, `${corpus.length} cases`);
    assert.ok(cases.length >= 40, `${cases.length} gateway cases`);
  });
});

/**
 * Webhook events of messages that change — `message.edited`, `message.retracted`,
 * `reaction.changed` — with the payloads docs/configuration.md documents, from the SDK and from the
 * REST API; and the promise of a retraction: the content leaves the outbox and the delivery log,
 * whether the earlier `message.sent` was already delivered or still pending.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredMessage } from '../../src/protocol/index.js';
import type { WebhookEvent } from '../../src/server/index.js';
import { startTestServer, text, type TestServer } from './helpers.js';
import { editPath, reactionPath, retractPath } from './rest-helpers.js';
import { assertSigned, authOf, deliveries, eventually, hookApp, outboxDrained, Receiver, type Received } from './webhooks-helpers.js';

const RETRACTED = { type: 'RETRACTED' };

describe('webhooks: messages that change', () => {
  let receiver: Receiver;
  /** Holds its first request open until the server gives up on it, then answers 204. */
  let slowReceiver: Receiver;
  let t: TestServer;
  const app = () => hookApp('changes', receiver.url);
  const slowApp = () => hookApp('slow', slowReceiver.url);
  const connect = (uid: string, of = app()) => t.connect(uid, { appId: of.id, secret: of.tokenSecret });

  before(async () => {
    receiver = await Receiver.start();
    slowReceiver = await Receiver.start((_, index) => (index === 0 ? 'hang' : 204));
    t = await startTestServer({
      config: { apps: [app(), slowApp()] },
      webhooks: { timeoutMs: 400, retryDelayMs: () => 50 },
    });
  });
  after(async () => {
    await t.close();
    await receiver.close();
    await slowReceiver.close();
  });

  /** The events received so far of one type, in arrival order. */
  const eventsOf = (from: Receiver, type: string) => from.received.filter((r) => r.event.type === type).map((r) => r.event);

  /** An event as the delivery log holds it now (its payload as stored, not as it was sent). */
  async function loggedEvent(of: ReturnType<typeof hookApp>, eventId: string): Promise<WebhookEvent> {
    const { status, body } = await deliveries(t.url, of, `/${eventId}`);
    assert.equal(status, 200);
    return body.delivery.event!;
  }

  it('edits, reactions and a retraction from the SDK: one signed event each, with the documented data; the log forgets the text', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const sent = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'p1', message: text('meet at 10, door code 4711'), offline: true });
    const liked = await bob.requestOk({ t: 'reaction.add', messageId: sent.messageId, emoji: '👍' });
    const unliked = await bob.requestOk({ t: 'reaction.remove', messageId: sent.messageId, emoji: '👍' });
    const edited = await alice.requestOk({ t: 'message.edit', messageId: sent.messageId, cmid: 'e1', message: text('meet at 11, door code 4711') });
    // A resent edit (same cmid) changes nothing: no second event.
    await alice.requestOk({ t: 'message.edit', messageId: sent.messageId, cmid: 'e1', message: text('meet at 11, door code 4711') });
    await receiver.waitFor(4);
    await outboxDrained(t.url, app());
    assert.deepEqual([...receiver.types()].sort(), ['message.edited', 'message.sent', 'reaction.changed', 'reaction.changed']);

    const [added, removed] = eventsOf(receiver, 'reaction.changed').sort((a, b) => Number((b.data as { added: boolean }).added) - Number((a.data as { added: boolean }).added));
    assert.deepEqual(added!.data, {
      source: 'sdk',
      kind: 'peer',
      messageId: sent.messageId,
      from: 'alice',
      to: 'bob',
      uid: 'bob',
      emoji: '👍',
      added: true,
      reactions: [{ emoji: '👍', count: 1, uids: ['bob'] }],
    });
    assert.deepEqual(liked.message.reactions, [{ emoji: '👍', count: 1, uids: ['bob'] }]);
    assert.deepEqual(removed!.data, { ...(added!.data as object), added: false, reactions: [] });
    assert.equal(unliked.message.reactions, undefined);

    const [editEvent] = eventsOf(receiver, 'message.edited');
    assert.deepEqual(editEvent!.data, { source: 'sdk', kind: 'peer', message: edited.message });
    assert.deepEqual((editEvent!.data as { message: StoredMessage }).message.message, text('meet at 11, door code 4711'));
    assert.equal(editEvent!.occurredAt, edited.message.editedAt);

    const retracted = await alice.requestOk({ t: 'message.retract', messageId: sent.messageId });
    await receiver.waitFor(5);
    await outboxDrained(t.url, app());
    const retractReceived = receiver.received.find((r) => r.event.type === 'message.retracted')!;
    assertSigned(retractReceived);
    assert.deepEqual(retractReceived.event.data, { source: 'sdk', kind: 'peer', message: retracted.message });
    assert.deepEqual(retracted.message.message, RETRACTED);
    assert.equal(retractReceived.event.occurredAt, retracted.message.retractedAt);
    assert.doesNotMatch(retractReceived.body, /4711/);

    // What was delivered before is the receiver's own copy; the server's log of it loses the text.
    const sentEvent = eventsOf(receiver, 'message.sent')[0]!;
    assert.match(JSON.stringify(sentEvent), /4711/, 'it was delivered with the text');
    const loggedSent = await loggedEvent(app(), sentEvent.id);
    assert.deepEqual(loggedSent.data, { ...(sentEvent.data as object), message: retracted.message });
    const loggedEdit = await loggedEvent(app(), editEvent!.id);
    assert.deepEqual(loggedEdit.data, { source: 'sdk', kind: 'peer', message: retracted.message });
    for (const event of receiver.received.map((r) => r.event)) {
      assert.doesNotMatch(JSON.stringify(await loggedEvent(app(), event.id)), /4711/, `${event.type} in the log`);
    }
    assert.equal(eventsOf(receiver, 'message.retracted').length, 1);

    // Retracting again changes nothing and records nothing.
    await alice.requestOk({ t: 'message.retract', messageId: sent.messageId });
    await outboxDrained(t.url, app());
    assert.equal(receiver.received.length, 5);
  });

  it('a retraction while the message.sent event is still pending: it is sent with the placeholder', async () => {
    const carol = await connect('carol', slowApp());
    const sent = await carol.requestOk({ t: 'peer.send', to: 'dave', cmid: 's1', message: text('the password is hunter2'), offline: true });
    // The first attempt is in flight (held open by the receiver): the event is not delivered yet.
    const [first] = await slowReceiver.waitFor(1);
    assert.equal(first!.event.type, 'message.sent');
    const { body } = await deliveries(t.url, slowApp(), `/${first!.event.id}`);
    assert.equal(body.delivery.status, 'pending');

    const retracted = await carol.requestOk({ t: 'message.retract', messageId: sent.messageId });
    // The held attempt times out; the next one reads the event from the outbox again.
    const delivered = await eventually(async () => {
      const { body: log } = await deliveries(t.url, slowApp(), `/${first!.event.id}`);
      return log.delivery.status === 'delivered' ? log.delivery : undefined;
    }, 5000, 'the message.sent event to be delivered');
    assert.equal(delivered.attempts, 2);
    assert.match(delivered.log[0]!.error ?? '', /timeout/);
    await outboxDrained(t.url, slowApp());

    const sentAttempts: Received[] = slowReceiver.received.filter((r) => r.event.type === 'message.sent');
    assert.equal(sentAttempts.length, 2);
    const [, retry] = sentAttempts;
    assert.equal(retry!.headers['x-rtm-delivery-attempt'], '2');
    assert.equal(retry!.event.id, first!.event.id, 'the same event');
    assertSigned(retry!);
    assert.doesNotMatch(retry!.body, /hunter2/);
    assert.deepEqual(retry!.event.data, { source: 'sdk', kind: 'peer', message: retracted.message, peerReceived: false, storedOffline: true });
    assert.deepEqual(slowReceiver.types().sort(), ['message.retracted', 'message.sent', 'message.sent']);
  });

  it('changes made through the REST API say source "rest": a backend edits and retracts a channel message', async () => {
    receiver.received.length = 0;
    const erin = await connect('erin');
    await erin.requestOk({ t: 'channel.join', channel: 'news' });
    const sent = await erin.requestOk({ t: 'channel.send', channel: 'news', cmid: 'n1', message: text('draft: prices up 10%') });
    const headers = { authorization: authOf(app()), 'content-type': 'application/json' };
    const edit = await fetch(`${t.url}${editPath(sent.messageId, 'changes')}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ payload: 'prices stay the same' }),
    });
    assert.equal(edit.status, 200);
    const editedMessage = ((await edit.json()) as { message: StoredMessage }).message;
    const retract = await fetch(`${t.url}${retractPath(sent.messageId, 'changes')}`, { method: 'POST', headers: { authorization: authOf(app()) } });
    assert.equal(retract.status, 200);
    const retractedMessage = ((await retract.json()) as { message: StoredMessage }).message;

    // channel.member_joined, message.sent, message.edited, message.retracted.
    await receiver.waitFor(4);
    await outboxDrained(t.url, app());
    for (const r of receiver.received) assertSigned(r);
    const [editEvent] = eventsOf(receiver, 'message.edited');
    const [retractEvent] = eventsOf(receiver, 'message.retracted');
    assert.equal(typeof editedMessage.editedAt, 'number');
    assert.deepEqual(retractEvent!.data, { source: 'rest', kind: 'channel', message: retractedMessage });
    assert.deepEqual(retractedMessage.message, RETRACTED);
    assert.equal(retractedMessage.channel, 'news');
    // The edit event was delivered with the new text; the log now holds the placeholder instead.
    assert.deepEqual(editEvent!.data, { source: 'rest', kind: 'channel', message: editedMessage });
    assert.deepEqual((await loggedEvent(app(), editEvent!.id)).data, { source: 'rest', kind: 'channel', message: retractedMessage });
    const [sentEvent] = eventsOf(receiver, 'message.sent');
    assert.doesNotMatch(JSON.stringify(await loggedEvent(app(), sentEvent!.id)), /prices/);
  });

  it('a reaction through the REST API is a reaction.changed event with source "rest"; a no-op records nothing', async () => {
    receiver.received.length = 0;
    const gina = await connect('gina');
    const hank = await connect('hank');
    const sent = await gina.requestOk({ t: 'peer.send', to: 'hank', cmid: 'r1', message: text('lunch?'), offline: true });
    await hank.next('peer.message');
    const headers = { authorization: authOf(app()), 'content-type': 'application/json' };
    const react = (add: boolean) =>
      fetch(`${t.url}${reactionPath(sent.messageId, add, 'changes')}`, { method: 'POST', headers, body: JSON.stringify({ user_id: 'hank', emoji: '🍕' }) });
    assert.equal((await react(true)).status, 200);
    assert.equal((await react(true)).status, 200, 'adding it again succeeds');
    assert.equal((await react(false)).status, 200);

    await receiver.waitFor(3);
    await outboxDrained(t.url, app());
    assert.deepEqual(receiver.types().sort(), ['message.sent', 'reaction.changed', 'reaction.changed']);
    const reactions = eventsOf(receiver, 'reaction.changed');
    const added = reactions.find((e) => (e.data as { added: boolean }).added);
    const removed = reactions.find((e) => !(e.data as { added: boolean }).added);
    for (const r of receiver.received) assertSigned(r);
    const common = { source: 'rest', kind: 'peer', messageId: sent.messageId, from: 'gina', to: 'hank', uid: 'hank', emoji: '🍕' };
    assert.deepEqual(added!.data, { ...common, added: true, reactions: [{ emoji: '🍕', count: 1, uids: ['hank'] }] });
    assert.deepEqual(removed!.data, { ...common, added: false, reactions: [] });
  });
});

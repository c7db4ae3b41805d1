import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, text, type TestServer } from './helpers.js';
import { channelPath, peerPath } from './rest-helpers.js';
import { assertSigned, authOf, deliveries, eventually, hookApp, outboxDrained, Receiver } from './webhooks-helpers.js';

describe('webhooks: events', () => {
  let receiver: Receiver;
  let narrowReceiver: Receiver;
  let t: TestServer;
  const app = () => hookApp('hooks', receiver.url);
  const connect = (uid: string) => t.connect(uid, { appId: 'hooks', secret: app().tokenSecret });

  before(async () => {
    receiver = await Receiver.start();
    narrowReceiver = await Receiver.start();
    t = await startTestServer({
      config: { apps: [app(), hookApp('quiet', undefined), hookApp('narrow', narrowReceiver.url, { events: ['channel.member_joined'] })] },
    });
  });
  after(async () => {
    await t.close();
    await receiver.close();
    await narrowReceiver.close();
  });

  it('POSTs each event type once, signed, with the documented shape', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const peerAck = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'p1', message: text('hi bob'), offline: true });
    // A resend of the same cmid (a lost ack) is not a second message, and not a second event.
    const resent = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'p1', message: text('hi bob'), offline: true });
    assert.equal(resent.duplicate, true);
    await alice.requestOk({ t: 'channel.join', channel: 'lobby' });
    await alice.requestOk({ t: 'channel.join', channel: 'lobby' }); // already a member: no event
    const channelAck = await alice.requestOk({ t: 'channel.send', channel: 'lobby', cmid: 'c1', message: text('hi all') });
    await bob.requestOk({ t: 'read', peer: 'alice', seq: peerAck.seq });
    await bob.requestOk({ t: 'read', peer: 'alice', seq: peerAck.seq }); // did not move: no event
    await alice.requestOk({ t: 'channel.leave', channel: 'lobby' });
    await alice.requestOk({ t: 'channel.leave', channel: 'lobby' }); // not a member any more: no event

    const received = await receiver.waitFor(5);
    await outboxDrained(t.url, app()); // every recorded event answered: nothing more arrives
    assert.deepEqual(receiver.types().sort(), [
      'channel.member_joined',
      'channel.member_left',
      'message.sent',
      'message.sent',
      'read.moved',
    ]);
    for (const r of received) {
      assertSigned(r);
      assert.match(r.event.id, /^evt_[A-Za-z0-9_-]{22}$/);
      assert.equal(r.event.appId, 'hooks');
      assert.equal(typeof r.event.occurredAt, 'number');
      assert.ok(Math.abs(r.event.occurredAt - Date.now()) < 10_000);
      assert.deepEqual(Object.keys(r.event).sort(), ['appId', 'data', 'id', 'occurredAt', 'type']);
      assert.equal(r.headers['x-rtm-delivery-attempt'], '1');
    }
    assert.equal(new Set(received.map((r) => r.event.id)).size, 5, 'every event has its own id');

    const byType = (type: string) => received.filter((r) => r.event.type === type).map((r) => r.event);
    const sent = byType('message.sent');
    const peerEvent = sent.find((e) => (e.data as { kind: string }).kind === 'peer');
    const channelEvent = sent.find((e) => (e.data as { kind: string }).kind === 'channel');
    assert.deepEqual(peerEvent!.data, {
      source: 'sdk',
      kind: 'peer',
      message: { id: peerAck.messageId, seq: peerAck.seq, ts: peerAck.ts, from: 'alice', to: 'bob', cmid: 'p1', message: text('hi bob') },
      peerReceived: true,
      storedOffline: false,
    });
    assert.equal(peerEvent!.occurredAt, peerAck.ts);
    assert.deepEqual(channelEvent!.data, {
      source: 'sdk',
      kind: 'channel',
      message: { id: channelAck.messageId, seq: channelAck.seq, ts: channelAck.ts, from: 'alice', channel: 'lobby', cmid: 'c1', message: text('hi all') },
    });
    assert.deepEqual(byType('channel.member_joined')[0]!.data, { channel: 'lobby', uid: 'alice' });
    assert.deepEqual(byType('channel.member_left')[0]!.data, { channel: 'lobby', uid: 'alice' });
    assert.deepEqual(byType('read.moved')[0]!.data, { uid: 'bob', kind: 'peer', peer: 'alice', readSeq: peerAck.seq });
  });

  it('a channel read marker moving is an event too', async () => {
    receiver.received.length = 0;
    const carol = await connect('carol');
    const dave = await connect('dave');
    await carol.requestOk({ t: 'channel.join', channel: 'den' });
    await dave.requestOk({ t: 'channel.join', channel: 'den' });
    const ack = await carol.requestOk({ t: 'channel.send', channel: 'den', cmid: 'd1', message: text('x') });
    await dave.requestOk({ t: 'read', channel: 'den', seq: ack.seq });
    await receiver.waitFor(4);
    await outboxDrained(t.url, app());
    const reads = receiver.received.filter((r) => r.event.type === 'read.moved').map((r) => r.event.data);
    assert.deepEqual(reads, [{ uid: 'dave', kind: 'channel', channel: 'den', readSeq: ack.seq }]);
  });

  it('fires for messages sent with the REST API (source "rest")', async () => {
    receiver.received.length = 0;
    const headers = { authorization: authOf(app()), 'content-type': 'application/json' };
    const peer = await fetch(`${t.url}${peerPath('backend', 'hooks')}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ destination: 'erin', enable_offline_messaging: true, payload: 'from the backend' }),
    });
    assert.equal(peer.status, 200);
    const channel = await fetch(`${t.url}${channelPath('backend', 'hooks')}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ channel_name: 'lobby', payload: 'to the lobby' }),
    });
    assert.equal(channel.status, 200);
    const received = await receiver.waitFor(2);
    await outboxDrained(t.url, app());
    assert.equal(received.length, 2);
    for (const r of received) assertSigned(r);
    const data = received.map((r) => r.event.data as { source: string; kind: string; message: { from: string; message: unknown }; storedOffline?: boolean });
    const peerData = data.find((d) => d.kind === 'peer')!;
    const channelData = data.find((d) => d.kind === 'channel')!;
    assert.equal(peerData.source, 'rest');
    assert.equal(peerData.message.from, 'backend');
    assert.deepEqual(peerData.message.message, text('from the backend'));
    assert.equal(peerData.storedOffline, true, 'erin has no connection');
    assert.equal(channelData.source, 'rest');
    assert.deepEqual(channelData.message.message, text('to the lobby'));
  });

  it('records nothing for an app without a webhook', async () => {
    receiver.received.length = 0;
    const quiet = hookApp('quiet', undefined);
    const frank = await t.connect('frank', { appId: 'quiet', secret: quiet.tokenSecret });
    await frank.requestOk({ t: 'peer.send', to: 'gina', cmid: 'q1', message: text('shh'), offline: true });
    await frank.requestOk({ t: 'channel.join', channel: 'lobby' });
    await outboxDrained(t.url, app()); // were anything misrouted to this receiver, it has arrived
    assert.equal(receiver.received.length, 0);
    const log = await deliveries(t.url, quiet);
    assert.equal(log.status, 200);
    assert.deepEqual(log.body.deliveries, []);
  });

  it('sends only the event types an app asked for', async () => {
    const narrow = hookApp('narrow', narrowReceiver.url);
    const hana = await t.connect('hana', { appId: 'narrow', secret: narrow.tokenSecret });
    await hana.requestOk({ t: 'channel.join', channel: 'lobby' });
    const ack = await hana.requestOk({ t: 'channel.send', channel: 'lobby', cmid: 'n1', message: text('x') });
    await hana.requestOk({ t: 'read', channel: 'lobby', seq: ack.seq + 1 });
    await hana.requestOk({ t: 'channel.leave', channel: 'lobby' });
    await narrowReceiver.waitFor(1);
    await outboxDrained(t.url, narrow);
    assert.deepEqual(narrowReceiver.types(), ['channel.member_joined']);
    assertSigned(narrowReceiver.received[0]!);
    assert.equal((await deliveries(t.url, narrow)).body.deliveries.length, 1, 'nothing else was recorded');
  });

  it('keeps a delivery log per event, behind the app\'s Basic auth', async () => {
    const log = await eventually(async () => {
      const answer = await deliveries(t.url, app(), '?limit=3');
      return answer.body.deliveries.length === 3 && answer.body.deliveries.every((d) => d.status === 'delivered') ? answer : undefined;
    });
    assert.equal(log.status, 200);
    assert.ok(log.body.next_before, 'more than one page');
    for (const delivery of log.body.deliveries) {
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.last_status_code, 204);
      assert.equal(typeof delivery.delivered_at, 'number');
      assert.equal(delivery.log.length, 1);
      assert.equal(delivery.log[0]!.status_code, 204);
      assert.equal(delivery.event, undefined, 'pages leave the payload out');
    }
    const page2 = await deliveries(t.url, app(), `?limit=3&before=${log.body.next_before}`);
    const ids = new Set([...log.body.deliveries, ...page2.body.deliveries].map((d) => d.event_id));
    assert.equal(ids.size, log.body.deliveries.length + page2.body.deliveries.length, 'pages do not overlap');

    const one = await deliveries(t.url, app(), `/${log.body.deliveries[0]!.event_id}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.delivery.event!.id, log.body.deliveries[0]!.event_id);
    assert.equal((await deliveries(t.url, app(), '/evt_nope')).status, 404);
    assert.equal((await deliveries(t.url, app(), '?status=bogus')).status, 400);
    assert.equal((await deliveries(t.url, app(), '?status=failed')).body.deliveries.length, 0);

    const path = `${t.url}/dev/v2/project/hooks/rtm/webhooks/deliveries`;
    assert.equal((await fetch(path)).status, 401);
    const wrong = await fetch(path, { headers: { authorization: authOf({ ...app(), restSecret: 'wrong' }) } });
    assert.equal(wrong.status, 401);
    const token = await t.token('alice', { appId: 'hooks', secret: app().tokenSecret });
    const withToken = await fetch(path, { headers: { 'x-agora-token': token, 'x-agora-uid': 'alice' } });
    assert.equal(withToken.status, 401, 'a user token does not open the operator log');
  });
});

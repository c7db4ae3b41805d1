import { expect } from '@open-wc/testing';
import type { RtmClient } from '../../src/client/index.js';
import {
  MAX_ATTRIBUTE_KEY_BYTES,
  MAX_ATTRIBUTE_VALUE_BYTES,
  MAX_FRAME_BYTES,
  MAX_USER_ATTRIBUTES,
  MAX_USER_ATTRIBUTES_BYTES,
} from '../../src/protocol/index.js';
import { loggedInClient, logoutAll, newClient, record, rejectionOf, sentOfType, sleep, socketTap, uniqueId, waitFor } from './helpers.js';

/** `count` attributes `k0`, `k1`… of `value`. */
function many(count: number, value = 'v'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value]));
}

/** Asserts `call` rejects with `reason`; returns the error. */
async function refused(call: Promise<unknown>, reason: string): Promise<{ reason: string; message: string }> {
  const error = await rejectionOf(call);
  expect(error.reason, error.message).to.equal(reason);
  return error;
}

/** The frames of attribute requests `tap` carried (writes and gets, user and channel). */
function attributeFrames(tap: ReturnType<typeof socketTap>): number {
  return (['user.attributes.write', 'user.attributes.get', 'channel.attributes.write', 'channel.attributes.get'] as const).reduce(
    (sum, type) => sum + sentOfType(tap, type).length,
    0,
  );
}

describe('user and channel attributes (Agora 1.x)', () => {
  afterEach(logoutAll);

  it('user attributes: set, addOrUpdate, deleteByKeys and clear, read by another user with get and getByKeys', async () => {
    const aliceId = uniqueId('alice');
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(uniqueId('bob'));

    expect(await bob.getUserAttributes(aliceId)).to.deep.equal({});
    await alice.setLocalUserAttributes({ displayName: 'Alice', avatarUrl: 'https://example.com/a.png', mood: '☀️ sunny' });
    expect(await bob.getUserAttributes(aliceId)).to.deep.equal({ displayName: 'Alice', avatarUrl: 'https://example.com/a.png', mood: '☀️ sunny' });

    // set replaces everything; addOrUpdate merges.
    await alice.setLocalUserAttributes({ displayName: 'Alice L.', team: 'red' });
    expect(await bob.getUserAttributes(aliceId)).to.deep.equal({ displayName: 'Alice L.', team: 'red' });
    await alice.addOrUpdateLocalUserAttributes({ team: 'blue', city: 'Oslo' });
    expect(await bob.getUserAttributes(aliceId)).to.deep.equal({ displayName: 'Alice L.', team: 'blue', city: 'Oslo' });

    expect(await bob.getUserAttributesByKeys(aliceId, ['team', 'city', 'missing'])).to.deep.equal({ team: 'blue', city: 'Oslo' });
    await alice.deleteLocalUserAttributesByKeys(['team', 'missing']);
    expect(await bob.getUserAttributes(aliceId)).to.deep.equal({ displayName: 'Alice L.', city: 'Oslo' });
    expect(await alice.getUserAttributes(aliceId), 'the user reads its own the same way').to.deep.equal({ displayName: 'Alice L.', city: 'Oslo' });

    await alice.clearLocalUserAttributes();
    expect(await bob.getUserAttributes(aliceId)).to.deep.equal({});
    // A key like "__proto__" is an ordinary key.
    await alice.setLocalUserAttributes(JSON.parse('{"__proto__":"x","constructor":"y"}'));
    const odd = await bob.getUserAttributes(aliceId);
    expect(Object.keys(odd).sort()).to.deep.equal(['__proto__', 'constructor']);
    expect(odd['__proto__']).to.equal('x');
    await alice.setLocalUserAttributes({});
    expect(await bob.getUserAttributes(aliceId), 'set with {} clears').to.deep.equal({});
  });

  it('channel attributes: writes by two members, lastUpdateUserId and lastUpdateTs, readable without joining', async () => {
    const channelId = uniqueId('attrs');
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const outsider = await loggedInClient(uniqueId('outsider'));
    await Promise.all([alice.createChannel(channelId).join(), bob.createChannel(channelId).join()]);

    expect(await outsider.getChannelAttributes(channelId)).to.deep.equal({});
    const before = Date.now();
    await alice.setChannelAttributes(channelId, { topic: 'Release', pinned: 'msg-1' });
    const after = Date.now();
    const first = await outsider.getChannelAttributes(channelId);
    expect(Object.keys(first).sort()).to.deep.equal(['pinned', 'topic']);
    expect(first.topic).to.include({ value: 'Release', lastUpdateUserId: aliceId });
    expect(first.pinned).to.include({ value: 'msg-1', lastUpdateUserId: aliceId });
    // The server's clock, the same machine's here.
    expect(first.topic!.lastUpdateTs).to.be.a('number').within(before - 2_000, after + 2_000);

    await sleep(5);
    await bob.addOrUpdateChannelAttributes(channelId, { topic: 'Release 2', agenda: 'QA' });
    const second = await alice.getChannelAttributes(channelId);
    expect(second.topic).to.include({ value: 'Release 2', lastUpdateUserId: bobId });
    expect(second.topic!.lastUpdateTs).to.be.greaterThan(first.topic!.lastUpdateTs);
    expect(second.agenda).to.include({ value: 'QA', lastUpdateUserId: bobId });
    expect(second.pinned, 'a key the update did not name keeps its writer and time').to.deep.equal(first.pinned);

    const byKeys = await outsider.getChannelAttributesByKeys(channelId, ['agenda', 'missing']);
    expect(byKeys).to.deep.equal({ agenda: second.agenda });

    await alice.deleteChannelAttributesByKeys(channelId, ['pinned']);
    expect(Object.keys(await bob.getChannelAttributes(channelId)).sort()).to.deep.equal(['agenda', 'topic']);
    await bob.setChannelAttributes(channelId, { only: 'this' });
    const replaced = await outsider.getChannelAttributes(channelId);
    expect(Object.keys(replaced)).to.deep.equal(['only']);
    expect(replaced.only).to.include({ value: 'this', lastUpdateUserId: bobId });
    await alice.clearChannelAttributes(channelId);
    expect(await outsider.getChannelAttributes(channelId)).to.deep.equal({});
  });

  it('AttributesUpdated reaches every joined member, the writer too, with notification and not without', async () => {
    const channelId = uniqueId('notify');
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const carol = await loggedInClient(uniqueId('carol'));
    const [aliceChannel, bobChannel, carolChannel] = [alice, bob, carol].map((client) => client.createChannel(channelId));
    const [aliceEvents, bobEvents, carolEvents] = [aliceChannel, bobChannel, carolChannel].map((channel) => record(channel!, 'AttributesUpdated'));
    await Promise.all([aliceChannel!.join(), bobChannel!.join()]);
    // carol's channel object exists but is not joined: no events for it.

    await alice.setChannelAttributes(channelId, { quiet: '1' });
    await alice.addOrUpdateChannelAttributes(channelId, { topic: 'Hello' }, { enableNotificationToChannelMembers: false });
    await bob.addOrUpdateChannelAttributes(channelId, { loud: '1' }, { enableNotificationToChannelMembers: true });
    await waitFor(() => aliceEvents.length > 0 && bobEvents.length > 0, 'AttributesUpdated on both members');
    // Pushes follow the writes' order, so an event of the earlier writes would have come first.
    for (const events of [aliceEvents, bobEvents]) {
      expect(events).to.have.length(1);
      const [attributes] = events[0]!;
      expect(Object.keys(attributes).sort()).to.deep.equal(['loud', 'quiet', 'topic'], 'all of the channel’s attributes');
      expect(attributes.loud).to.include({ value: '1', lastUpdateUserId: bobId });
      expect(attributes.quiet).to.include({ value: '1', lastUpdateUserId: aliceId });
    }

    await alice.deleteChannelAttributesByKeys(channelId, ['loud'], { enableNotificationToChannelMembers: true });
    await alice.clearChannelAttributes(channelId, { enableNotificationToChannelMembers: true });
    await waitFor(() => aliceEvents.length === 3 && bobEvents.length === 3, 'the delete and clear events');
    expect(Object.keys(bobEvents[1]![0]).sort()).to.deep.equal(['quiet', 'topic']);
    expect(bobEvents[2]![0]).to.deep.equal({});

    await bobChannel!.leave();
    await alice.setChannelAttributes(channelId, { after: 'leave' }, { enableNotificationToChannelMembers: true });
    await waitFor(() => aliceEvents.length === 4, 'the event after bob left');
    await sleep(200);
    expect(bobEvents, 'a channel left gets no events').to.have.length(3);
    expect(carolEvents, 'a channel never joined gets no events').to.have.length(0);
  });

  it('refuses invalid keys and values, too many and too large, before sending; the stored attributes stay', async () => {
    const tap = socketTap();
    const aliceId = uniqueId('alice');
    const alice = await loggedInClient(aliceId, { WebSocket: tap.WebSocket });
    const stored = { keep: 'me' };
    await alice.setLocalUserAttributes(stored);
    const sentBefore = attributeFrames(tap);

    await refused(alice.setLocalUserAttributes({ 'with space': 'x' }), 'INVALID_ATTRIBUTE_KEY');
    await refused(alice.addOrUpdateLocalUserAttributes({ ['k'.repeat(MAX_ATTRIBUTE_KEY_BYTES + 1)]: 'x' }), 'INVALID_ATTRIBUTE_KEY');
    await refused(alice.addOrUpdateLocalUserAttributes({ 'é': 'x' }), 'INVALID_ATTRIBUTE_KEY');
    await refused(alice.addOrUpdateLocalUserAttributes({ empty: '' }), 'INVALID_ATTRIBUTE_VALUE');
    await refused(alice.addOrUpdateLocalUserAttributes({ notText: 5 as unknown as string }), 'INVALID_ATTRIBUTE_VALUE');
    await refused(alice.addOrUpdateLocalUserAttributes({ big: 'x'.repeat(MAX_ATTRIBUTE_VALUE_BYTES + 1) }), 'INVALID_ATTRIBUTE_VALUE');
    await refused(alice.setLocalUserAttributes(many(MAX_USER_ATTRIBUTES + 1)), 'TOO_MANY_ATTRIBUTES');
    // Three values within the value limit, over the user's total together.
    const third = 'x'.repeat(Math.ceil(MAX_USER_ATTRIBUTES_BYTES / 3) + 10);
    expect(third.length).to.be.at.most(MAX_ATTRIBUTE_VALUE_BYTES);
    await refused(alice.setLocalUserAttributes({ a: third, b: third, c: third }), 'ATTRIBUTES_TOO_LARGE');
    // Within every attribute limit, but JSON escapes (6 bytes for a control character) make the frame
    // larger than the socket takes: refused, not sent (the server would close the connection).
    const escaped = '\u0001'.repeat(MAX_ATTRIBUTE_VALUE_BYTES);
    expect(JSON.stringify(escaped).length).to.be.greaterThan(MAX_FRAME_BYTES);
    const tooLarge = await refused(alice.setLocalUserAttributes({ escaped }), 'ATTRIBUTES_TOO_LARGE');
    expect(tooLarge.message).to.include(String(MAX_FRAME_BYTES));
    await refused(alice.deleteLocalUserAttributesByKeys([]), 'INVALID_ARGUMENT');
    await refused(alice.deleteLocalUserAttributesByKeys(['keep', 'keep']), 'INVALID_ATTRIBUTE_KEY');
    await refused(alice.setLocalUserAttributes(['x'] as unknown as Record<string, string>), 'INVALID_ARGUMENT');
    await refused(alice.getUserAttributes(' bad'), 'INVALID_USER_ID');
    await refused(alice.getUserAttributesByKeys(aliceId, 'keep' as unknown as string[]), 'INVALID_ARGUMENT');
    await refused(alice.getChannelAttributes(''), 'INVALID_CHANNEL_NAME');
    await refused(alice.setChannelAttributes(' bad', { a: 'b' }), 'INVALID_CHANNEL_NAME');
    await refused(alice.setChannelAttributes(uniqueId('c'), { a: '' }), 'INVALID_ATTRIBUTE_VALUE');
    await refused(alice.setChannelAttributes(uniqueId('c'), { big: '\u0001'.repeat(MAX_ATTRIBUTE_VALUE_BYTES) }), 'ATTRIBUTES_TOO_LARGE');
    await refused(alice.getChannelAttributesByKeys(uniqueId('c'), ['ok', 'not ok']), 'INVALID_ATTRIBUTE_KEY');

    expect(attributeFrames(tap), 'no refused request was sent').to.equal(sentBefore);
    expect(await alice.getUserAttributes(aliceId)).to.deep.equal(stored);
  });

  it('the server refuses a write over the limits with what is stored, and one to a channel not joined; nothing changes', async () => {
    const tap = socketTap();
    const aliceId = uniqueId('alice');
    const alice = await loggedInClient(aliceId, { WebSocket: tap.WebSocket });
    const bob = await loggedInClient(uniqueId('bob'));

    // Each write is valid alone; with the stored attributes the result would be over the limit.
    const full = many(MAX_USER_ATTRIBUTES - 1);
    await alice.setLocalUserAttributes(full);
    await refused(alice.addOrUpdateLocalUserAttributes({ extra1: 'x', extra2: 'y' }), 'TOO_MANY_ATTRIBUTES');
    expect(await bob.getUserAttributes(aliceId)).to.deep.equal(full);
    const half = 'x'.repeat(MAX_ATTRIBUTE_VALUE_BYTES);
    await alice.setLocalUserAttributes({ a: half });
    await refused(alice.addOrUpdateLocalUserAttributes({ b: half }), 'ATTRIBUTES_TOO_LARGE');
    expect(await bob.getUserAttributes(aliceId)).to.deep.equal({ a: half });

    // A channel this client has not joined: the server answers (the client does not guess, since
    // tabs sharing a connection share its joins).
    const channelId = uniqueId('members-only');
    await bob.createChannel(channelId).join();
    await bob.setChannelAttributes(channelId, { topic: 'kept' });
    const kept = await bob.getChannelAttributes(channelId);
    await refused(alice.setChannelAttributes(channelId, { topic: 'changed' }), 'NOT_JOINED');
    await refused(alice.addOrUpdateChannelAttributes(channelId, { more: 'x' }, { enableNotificationToChannelMembers: true }), 'NOT_JOINED');
    await refused(alice.deleteChannelAttributesByKeys(channelId, ['topic']), 'NOT_JOINED');
    const created = alice.createChannel(channelId);
    await refused(alice.clearChannelAttributes(channelId), 'NOT_JOINED');
    expect(sentOfType(tap, 'channel.attributes.write'), 'the server was asked').to.have.length(4);
    expect(await alice.getChannelAttributes(channelId), 'reading needs no join').to.deep.equal(kept);

    await created.join();
    await alice.addOrUpdateChannelAttributes(channelId, { more: 'x' });
    expect(Object.keys(await bob.getChannelAttributes(channelId)).sort()).to.deep.equal(['more', 'topic']);
    await created.leave();
    await refused(alice.clearChannelAttributes(channelId), 'NOT_JOINED');
    expect(Object.keys(await bob.getChannelAttributes(channelId)).sort()).to.deep.equal(['more', 'topic']);
  });

  it('rejects with NOT_LOGGED_IN before login', async () => {
    const client: RtmClient = newClient();
    await refused(client.setLocalUserAttributes({ a: 'b' }), 'NOT_LOGGED_IN');
    await refused(client.getUserAttributes('bob'), 'NOT_LOGGED_IN');
    await refused(client.getChannelAttributes('lobby'), 'NOT_LOGGED_IN');
  });
});

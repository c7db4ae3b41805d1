import { expect } from '@open-wc/testing';
import type { ReceivedMessage, RtmMessage } from '../../src/client/index.js';
import { MAX_PRESENCE_QUERY, MAX_SYNC_GAP, SEND_BURST, TYPING_MIN_INTERVAL_MS } from '../../src/protocol/index.js';
import {
  devToken,
  loggedInClient,
  logoutAll,
  newClient,
  record,
  rejectionOf,
  sentOfType,
  sleep,
  socketTap,
  uniqueId,
  waitFor,
} from './helpers.js';

const text = (message: RtmMessage) => (message.messageType === 'TEXT' ? message.text : '');
const texts = (messages: ReceivedMessage[]) => messages.map((m) => text(m.message));

describe('RtmClient read state, receipts, typing and presence', function () {
  this.timeout(60_000);
  afterEach(logoutAll);

  it('checks arguments before sending anything', async () => {
    const tap = socketTap();
    const client = newClient({ WebSocket: tap.WebSocket });
    expect((await rejectionOf(client.getConversations())).reason).to.equal('NOT_LOGGED_IN');
    const uid = uniqueId('alice');
    await client.login({ uid, token: await devToken(uid) });
    const sentBefore = tap.sent.length;

    const cases: [Promise<unknown>, string][] = [
      [client.markRead({ seq: 1 } as never), 'INVALID_ARGUMENT'],
      [client.markRead({ peerId: 'bob', channelId: 'x', seq: 1 } as never), 'INVALID_ARGUMENT'],
      [client.markRead({ peerId: 'bob', seq: -1 }), 'INVALID_ARGUMENT'],
      [client.markRead({ peerId: 'bob', seq: 1.5 }), 'INVALID_ARGUMENT'],
      [client.markRead({ peerId: ' bob', seq: 1 }), 'INVALID_USER_ID'],
      [client.syncMessages({ channelId: '', afterSeq: 0 }), 'INVALID_CHANNEL_NAME'],
      [client.syncMessages({ peerId: 'bob', afterSeq: 0, limit: 101 }), 'INVALID_ARGUMENT'],
      [client.getChannelReceipts('a'.repeat(65)), 'INVALID_CHANNEL_NAME'],
      [client.sendTypingIndicator({} as never), 'INVALID_ARGUMENT'],
      [client.queryPeersOnlineStatus('bob' as never), 'INVALID_ARGUMENT'],
      [client.queryPeersOnlineStatus(Array.from({ length: MAX_PRESENCE_QUERY + 1 }, (_, i) => `u${i}`)), 'INVALID_ARGUMENT'],
      [client.subscribePeersOnlineStatus(['ok', 'not ok ']), 'INVALID_USER_ID'],
    ];
    for (const [promise, reason] of cases) expect((await rejectionOf(promise)).reason).to.equal(reason);
    expect(tap.sent.length).to.equal(sentBefore);
    expect(await client.queryPeersOnlineStatus([])).to.deep.equal({});
  });

  it('lists conversations with server-computed unread counts after the user was offline', async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
    // Bob joins the channel once; membership outlives his connection.
    const bobBefore = await loggedInClient(bobId);
    await bobBefore.createChannel(channelId).join();
    await bobBefore.logout();

    const alice = await loggedInClient(aliceId);
    for (const t of ['p1', 'p2', 'p3']) await alice.sendMessageToPeer({ text: t }, bobId, { enableOfflineMessaging: true });
    const channel = alice.createChannel(channelId);
    await channel.join();
    for (const t of ['c1', 'c2']) await channel.sendMessage({ text: t });

    const bob = await loggedInClient(bobId);
    const { conversations, totalUnread } = await bob.getConversations();

    expect(totalUnread).to.equal(5);
    expect(conversations.map((c) => [c.kind, c.id, c.unread])).to.deep.equal([
      ['channel', channelId, 2],
      ['peer', aliceId, 3],
    ]);
    const peer = conversations[1]!;
    expect(peer).to.deep.include({ readSeq: 0, lastSeq: 3 });
    expect(peer.lastMessage).to.deep.include({ from: aliceId, peerId: aliceId, seq: 3 });
    expect(text(peer.lastMessage!.message)).to.equal('p3');
    expect(text(conversations[0]!.lastMessage!.message)).to.equal('c2');
  });

  it('keeps a joined channel among the conversations until leave(), even one made while reconnecting', async () => {
    const [aliceId, channelId] = [uniqueId('alice'), uniqueId('room')];
    const tap = socketTap();
    const alice = newClient({ WebSocket: tap.WebSocket });
    await alice.login({ uid: aliceId, token: await devToken(aliceId) });
    const listed = async () => (await alice.getConversations()).conversations.map((c) => `${c.kind}:${c.id}`);
    await alice.createChannel(channelId).join();
    await alice.logout();
    await alice.login({ uid: aliceId, token: await devToken(aliceId) });
    expect(await listed()).to.deep.equal([`channel:${channelId}`]);

    tap.refuse = true;
    tap.kill();
    await waitFor(() => alice.connectionState === 'RECONNECTING', 'alice to lose her socket');
    const leaving = alice.createChannel(channelId).leave();
    tap.refuse = false;
    await leaving;
    expect(await listed()).to.deep.equal([]);
  });

  it('moves the read marker: ReadStateChanged here and on the other connection, a read receipt for the sender', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const bobTab2 = await loggedInClient(bobId);
    const receipts = record(alice, 'MessageReceipt');
    const here = record(bob, 'ReadStateChanged');
    const there = record(bobTab2, 'ReadStateChanged');
    const acks = [];
    for (const t of ['one', 'two', 'three']) acks.push(await alice.sendMessageToPeer({ text: t }, bobId));

    const state = await bob.markRead({ peerId: aliceId, seq: acks[1]!.seq });

    expect(state).to.deep.equal({ kind: 'peer', id: aliceId, readSeq: acks[1]!.seq, unread: 1, totalUnread: 1 });
    expect(here.at(-1)).to.deep.equal([state]);
    await waitFor(() => there.length > 0, 'read.updated on the other connection');
    expect(there.at(-1)).to.deep.equal([state]);
    await waitFor(() => receipts.some(([r]) => r.kind === 'read'), 'the read receipt');
    expect(receipts.find(([r]) => r.kind === 'read')).to.deep.equal([{ kind: 'read', peerId: bobId, seq: acks[1]!.seq }]);

    // Never back: a lower seq leaves the marker where it is.
    const again = await bob.markRead({ peerId: aliceId, seq: 1 });
    expect(again.readSeq).to.equal(acks[1]!.seq);
    const { conversations } = await bobTab2.getConversations();
    expect(conversations[0]).to.deep.include({ readSeq: acks[1]!.seq, unread: 1 });
  });

  it('reports delivery to an online peer with a delivered receipt', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    await loggedInClient(bobId);
    const receipts = record(alice, 'MessageReceipt');

    const ack = await alice.sendMessageToPeer({ text: 'hi' }, bobId);

    await waitFor(() => receipts.length > 0, 'a delivered receipt');
    expect(receipts[0]).to.deep.equal([{ kind: 'delivered', peerId: bobId, seq: ack.seq }]);
    const { conversations } = await alice.getConversations();
    expect(conversations[0]!.peerDeliveredSeq).to.equal(ack.seq);
    expect(conversations[0]!.peerReadSeq ?? 0).to.equal(0);
  });

  it("gives every channel member's read marker and announces changes to members", async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const outsider = await loggedInClient(uniqueId('eve'));
    await alice.createChannel(channelId).join();
    await bob.createChannel(channelId).join();
    const changes = record(alice, 'ChannelReadStateChanged');
    const ack = await alice.createChannel(channelId).sendMessage({ text: 'read me' });

    const members = await alice.getChannelReceipts(channelId);
    expect(members.map((m) => m.uid)).to.deep.equal([aliceId, bobId].sort());
    expect(members.find((m) => m.uid === bobId)).to.deep.equal({ uid: bobId, readSeq: 0 });
    await bob.markRead({ channelId, seq: ack.seq });
    await waitFor(() => changes.some(([c]) => c.memberId === bobId), 'channel.read at alice');
    expect(changes.find(([c]) => c.memberId === bobId)).to.deep.equal([{ channelId, memberId: bobId, readSeq: ack.seq }]);
    expect((await rejectionOf(outsider.getChannelReceipts(channelId))).reason).to.equal('NOT_JOINED');
  });

  it('catches up with syncMessages: ascending pages, hasMore, and reset when too far behind', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    for (let i = 1; i <= 5; i++) await alice.sendMessageToPeer({ text: `m${i}` }, bobId);

    const first = await bob.syncMessages({ peerId: aliceId, afterSeq: 1, limit: 2 });
    expect([texts(first.messages), first.hasMore, first.reset]).to.deep.equal([['m2', 'm3'], true, false]);
    const second = await bob.syncMessages({ peerId: aliceId, afterSeq: first.messages[1]!.seq, limit: 2 });
    expect([texts(second.messages), second.hasMore]).to.deep.equal([['m4', 'm5'], false]);
    expect(second.messages[0]).to.deep.include({ from: aliceId, peerId: aliceId, seq: 4 });
    const none = await bob.syncMessages({ peerId: aliceId, afterSeq: 5 });
    expect([none.messages.length, none.hasMore, none.reset]).to.deep.equal([0, false, false]);

    // More than MAX_SYNC_GAP behind: the newest page instead, flagged reset.
    // Over several of alice's connections: one would pass the per-connection send burst.
    const alices = [alice];
    while (alices.length * SEND_BURST <= MAX_SYNC_GAP) alices.push(await loggedInClient(aliceId));
    const sends = [];
    for (let i = 6; i <= MAX_SYNC_GAP + 2; i++) sends.push(alices[i % alices.length]!.sendMessageToPeer({ text: `m${i}` }, bobId));
    await Promise.all(sends);
    const far = await bob.syncMessages({ peerId: aliceId, afterSeq: 1, limit: 3 });
    expect(far.reset).to.equal(true);
    expect(far.messages.map((m) => m.seq)).to.deep.equal([MAX_SYNC_GAP, MAX_SYNC_GAP + 1, MAX_SYNC_GAP + 2]);
  });

  it('relays typing at most once per interval per conversation, and sends nothing while disconnected', async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
    const tap = socketTap();
    const alice = newClient({ WebSocket: tap.WebSocket });
    await alice.login({ uid: aliceId, token: await devToken(aliceId) });
    const bob = await loggedInClient(bobId);
    const typing = record(bob, 'TypingStarted');

    await Promise.all([1, 2, 3].map(() => alice.sendTypingIndicator({ peerId: bobId })));
    await waitFor(() => typing.length > 0, 'bob to see alice typing');
    expect(typing[0]![0]).to.deep.include({ from: aliceId, peerId: aliceId });
    expect(typing[0]![0].expiresInMs).to.be.greaterThan(0);
    expect(sentOfType(tap, 'typing')).to.have.length(1);

    await sleep(TYPING_MIN_INTERVAL_MS + 50);
    await alice.sendTypingIndicator({ peerId: bobId });
    expect(sentOfType(tap, 'typing')).to.have.length(2);

    // Channels: every other joined member hears it.
    await alice.createChannel(channelId).join();
    await bob.createChannel(channelId).join();
    await alice.sendTypingIndicator({ channelId });
    await waitFor(() => typing.some(([t]) => t.channelId === channelId), 'channel typing');
    expect(typing.find(([t]) => t.channelId === channelId)![0]).to.deep.include({ from: aliceId, channelId });

    // Best effort: while the socket is down a notice resolves without being queued.
    tap.refuse = true;
    tap.kill();
    await waitFor(() => alice.connectionState === 'RECONNECTING', 'alice to lose her socket');
    await sleep(TYPING_MIN_INTERVAL_MS + 50);
    const sent = tap.sent.length;
    await alice.sendTypingIndicator({ peerId: bobId });
    tap.refuse = false;
    await waitFor(() => alice.connectionState === 'CONNECTED', 'alice to reconnect', 20_000);
    await sleep(200);
    expect(tap.sent.slice(sent).filter((f) => f.t === 'typing')).to.have.length(0);
  });

  it('queries and follows online status, and follows again after a reconnect', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tap = socketTap();
    const alice = newClient({ WebSocket: tap.WebSocket });
    await alice.login({ uid: aliceId, token: await devToken(aliceId) });
    const changes = record(alice, 'PeersOnlineStatusChanged');

    expect(await alice.queryPeersOnlineStatus([bobId, aliceId])).to.deep.equal({ [bobId]: false, [aliceId]: true }, "Agora's booleans");
    await alice.subscribePeersOnlineStatus([bobId]);
    expect(changes).to.deep.equal([[{ [bobId]: 'OFFLINE' }]]);

    const bob = await loggedInClient(bobId);
    await waitFor(() => changes.length === 2, 'bob online');
    expect(changes[1]).to.deep.equal([{ [bobId]: 'ONLINE' }]);

    // Alice's socket drops: after the reconnect she is subscribed again and hears the current status.
    tap.kill();
    await waitFor(() => sentOfType(tap, 'presence.subscribe').length === 2, 'the subscription renewed', 20_000);
    await waitFor(() => changes.length === 3, 'the status after the reconnect');
    expect(changes[2]).to.deep.equal([{ [bobId]: 'ONLINE' }]);
    await bob.logout();
    await waitFor(() => changes.length === 4, 'bob offline');
    expect(changes[3]).to.deep.equal([{ [bobId]: 'OFFLINE' }]);

    await alice.unsubscribePeersOnlineStatus([bobId]);
    await loggedInClient(bobId);
    await sleep(300);
    expect(changes).to.have.length(4);
  });

  it('delivers offline messages as one batch per conversation, then as offline MessageFromPeer', async () => {
    const [aliceId, carolId, bobId] = [uniqueId('alice'), uniqueId('carol'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const carol = await loggedInClient(carolId);
    for (const t of ['a1', 'a2', 'a3']) await alice.sendMessageToPeer({ text: t }, bobId, { enableOfflineMessaging: true });
    await carol.sendMessageToPeer({ text: 'c1' }, bobId, { enableOfflineMessaging: true });

    const bob = newClient();
    const order: string[] = [];
    const batches = record(bob, 'OfflineMessagesReceived');
    const single = record(bob, 'MessageFromPeer');
    bob.on('OfflineMessagesReceived', ({ peerId }) => order.push(`batch ${peerId}`));
    bob.on('MessageFromPeer', (message, peerId) => order.push(`${peerId} ${text(message)}`));
    await bob.login({ uid: bobId, token: await devToken(bobId) });

    await waitFor(() => single.length === 4, 'all four messages');
    await sleep(200);
    const byPeer = Object.fromEntries(batches.map(([b]) => [b.peerId, texts(b.messages)]));
    expect(batches).to.have.length(2);
    expect(byPeer).to.deep.equal({ [aliceId]: ['a1', 'a2', 'a3'], [carolId]: ['c1'] });
    // Each batch comes before the single events of its messages, which keep their order.
    const at = (entry: string) => order.indexOf(entry);
    expect(at(`batch ${aliceId}`)).to.be.below(at(`${aliceId} a1`));
    expect([at(`${aliceId} a1`), at(`${aliceId} a2`), at(`${aliceId} a3`)]).to.deep.equal(
      [at(`${aliceId} a1`), at(`${aliceId} a1`) + 1, at(`${aliceId} a1`) + 2],
    );
    expect(at(`batch ${carolId}`)).to.be.below(at(`${carolId} c1`));
    expect(single.every(([, , props]) => props.isOfflineMessage)).to.equal(true);
    expect(batches[0]![0].messages.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
  });
});

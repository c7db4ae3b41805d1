import { expect } from '@open-wc/testing';
import { cleanStores, STORE_UNMOUNT_DELAY } from 'nanostores';
import { MAX_SYNC_GAP, SEND_BURST, TYPING_TTL_MS } from '../../src/protocol/index.js';
import {
  createChatSession,
  type ChatMessage,
  type ChatSession,
  type ConversationKey,
} from '../../src/store/index.js';
import {
  appId,
  devToken,
  loggedInClient,
  logoutAll,
  record,
  sentOfType,
  serverUrl,
  sleep,
  socketTap,
  uniqueId,
  waitFor,
} from '../client/helpers.js';
import { collectEvents, sessionKit } from './helpers.js';

const { sessions, mountedStores, startedSession, mount, cleanup } = sessionKit();

const summaryOf = (session: ChatSession, key: ConversationKey) => session.$conversations.get().find((c) => c.key === key);
const texts = (messages: readonly ChatMessage[]) => messages.map((m) => m.text);

describe('ChatSession read state', function () {
  this.timeout(90_000);

  afterEach(cleanup);

  it('loads the conversations with unread counts after the user was offline', async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
    const channelKey = `channel:${channelId}` as const;
    const peerKey = `peer:${aliceId}` as const;
    // Bob opens the channel once (joins it), then leaves the page.
    const before = await startedSession(bobId);
    mount(before.messagesOf(channelKey));
    await waitFor(() => summaryOf(before, channelKey), 'the joined channel in the list');
    await before.stop();

    const alice = await loggedInClient(aliceId);
    for (const t of ['p1', 'p2', 'p3']) await alice.sendMessageToPeer({ text: t }, bobId, { enableOfflineMessaging: true });
    const channel = alice.createChannel(channelId);
    await channel.join();
    for (const t of ['c1', 'c2']) await channel.sendMessage({ text: t });

    const session = createChatSession({ server: serverUrl(), appId: appId(), userId: bobId, token: await devToken(bobId) });
    sessions.add(session);
    const events = collectEvents(session);
    await session.start();

    await waitFor(() => session.$totalUnread.get() === 5, 'five unread');
    expect(session.$conversations.get().map((c) => [c.key, c.unread])).to.deep.equal([
      [channelKey, 2],
      [peerKey, 3],
    ]);
    expect(summaryOf(session, peerKey)!.lastMessage).to.deep.include({ text: 'p3', from: aliceId, own: false });
    expect(summaryOf(session, channelKey)!.lastMessage?.text).to.equal('c2');
    // Nothing was mounted: the list has them without their messages loaded.
    expect(session.messagesOf(peerKey).value!.length).to.be.at.most(3);
    expect(events.filter((e) => e.type === 'unread').at(-1)).to.deep.equal({ type: 'unread', total: 5 });

    // Live: a new channel message counts without the channel being open.
    await channel.sendMessage({ text: 'c3' });
    await waitFor(() => session.$totalUnread.get() === 6, 'the live channel message counted');
    expect(summaryOf(session, channelKey)).to.deep.include({ unread: 3 });
    expect(session.$conversations.get()[0]!.key).to.equal(channelKey);
  });

  it('markRead clears the count here and in the other tab, and the sender sees it read', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await startedSession(aliceId);
    const bob = await startedSession(bobId);
    const bobTab2 = await startedSession(bobId);
    const toBob = alice.conversationKey('peer', bobId);
    const toAlice = bob.conversationKey('peer', aliceId);
    const sent = [await alice.send(toBob, 'one'), await alice.send(toBob, 'two')];
    await waitFor(() => summaryOf(bobTab2, toAlice)?.unread === 2, 'two unread in the other tab');
    await waitFor(() => summaryOf(bob, toAlice)?.unread === 2, 'two unread');
    const unreadEvents = collectEvents(bob);

    const $messages = mount(bob.messagesOf(toAlice));
    await waitFor(() => $messages.get().length === 2, 'the messages loaded');
    expect(bob.firstUnreadSeq(toAlice)).to.equal(sent[0]!.seq);
    bob.markRead(toAlice);

    expect(summaryOf(bob, toAlice)).to.deep.include({ unread: 0, readSeq: sent[1]!.seq });
    expect(bob.$totalUnread.get()).to.equal(0);
    expect(unreadEvents.filter((e) => e.type === 'unread')).to.deep.equal([{ type: 'unread', total: 0 }]);
    await waitFor(() => summaryOf(bobTab2, toAlice)?.unread === 0, 'the other tab to follow');
    expect(summaryOf(bobTab2, toAlice)!.readSeq).to.equal(sent[1]!.seq);
    await waitFor(() => alice.receiptOf(toBob, sent[1]!) === 'read', 'alice to see it read');
    expect(alice.receiptOf(toBob, sent[0]!)).to.equal('read');
    // The divider stays where it was while the conversation is open; marking again is a no-op.
    expect(bob.firstUnreadSeq(toAlice)).to.equal(sent[0]!.seq);
    const reads = bob.$conversations.get();
    bob.markRead(toAlice);
    expect(bob.$conversations.get()).to.equal(reads);
  });

  it('shows own peer messages sent, then delivered once the peer is online', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await startedSession(aliceId);
    const key = alice.conversationKey('peer', bobId);

    const whileAway = await alice.send(key, 'while away');
    await sleep(300);
    expect(alice.receiptOf(key, whileAway)).to.equal('sent');
    await loggedInClient(bobId);
    const whileOnline = await alice.send(key, 'while online');

    await waitFor(() => alice.receiptOf(key, whileOnline) === 'delivered', 'a delivered receipt');
    expect(alice.receiptOf(key, { ...whileOnline, own: false })).to.equal(undefined);
    expect(alice.receiptOf(key, { ...whileOnline, status: 'sending' })).to.equal(undefined);
  });

  it('counts channel readers: 1 of 1, then 1 of 2 with a third member', async () => {
    const [aliceId, bobId, carolId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol'), uniqueId('room')];
    const key = `channel:${channelId}` as const;
    const bob = await startedSession(bobId);
    const $atBob = mount(bob.messagesOf(key));
    await waitFor(() => summaryOf(bob, key), 'bob in the channel');
    const alice = await startedSession(aliceId);
    mount(alice.messagesOf(key));
    const $readers = mount(alice.readersOf(key));
    await waitFor(() => $readers.get()?.members.length === 2, 'two members with their markers');

    const first = await alice.send(key, 'read me');
    expect(alice.readCount(key, first)).to.deep.equal({ read: 0, of: 1 });
    await waitFor(() => $atBob.get().length === 1, 'bob to get it');
    bob.markRead(key);
    await waitFor(() => alice.readCount(key, first)?.read === 1, 'bob to have read it');
    expect(alice.readCount(key, first)).to.deep.equal({ read: 1, of: 1 });

    // Carol joins (a new member has read what came before) and is counted in.
    const carol = await loggedInClient(carolId);
    await carol.createChannel(channelId).join();
    await waitFor(() => alice.readCount(key, first)?.of === 2, 'carol counted');
    const second = await alice.send(key, 'and me');
    expect(alice.readCount(key, second)).to.deep.equal({ read: 0, of: 2 });
    await waitFor(() => $atBob.get().length === 2, 'bob to get the second');
    bob.markRead(key);
    await waitFor(() => alice.readCount(key, second)?.read === 1, 'bob to have read the second');
    expect(alice.readCount(key, second)).to.deep.equal({ read: 1, of: 2 });
    // Not for others' messages, nor without readers loaded.
    expect(alice.readCount(key, { ...second, own: false })).to.equal(undefined);
    expect(alice.readCount(`channel:${uniqueId('other')}`, second)).to.equal(undefined);
  });

  it('shows who is typing until the notice expires, throttling what it sends', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await startedSession(aliceId);
    const tap = socketTap();
    const bob = await startedSession(bobId, { WebSocket: tap.WebSocket });
    const $typing = mount(alice.$typingOf(alice.conversationKey('peer', bobId)));

    for (let i = 0; i < 10; i++) bob.typing(bob.conversationKey('peer', aliceId));
    await waitFor(() => $typing.get().length > 0, 'bob typing at alice');
    const shownAt = Date.now();
    expect($typing.get()).to.deep.equal([bobId]);
    expect(sentOfType(tap, 'typing')).to.have.length(1);

    await waitFor(() => $typing.get().length === 0, 'the notice to expire', TYPING_TTL_MS + 3000);
    expect(Date.now() - shownAt).to.be.greaterThan(TYPING_TTL_MS - 1000);

    // A message from the typist ends it at once.
    await sleep(1100);
    bob.typing(bob.conversationKey('peer', aliceId));
    await waitFor(() => $typing.get().length > 0, 'bob typing again');
    await bob.send(bob.conversationKey('peer', aliceId), 'done typing');
    await waitFor(() => $typing.get().length === 0, 'the message to end it', 2000);
  });

  it('follows presence while presenceOf is mounted', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await startedSession(aliceId);
    await alice.send(alice.conversationKey('peer', bobId), 'hi');
    const $bob = mount(alice.presenceOf(bobId));

    await waitFor(() => $bob.get() === 'OFFLINE', 'bob offline');
    expect(summaryOf(alice, `peer:${bobId}`)!.online).to.equal(false);
    const bob = await loggedInClient(bobId);
    await waitFor(() => $bob.get() === 'ONLINE', 'bob online');
    expect(summaryOf(alice, `peer:${bobId}`)!.online).to.equal(true);
    await bob.logout();
    await waitFor(() => $bob.get() === 'OFFLINE', 'bob offline again');
  });

  it('catches up after a reconnect: missed messages once, in order, over several pages', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    await bob.sendMessageToPeer({ text: 'before' }, aliceId);
    const tap = socketTap();
    const alice = await startedSession(aliceId, { WebSocket: tap.WebSocket });
    const key = alice.conversationKey('peer', bobId);
    const $messages = mount(alice.messagesOf(key));
    await waitFor(() => $messages.get().length === 1, 'the history page');

    tap.refuse = true;
    tap.kill();
    await waitFor(() => alice.$connection.get().state === 'RECONNECTING', 'alice offline');
    const missed = Array.from({ length: 150 }, (_, i) => `missed ${i + 1}`);
    for (const t of missed) await bob.sendMessageToPeer({ text: t }, aliceId);
    tap.refuse = false;

    await waitFor(() => $messages.get().length === 151, 'the missed messages', 30_000);
    await sleep(500);
    expect(texts($messages.get())).to.deep.equal(['before', ...missed]);
    const seqs = $messages.get().map((m) => m.seq);
    expect(seqs).to.deep.equal(Array.from({ length: 151 }, (_, i) => i + 1));
    const syncs = sentOfType(tap, 'sync');
    expect(syncs.map((f) => f.afterSeq)).to.deep.equal([1, 101]);
    expect(summaryOf(alice, key)!.unread).to.equal(151);
  });

  it('starts again from the newest page when too far behind', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const tap = socketTap();
    const alice = await startedSession(aliceId, { WebSocket: tap.WebSocket });
    const key = alice.conversationKey('peer', bobId);
    const $messages = mount(alice.messagesOf(key));
    await alice.send(key, 'first');

    tap.refuse = true;
    tap.kill();
    await waitFor(() => alice.$connection.get().state === 'RECONNECTING', 'alice offline');
    const pending = alice.send(key, 'queued while offline');
    // bob's messages go out over several of his connections: one would pass the server's
    // per-connection send burst (SEND_BURST).
    const bobs = [bob];
    while (bobs.length * SEND_BURST <= MAX_SYNC_GAP) bobs.push(await loggedInClient(bobId));
    const sends = [];
    for (let i = 1; i <= MAX_SYNC_GAP + 1; i++) sends.push(bobs[i % bobs.length]!.sendMessageToPeer({ text: `m${i}` }, aliceId));
    await Promise.all(sends);
    tap.refuse = false;
    await pending;

    await waitFor(() => sentOfType(tap, 'sync').length > 0 && $messages.get().length > 2, 'the reset', 30_000);
    await sleep(500);
    const messages = $messages.get();
    expect(messages[0]!.text).to.not.equal('first');
    expect(messages).to.have.length(100);
    expect(messages.at(-1)!.seq! - messages[0]!.seq!).to.equal(99);
    expect(messages.filter((m) => m.text === 'queued while offline')).to.have.length(1);
  });

  it('applies an offline batch in one update, once', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    for (const t of ['o1', 'o2', 'o3']) await alice.sendMessageToPeer({ text: t }, bobId, { enableOfflineMessaging: true });
    // History stays unanswered, so only the offline delivery can fill the conversation.
    const tap = socketTap();
    tap.dropOutgoing = (frame) => frame.t === 'history';
    const session = createChatSession({
      server: serverUrl(),
      appId: appId(),
      userId: bobId,
      token: await devToken(bobId),
      WebSocket: tap.WebSocket,
    });
    sessions.add(session);
    const events = collectEvents(session);
    const key = session.conversationKey('peer', aliceId);
    const updates: number[] = [];
    mount(session.messagesOf(key));
    session.messagesOf(key).listen((messages) => updates.push(messages.length));

    await session.start();

    await waitFor(() => session.messagesOf(key).get().length === 3, 'the offline messages');
    await sleep(500);
    expect(updates).to.deep.equal([3]);
    expect(texts(session.messagesOf(key).get())).to.deep.equal(['o1', 'o2', 'o3']);
    expect(events.filter((e) => e.type === 'message').map((e) => e.type === 'message' && e.message.text)).to.deep.equal([
      'o1',
      'o2',
      'o3',
    ]);
    expect(session.$totalUnread.get()).to.equal(3);
  });
});

describe('ChatSession channels', function () {
  this.timeout(60_000);
  afterEach(async () => {
    cleanStores(...mountedStores);
    mountedStores.length = 0;
    for (const session of sessions) await session.stop();
    sessions.clear();
    await logoutAll();
  });

  it('stays a member after the view closes: listed, counting, no MemberLeft', async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
    const key = `channel:${channelId}` as const;
    const bob = await loggedInClient(bobId);
    const bobChannel = bob.createChannel(channelId);
    await bobChannel.join();
    const left = record(bobChannel, 'MemberLeft');
    const alice = await startedSession(aliceId);
    const unsubscribe = alice.messagesOf(key).listen(() => {});
    await waitFor(() => summaryOf(alice, key), 'the channel listed');
    unsubscribe();
    await sleep(1500);

    await bobChannel.sendMessage({ text: 'still there?' });
    await waitFor(() => summaryOf(alice, key)?.unread === 1, 'the message counted');
    expect(left).to.have.length(0);
  });

  it('leave() ends the membership: off the list here, and in other tabs at their next reload', async () => {
    const [aliceId, channelId] = [uniqueId('alice'), uniqueId('room')];
    const key = `channel:${channelId}` as const;
    const peerKey = `peer:${uniqueId('bob')}` as const;
    const tab1 = await startedSession(aliceId);
    const unsubscribe = tab1.messagesOf(key).listen(() => {});
    await waitFor(() => summaryOf(tab1, key), 'the channel listed');
    await tab1.send(key, 'bye');
    await tab1.send(peerKey, 'so the list is never empty');
    unsubscribe();
    await sleep(STORE_UNMOUNT_DELAY + 100); // closed: a shown channel would be joined again
    const tab2 = await startedSession(aliceId);
    await waitFor(() => summaryOf(tab2, key), 'the channel listed in tab 2');

    await tab2.leave(key);

    expect(tab2.$conversations.get().map((c) => c.key)).to.deep.equal([peerKey]);
    // Tab 1 still has the channel's messages; its next reload drops the channel all the same.
    await tab1.stop();
    await tab1.start();
    await waitFor(() => !summaryOf(tab1, key), 'tab 1 to drop the channel');
    expect(tab1.$conversations.get().map((c) => c.key)).to.deep.equal([peerKey]);
  });
});

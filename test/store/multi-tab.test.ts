import { expect } from '@open-wc/testing';
import type { WebSocketConstructor, WebSocketLike } from '../../src/client/index.js';
import type { ChatSession } from '../../src/store/index.js';
import { loggedInClient, record, sleep, startServer, stopServer, uniqueId, waitFor } from '../client/helpers.js';
import { sessionKit } from './helpers.js';

// Two sessions of one user in one page stand for two tabs: Web Locks and BroadcastChannel work
// the same between them as between tabs of one origin. Each "tab" gets its own WebSocket class
// so the test can see which tab holds the real socket.

const { newSession, startedSession, mount, cleanup } = sessionKit();

/** A WebSocket class that counts the real sockets it opens. */
function countingWebSocket(): WebSocketConstructor & { opened: number } {
  return class CountingWebSocket extends WebSocket implements WebSocketLike {
    static opened = 0;
    constructor(url: string) {
      super(url);
      CountingWebSocket.opened++;
    }
  };
}

async function twoTabs(userId: string): Promise<{ tabs: ChatSession[]; sockets: ReturnType<typeof countingWebSocket>[] }> {
  const sockets = [countingWebSocket(), countingWebSocket()];
  // The first tab starts alone, so it becomes the leader.
  const first = await startedSession(userId, { WebSocket: sockets[0] });
  const second = await startedSession(userId, { WebSocket: sockets[1] });
  expect(sockets.map((s) => s.opened), 'real sockets opened per tab').to.deep.equal([1, 0]);
  return { tabs: [first, second], sockets };
}

const texts = (received: unknown[][]) => received.map(([m]) => (m as { text?: string }).text);

describe('ChatSession across tabs (one shared connection)', function () {
  this.timeout(90_000);

  afterEach(cleanup);

  it('two tabs of one user open one socket and show the same unread count', async () => {
    const [bobId, aliceId] = [uniqueId('bob'), uniqueId('alice')];
    const { tabs, sockets } = await twoTabs(bobId);
    expect(tabs.map((tab) => tab.$connection.get().state)).to.deep.equal(['CONNECTED', 'CONNECTED']);
    expect(sockets.map((s) => s.opened)).to.deep.equal([1, 0]);
    const $unread = tabs.map((tab) => mount(tab.$totalUnread));

    const alice = await loggedInClient(aliceId);
    for (const text of ['one', 'two', 'three']) await alice.sendMessageToPeer({ text }, bobId);
    await waitFor(() => $unread.every(($u) => $u.get() === 3), 'both tabs to count 3 unread');

    // Reading in the follower tab goes through the leader's socket and clears both tabs.
    const key = tabs[1]!.conversationKey('peer', aliceId);
    const $messages = mount(tabs[1]!.messagesOf(key));
    await waitFor(() => $messages.get().length === 3, 'the follower to load the conversation');
    tabs[1]!.markRead(key);
    await waitFor(() => $unread.every(($u) => $u.get() === 0), 'both tabs to count 0 unread');
    expect(sockets.map((s) => s.opened)).to.deep.equal([1, 0]);
  });

  it("shows each tab's sent messages in the other tab, once", async () => {
    const [bobId, aliceId] = [uniqueId('bob'), uniqueId('alice')];
    const { tabs } = await twoTabs(bobId);
    const key = tabs[0]!.conversationKey('peer', aliceId);
    const views = tabs.map((tab) => mount(tab.messagesOf(key)));
    await tabs[0]!.send(key, 'from the leader');
    await tabs[1]!.send(key, 'from the follower');
    for (const $view of views) {
      await waitFor(() => $view.get().length === 2, 'both messages in every tab');
      expect($view.get().map((m) => [m.text, m.own, m.status])).to.deep.equal([
        ['from the leader', true, 'sent'],
        ['from the follower', true, 'sent'],
      ]);
    }
  });

  it('closing the leader tab hands the socket over without losing or duplicating a message', async () => {
    const [bobId, aliceId] = [uniqueId('bob'), uniqueId('alice')];
    const alice = await loggedInClient(aliceId);
    const atAlice = record(alice, 'MessageFromPeer');
    const { tabs, sockets } = await twoTabs(bobId);
    const [leader, follower] = tabs as [ChatSession, ChatSession];
    const key = follower.conversationKey('peer', aliceId);
    const $view = mount(follower.messagesOf(key));

    // The follower keeps sending while the leader tab closes.
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 5; i++) sends.push(follower.send(key, `before ${i}`));
    const closing = leader.stop();
    for (let i = 0; i < 5; i++) sends.push(follower.send(key, `during ${i}`));
    await closing;
    await Promise.all(sends);

    await waitFor(() => follower.$connection.get().state === 'CONNECTED', 'the follower to reconnect as leader');
    expect(sockets.map((s) => s.opened)).to.deep.equal([1, 1]);
    const expected = [0, 1, 2, 3, 4].map((i) => `before ${i}`).concat([0, 1, 2, 3, 4].map((i) => `during ${i}`));
    await waitFor(() => atAlice.length >= 10, 'alice to get all ten messages');
    expect(texts(atAlice).sort()).to.deep.equal([...expected].sort());
    expect($view.get().map((m) => m.status)).to.deep.equal(Array(10).fill('sent'));

    // The new leader's socket carries live messages.
    await alice.sendMessageToPeer({ text: 'still there?' }, bobId);
    await waitFor(() => $view.get().some((m) => m.text === 'still there?'), 'the new leader to get a live message');
    expect(atAlice.length).to.equal(10);
  });

  it('a new leader sends what the closed leader tab left in the outbox, once', async () => {
    const [bobId, aliceId] = [uniqueId('bob'), uniqueId('alice')];
    const alice = await loggedInClient(aliceId);
    const atAlice = record(alice, 'MessageFromPeer');
    const { tabs } = await twoTabs(bobId);
    const [leader, follower] = tabs as [ChatSession, ChatSession];
    const key = leader.conversationKey('peer', aliceId);
    mount(leader.messagesOf(key));
    try {
      await stopServer();
      await waitFor(() => leader.$connection.get().state === 'RECONNECTING', 'the leader to lose the server');
      const sending = leader.send(key, 'written offline in the leader');
      await sleep(500); // the outbox write is done long before this
      await leader.stop(); // then the tab closes, before the server is back
      expect((await sending).status).to.equal('failed');
    } finally {
      await startServer();
    }
    await waitFor(() => alice.connectionState === 'CONNECTED', 'alice to reconnect', 60_000);
    await waitFor(() => follower.$connection.get().state === 'CONNECTED', 'the follower to lead', 60_000);
    await waitFor(() => atAlice.length === 1, 'alice to get the queued message', 30_000);
    expect(texts(atAlice)).to.deep.equal(['written offline in the leader']);
    const $view = mount(follower.messagesOf(key));
    await waitFor(() => $view.get().some((m) => m.text === 'written offline in the leader' && m.status === 'sent'), 'the new leader to show it sent');

    // A later tab of the same user sees it once too.
    const later = await newSession(bobId);
    const $later = mount(later.messagesOf(key));
    await later.start();
    await waitFor(() => $later.get().some((m) => m.status === 'sent'), 'the later tab to load it');
    expect($later.get().map((m) => m.text)).to.deep.equal(['written offline in the leader']);
    expect(atAlice.length).to.equal(1);
  });
});

import { expect } from '@open-wc/testing';
import type { ChatMessage } from '../../src/store/index.js';
import {
  loggedInClient,
  record,
  sleep,
  startServer,
  stopServer,
  uniqueId,
  waitFor,
} from '../client/helpers.js';
import { sessionKit } from './helpers.js';

const { newSession, mount, cleanup } = sessionKit();

const shown = (messages: readonly ChatMessage[]) => messages.map((m) => [m.text, m.status]);
const texts = (received: unknown[][]) => received.map(([m]) => (m as { text?: string }).text);

describe('ChatSession persistence (IndexedDB)', function () {
  this.timeout(90_000);

  afterEach(cleanup);

  it('shows the cached history of a conversation before the server answers', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const first = await newSession(aliceId);
    await first.start();
    const key = first.conversationKey('peer', bobId);
    const $first = mount(first.messagesOf(key));
    await first.send(key, 'hi bob');
    await bob.sendMessageToPeer({ text: 'hi alice' }, aliceId);
    await waitFor(() => $first.get().length === 2, 'alice to get the reply');
    const history = $first.get().map((m) => [m.text, m.id, m.seq]);
    await first.stop();

    const second = await newSession(aliceId);
    try {
      await stopServer();
      const $second = mount(second.messagesOf(key));
      await waitFor(() => $second.get().length === 2, 'the cached messages with the server down');
      expect($second.get().map((m) => [m.text, m.id, m.seq])).to.deep.equal(history);
      expect(shown($second.get())).to.deep.equal([
        ['hi bob', 'sent'],
        ['hi alice', 'sent'],
      ]);
      expect($second.get().map((m) => m.own)).to.deep.equal([true, false]);
    } finally {
      await startServer();
    }
  });

  it('sends a message left in the outbox by a closed page once, with the same id, after a reload', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    const closed = await newSession(aliceId);
    await closed.start();
    const key = closed.conversationKey('peer', bobId);
    mount(closed.messagesOf(key));
    const reloaded = await newSession(aliceId);
    try {
      await stopServer();
      await waitFor(() => closed.$connection.get().state === 'RECONNECTING', 'the session to show RECONNECTING');
      const sending = closed.send(key, 'written offline');
      // The outbox write is done long before this; then the tab "closes" before the reconnect.
      await sleep(500);
      await closed.stop();
      expect((await sending).status).to.equal('failed');
    } finally {
      await startServer();
    }
    await waitFor(() => bob.connectionState === 'CONNECTED', 'bob to reconnect', 60_000);

    const $messages = mount(reloaded.messagesOf(key));
    await reloaded.start();
    await waitFor(() => received.length === 1, 'bob to get the message from the outbox', 30_000);
    await waitFor(() => $messages.get().some((m) => m.status === 'sent'), 'the reloaded session to show it sent');
    await reloaded.send(key, 'marker');
    await waitFor(() => received.length === 2, 'bob to get the marker', 30_000);
    await sleep(300);
    expect(texts(received)).to.deep.equal(['written offline', 'marker']);
    expect(shown($messages.get())).to.deep.equal([
      ['written offline', 'sent'],
      ['marker', 'sent'],
    ]);

    // Acked, so out of the outbox: a third load sends nothing more.
    await reloaded.stop();
    const third = await newSession(aliceId);
    await third.start();
    await sleep(1000);
    expect(texts(received)).to.deep.equal(['written offline', 'marker']);
  });

  it('works from memory when IndexedDB fails, logging it once', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    const session = await newSession(aliceId);
    const open = Object.getOwnPropertyDescriptor(indexedDB, 'open');
    const warn = console.warn;
    const warnings: unknown[][] = [];
    // A deliberate fault: private-mode browsers throw like this.
    indexedDB.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      await session.start();
      const key = session.conversationKey('peer', bobId);
      const $messages = mount(session.messagesOf(key));
      const sent = await session.send(key, 'no cache here');
      expect(sent.status).to.equal('sent');
      await bob.sendMessageToPeer({ text: 'still works' }, aliceId);
      await waitFor(() => $messages.get().length === 2, 'alice to get the reply');
      expect(shown($messages.get())).to.deep.equal([
        ['no cache here', 'sent'],
        ['still works', 'sent'],
      ]);
      await waitFor(() => received.length === 1, 'bob to get the message');
      await session.stop();
    } finally {
      if (open) Object.defineProperty(indexedDB, 'open', open);
      else delete (indexedDB as { open?: unknown }).open;
      console.warn = warn;
    }
    expect(warnings.length).to.equal(1);
  });
});

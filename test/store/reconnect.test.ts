import { expect } from '@open-wc/testing';
import { cleanStores, keepMount, type ReadableAtom } from 'nanostores';
import { createChatSession, type ChatSession } from '../../src/store/index.js';
import {
  appId,
  devToken,
  loggedInClient,
  logoutAll,
  record,
  serverUrl,
  sleep,
  startServer,
  stopServer,
  uniqueId,
  waitFor,
} from '../client/helpers.js';

describe('ChatSession across a server outage', function () {
  this.timeout(90_000);
  let session: ChatSession | undefined;
  let $mounted: ReadableAtom<unknown> | undefined;

  afterEach(async () => {
    if ($mounted) cleanStores($mounted);
    $mounted = undefined;
    await session?.stop();
    session = undefined;
    await logoutAll();
  });

  it('keeps messages sent during the outage as sending, then shows them sent once', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    session = createChatSession({ server: serverUrl(), appId: appId(), userId: aliceId, token: await devToken(aliceId) });
    await session.start();
    const key = session.conversationKey('peer', bobId);
    const $messages = session.messagesOf(key);
    keepMount($messages);
    $mounted = $messages;

    let sends: Promise<unknown>[] = [];
    try {
      await stopServer();
      await waitFor(() => session!.$connection.get().state === 'RECONNECTING', 'the session to show RECONNECTING');
      sends = ['first', 'second'].map((text) => session!.send(key, text));
      await sleep(1000);
      expect($messages.get().map((m) => [m.text, m.status])).to.deep.equal([
        ['first', 'sending'],
        ['second', 'sending'],
      ]);
    } finally {
      await startServer();
    }
    await Promise.all(sends);

    await waitFor(() => session!.$connection.get().state === 'CONNECTED', 'the session to reconnect');
    expect($messages.get().map((m) => [m.text, m.status])).to.deep.equal([
      ['first', 'sent'],
      ['second', 'sent'],
    ]);
    await waitFor(() => bob.connectionState === 'CONNECTED', 'bob to reconnect', 60_000);
    await session.send(key, 'marker');
    await waitFor(() => received.length === 3, 'bob to get all three', 30_000);
    await sleep(300);
    expect(received.map(([m]) => (m.messageType === 'TEXT' ? m.text : ''))).to.deep.equal(['first', 'second', 'marker']);
  });
});

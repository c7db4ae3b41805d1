import { expect } from '@open-wc/testing';
import { MAX_MESSAGE_BYTES, RtmError, messageByteSize } from '../../src/protocol/index.js';
import {
  createChatSession,
  type ChatMessage,
  type ChatSession,
} from '../../src/store/index.js';
import {
  appId,
  devToken,
  loggedInClient,
  record,
  serverUrl,
  sleep,
  socketTap,
  uniqueId,
  waitFor,
} from '../client/helpers.js';
import { collectEvents, sessionKit } from './helpers.js';

const { sessions, newSession, mount, cleanup } = sessionKit();

const texts = (messages: readonly ChatMessage[]) => messages.map((m) => m.text);

describe('ChatSession', function () {
  this.timeout(60_000);

  afterEach(cleanup);

  it('starts once, however often start() is called, and reports the connection', async () => {
    const session = await newSession(uniqueId('alice'));
    const events = collectEvents(session);
    expect(session.$connection.get()).to.deep.equal({ state: 'IDLE' });

    const first = session.start();
    expect(session.start()).to.equal(first);
    await first;

    expect(session.$connection.get()).to.deep.include({ state: 'CONNECTED', reason: 'LOGIN_SUCCESS' });
    expect(events.filter((e) => e.type === 'connection').map((e) => e.type === 'connection' && e.state)).to.deep.equal([
      'CONNECTING',
      'CONNECTED',
    ]);
  });

  it('reports a refused login in $connection and as an error event', async () => {
    const session = createChatSession({ server: serverUrl(), appId: appId(), userId: uniqueId('mallory'), token: 'bad' });
    sessions.add(session);
    const events = collectEvents(session);

    let error: unknown;
    await session.start().catch((e: unknown) => (error = e));

    expect(error).to.be.instanceOf(RtmError);
    expect((error as RtmError).reason).to.equal('INVALID_TOKEN');
    const snapshot = session.$connection.get();
    expect(snapshot.state).to.equal('DISCONNECTED');
    expect(snapshot.error?.reason).to.equal('INVALID_TOKEN');
    expect(events.some((e) => e.type === 'error' && e.error.reason === 'INVALID_TOKEN')).to.equal(true);
  });

  it('uses the tokenProvider for the token', async () => {
    const userId = uniqueId('alice');
    let calls = 0;
    const session = createChatSession({
      server: serverUrl(),
      appId: appId(),
      userId,
      tokenProvider: () => {
        calls++;
        return devToken(userId);
      },
    });
    sessions.add(session);
    await session.start();
    expect(calls).to.equal(1);
    expect(session.$connection.get().state).to.equal('CONNECTED');
  });

  it('shows a sent message at once as sending, then as sent with its server id', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    const session = await newSession(aliceId);
    await session.start();
    const key = session.conversationKey('peer', bobId);
    expect(key).to.equal(`peer:${bobId}`);
    const $messages = mount(session.messagesOf(key));
    expect(session.messagesOf(key)).to.equal($messages);

    const sending = session.send(key, 'hello bob');

    const [optimistic] = $messages.get();
    expect($messages.get()).to.have.length(1);
    expect(optimistic).to.deep.include({ status: 'sending', own: true, from: aliceId, text: 'hello bob', conversation: key });
    expect(optimistic!.id).to.equal(undefined);

    const sent = await sending;
    expect(sent.status).to.equal('sent');
    expect(sent.localId).to.equal(optimistic!.localId);
    expect($messages.get()).to.have.length(1);
    expect($messages.get()[0]).to.deep.include({ status: 'sent', id: sent.id, seq: sent.seq, localId: optimistic!.localId });
    await waitFor(() => atBob.length === 1, 'bob to receive it');
    expect(atBob[0]![2].clientMessageId).to.equal(optimistic!.localId);
    expect(atBob[0]![2].messageId).to.equal(sent.id);
  });

  it('adds incoming messages, emits a message event, and lists the conversation', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const session = await newSession(aliceId);
    const events = collectEvents(session);
    await session.start();
    const bob = await loggedInClient(bobId);

    await bob.sendMessageToPeer({ text: 'hi alice' }, aliceId);

    const key = session.conversationKey('peer', bobId);
    await waitFor(() => session.messagesOf(key).get().length === 1, 'the message in the store');
    const [message] = session.messagesOf(key).get();
    expect(message).to.deep.include({ from: bobId, own: false, text: 'hi alice', status: 'sent' });
    const messageEvents = events.filter((e) => e.type === 'message');
    expect(messageEvents).to.have.length(1);
    expect(messageEvents[0]).to.deep.include({ conversation: key, message });
    const [summary] = session.$conversations.get();
    expect(summary).to.deep.include({ key, kind: 'peer', id: bobId, lastMessage: message });
  });

  it('shows a message that arrived live and again in history once, in seq order', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    // Sent while alice is away and without offline delivery: only history has it.
    await bob.sendMessageToPeer({ text: 'old' }, aliceId);
    const session = await newSession(aliceId);
    const events = collectEvents(session);
    await session.start();
    await bob.sendMessageToPeer({ text: 'live' }, aliceId);
    const key = session.conversationKey('peer', bobId);
    const $messages = session.messagesOf(key);
    // `.value`, not `.get()`: get() would mount the store and load history already.
    await waitFor(() => $messages.value?.length === 1, 'the live message');
    const own = await session.send(key, 'mine');
    expect(own.status).to.equal('sent');

    mount($messages); // loads the latest history page: old, live, mine

    await waitFor(() => $messages.get().length >= 3, 'history to load');
    await sleep(200);
    expect(texts($messages.get())).to.deep.equal(['old', 'live', 'mine']);
    const seqs = $messages.get().map((m) => m.seq!);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    // History is not news: only the live message was announced.
    expect(events.filter((e) => e.type === 'message').map((e) => e.type === 'message' && e.message.text)).to.deep.equal(['live']);
  });

  it('marks a send failed with its error, and retry sends it with the same id', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    const tap = socketTap();
    const session = await newSession(aliceId, { WebSocket: tap.WebSocket });
    const events = collectEvents(session);
    await session.start();
    const key = session.conversationKey('peer', bobId);
    const $messages = mount(session.messagesOf(key));
    // Every peer.send kills its socket before reaching the server: both attempts are lost.
    tap.killOnSend = (frame) => frame.t === 'peer.send';

    const failed = await session.send(key, 'persistent');

    expect(failed.status).to.equal('failed');
    expect(failed.error?.reason).to.equal('SERVER_NOT_REACHABLE');
    expect($messages.get()[0]).to.deep.include({ status: 'failed', localId: failed.localId });
    const errorEvent = events.find((e) => e.type === 'error');
    expect(errorEvent).to.deep.include({ conversation: key });

    tap.killOnSend = undefined;
    const retrying = session.retry(key, failed.localId);
    expect($messages.get()[0]!.status).to.equal('sending');
    expect($messages.get()[0]!.error).to.equal(undefined);
    const sent = await retrying;

    expect(sent.status).to.equal('sent');
    expect($messages.get()).to.have.length(1);
    expect($messages.get()[0]).to.deep.include({ status: 'sent', localId: failed.localId });
    const cmids = tap.sent.filter((f) => f.t === 'peer.send').map((f) => f.t === 'peer.send' && f.cmid);
    expect(new Set(cmids)).to.deep.equal(new Set([failed.localId]));
    await waitFor(() => atBob.length === 1, 'bob to get it');
    await bob.sendMessageToPeer({ text: 'ack' }, aliceId);
    await sleep(300);
    expect(atBob).to.have.length(1);
  });

  it('rejects a retry of an unknown message', async () => {
    const session = await newSession(uniqueId('alice'));
    let error: unknown;
    await session.retry('peer:bob', 'nope').catch((e: unknown) => (error = e));
    expect((error as RtmError).reason).to.equal('INVALID_ARGUMENT');
  });

  it('validates drafts with the protocol rules, and send throws the same error adding nothing', async () => {
    const session = await newSession(uniqueId('alice'));
    const overhead = messageByteSize({ type: 'TEXT', text: '' });
    const cases: [Parameters<ChatSession['validateDraft']>, string | undefined][] = [
      [['peer:bob', 'hi'], undefined],
      [['peer:bob', ''], 'MESSAGE_EMPTY'],
      [['peer:bob', 'x'.repeat(MAX_MESSAGE_BYTES - overhead)], undefined],
      [['peer:bob', 'x'.repeat(MAX_MESSAGE_BYTES - overhead + 1)], 'MESSAGE_TOO_LARGE'],
      [[`peer:${'b'.repeat(65)}`, 'hi'], 'INVALID_USER_ID'],
      [['channel:', 'hi'], 'INVALID_CHANNEL_NAME'],
      [['group:x' as never, 'hi'], 'INVALID_ARGUMENT'],
    ];
    for (const [[key, text], reason] of cases) {
      expect(session.validateDraft(key, text)?.reason, `${key} ${text.length}`).to.equal(reason);
    }

    const key = 'peer:bob' as const;
    expect(() => session.send(key, '')).to.throw(RtmError).with.property('reason', 'MESSAGE_EMPTY');
    expect(session.messagesOf(key).get()).to.deep.equal([]);
    expect(session.$conversations.get()).to.deep.equal([]);
  });

  it('orders conversations by last activity', async () => {
    const [aliceId, bobId, carolId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
    const session = await newSession(aliceId);
    await session.start();
    const carol = await loggedInClient(carolId);
    const order = () => session.$conversations.get().map((c) => c.id);

    await session.send(session.conversationKey('peer', carolId), 'to carol');
    await sleep(5);
    await session.send(session.conversationKey('peer', bobId), 'to bob');
    expect(order()).to.deep.equal([bobId, carolId]);

    await sleep(5);
    await carol.sendMessageToPeer({ text: 'carol again' }, aliceId);
    await waitFor(() => order()[0] === carolId, 'carol to move up');
    expect(order()).to.deep.equal([carolId, bobId]);
    expect(session.$conversations.get()[0]!.lastMessage?.text).to.equal('carol again');
  });

  it("shows a message sent from the user's other tab as own and sent", async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tab1 = await newSession(aliceId);
    const tab2 = await newSession(aliceId);
    await tab1.start();
    await tab2.start();
    const key = tab1.conversationKey('peer', bobId);

    const sent = await tab1.send(key, 'from tab 1');

    const $inTab2 = tab2.messagesOf(key);
    await waitFor(() => $inTab2.get().length === 1, 'tab 2 to show it');
    expect($inTab2.get()[0]).to.deep.include({ own: true, status: 'sent', localId: sent.localId, id: sent.id, text: 'from tab 1' });
  });

  it('joins a channel while its messages are shown', async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('lobby')];
    const bob = await loggedInClient(bobId);
    const bobChannel = bob.createChannel(channelId);
    await bobChannel.join();
    const joined = record(bobChannel, 'MemberJoined');
    const atBob = record(bobChannel, 'ChannelMessage');
    const session = await newSession(aliceId);
    await session.start();
    const key = session.conversationKey('channel', channelId);

    const unsubscribe = session.messagesOf(key).listen(() => {});
    await waitFor(() => joined.length === 1, 'bob to see alice join');
    expect(joined[0]).to.deep.equal([aliceId]);

    const sent = await session.send(key, 'hi channel');
    expect(sent.status).to.equal('sent');
    await waitFor(() => atBob.length === 1, 'bob to get the channel message');
    await bobChannel.sendMessage({ text: 'hi alice' });
    await waitFor(() => session.messagesOf(key).get().length === 2, 'the reply in the store');
    expect(texts(session.messagesOf(key).get())).to.deep.equal(['hi channel', 'hi alice']);
    unsubscribe();
    // Staying a member after the view closes: see read-state.test.ts.
  });

  it('pages back through history with loadOlder until the start of the conversation', async () => {
    const alice = await newSession(uniqueId('alice'));
    const bob = await newSession(uniqueId('bob'));
    await Promise.all([alice.start(), bob.start()]);
    // 150 messages in a channel bob has not joined yet: more than one history page (100).
    const room = alice.conversationKey('channel', uniqueId('room'));
    mount(alice.messagesOf(room));
    for (let n = 1; n <= 150; n++) await alice.send(room, `m${n}`);
    const $messages = mount(bob.messagesOf(room));
    await waitFor(() => $messages.get().length === 100, 'the newest page');
    expect(texts($messages.get())[0]).to.equal('m51');
    expect(await bob.loadOlder(room), 'the start is reached').to.equal(false);
    expect(texts($messages.get())).to.deep.equal(Array.from({ length: 150 }, (_, i) => `m${i + 1}`));
    expect(await bob.loadOlder(room), 'nothing more to load').to.equal(false);
    expect($messages.get()).to.have.length(150);
  });

  it('stop() logs out and leaves no socket open', async () => {
    const tap = socketTap();
    const session = await newSession(uniqueId('alice'), { WebSocket: tap.WebSocket });
    await session.start();
    expect(tap.live()).to.equal(1);

    await session.stop();

    expect(session.$connection.get()).to.deep.equal({ state: 'IDLE' });
    await waitFor(() => tap.live() === 0, 'the socket to close');
    await sleep(500);
    expect(tap.opened()).to.equal(1);
  });
});

describe('session start when the token provider fails', () => {
  it('keeps asking with backoff while the provider fails, then signs in by itself', async () => {
    const uid = uniqueId('patient');
    let calls = 0;
    const session = createChatSession({
      server: serverUrl(),
      appId: appId(),
      userId: uid,
      // The page's backend is down for the first two asks (a fetch that fails to connect).
      tokenProvider: async () => {
        calls++;
        if (calls <= 2) throw new TypeError('Failed to fetch');
        return devToken(uid);
      },
    });
    const states: string[] = [];
    const unlisten = session.$connection.listen((snapshot) => states.push(snapshot.state));
    try {
      await session.start();
      expect(calls).to.equal(3);
      expect(states, 'the banner says it is retrying meanwhile').to.include('RECONNECTING');
      expect(session.$connection.get().state).to.equal('CONNECTED');
    } finally {
      unlisten();
      await session.stop();
    }
  });

  it('gives up at once when the provider refuses with an RtmError', async () => {
    const session = createChatSession({
      server: serverUrl(),
      appId: appId(),
      userId: uniqueId('refused'),
      tokenProvider: async () => {
        throw new RtmError('TOKEN_EXPIRED', 'The backend will not issue a token.');
      },
    });
    try {
      const error = await session.start().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect((error as RtmError).reason).to.equal('TOKEN_EXPIRED');
      expect(session.$connection.get().state).to.equal('DISCONNECTED');
    } finally {
      await session.stop();
    }
  });
});

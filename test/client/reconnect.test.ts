import { expect } from '@open-wc/testing';
import type { PeerMessageProps, RtmMessage } from '../../src/client/index.js';
import {
  devToken,
  loggedInClient,
  newClient,
  logoutAll,
  record,
  rejectionOf,
  sentOfType,
  settledState,
  sleep,
  socketTap,
  startServer,
  stopServer,
  uniqueId,
  waitFor,
} from './helpers.js';

type Received = [RtmMessage, string, PeerMessageProps];

const textOf = ([message]: Received) => (message.messageType === 'TEXT' ? message.text : '');

/** How many times each text arrived. */
function counts(received: Received[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const entry of received) result[textOf(entry)] = (result[textOf(entry)] ?? 0) + 1;
  return result;
}

describe('RtmClient reconnect and delivery', function () {
  // Server restarts and backoff delays take seconds; nothing here asserts on speed.
  this.timeout(90_000);
  afterEach(logoutAll);

  it('queues sends during a server outage and delivers each exactly once after it', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    const aliceStates = record(alice, 'ConnectionStateChanged');

    let sends: Promise<{ messageId: string }>[] = [];
    try {
      await stopServer();
      await waitFor(() => alice.connectionState === 'RECONNECTING', 'alice to notice the outage');
      expect(aliceStates[0]).to.deep.equal(['RECONNECTING', 'INTERRUPTED']);
      sends = ['one', 'two', 'three'].map((text) =>
        alice.sendMessageToPeer({ text }, bobId, { enableOfflineMessaging: true }),
      );
      // While the server is down the sends wait: none settles, and the state stays RECONNECTING.
      await sleep(1500);
      for (const send of sends) expect(await settledState(send)).to.equal('pending');
      expect(alice.connectionState).to.equal('RECONNECTING');
    } finally {
      await startServer();
    }

    const acks = await Promise.all(sends);
    expect(new Set(acks.map((ack) => ack.messageId)).size).to.equal(3);
    expect(aliceStates.at(-1)).to.deep.equal(['CONNECTED', 'LOGIN_SUCCESS']);

    // Bob reconnects by himself and gets them live or from the offline store; a marker sent last
    // shows that nothing else is still on its way.
    await waitFor(() => bob.connectionState === 'CONNECTED', 'bob to reconnect', 60_000);
    await alice.sendMessageToPeer({ text: 'marker' }, bobId, { enableOfflineMessaging: true });
    await waitFor(() => counts(received).marker, 'the marker', 30_000);
    expect(counts(received)).to.deep.equal({ one: 1, two: 1, three: 1, marker: 1 });
    const order = received.map(textOf);
    expect(order.slice(0, 3)).to.deep.equal(['one', 'two', 'three']);
    expect(received.slice(0, 3).map(([, , props]) => props.messageId)).to.deep.equal(acks.map((ack) => ack.messageId));
  });

  it('rejoins its channels after the server restarts', async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('lobby')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const aliceChannel = alice.createChannel(channelId);
    const bobChannel = bob.createChannel(channelId);
    await aliceChannel.join();
    await bobChannel.join();
    const atBob = record(bobChannel, 'ChannelMessage');

    try {
      await stopServer();
      await waitFor(() => alice.connectionState === 'RECONNECTING', 'alice to notice the outage');
    } finally {
      await startServer();
    }
    await waitFor(() => alice.connectionState === 'CONNECTED' && bob.connectionState === 'CONNECTED', 'both to reconnect', 60_000);

    await aliceChannel.sendMessage({ text: 'still here?' });
    await waitFor(() => atBob.length === 1, 'bob to get the channel message');
    expect(atBob[0]![0]).to.deep.equal({ messageType: 'TEXT', text: 'still here?' });
    expect((await aliceChannel.getMembers()).sort()).to.deep.equal([aliceId, bobId].sort());
  });

  it('resends with the same client message id when the ack is lost, and the peer gets it once', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tap = socketTap();
    const alice = await loggedInClient(aliceId, { WebSocket: tap.WebSocket, sendTimeoutMs: 1500 });
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    // Swallow the ack of the first transmission: the server stored and delivered the message,
    // but alice cannot know.
    tap.dropIncoming = (frame) => frame.t === 'reply' && frame.id === sentOfType(tap, 'peer.send')[0]?.id;

    const ack = await alice.sendMessageToPeer({ text: 'exactly once' }, bobId);

    const transmissions = sentOfType(tap, 'peer.send');
    expect(transmissions).to.have.length(2);
    expect(transmissions[1]!.cmid).to.equal(transmissions[0]!.cmid);
    expect(tap.opened()).to.equal(2); // the timeout forced a reconnect before the resend
    await alice.sendMessageToPeer({ text: 'marker' }, bobId);
    await waitFor(() => counts(received).marker, 'the marker');
    expect(counts(received)).to.deep.equal({ 'exactly once': 1, marker: 1 });
    expect(received[0]![2].messageId).to.equal(ack.messageId);
  });

  it('retransmits a send whose socket died under it', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tap = socketTap();
    const alice = await loggedInClient(aliceId, { WebSocket: tap.WebSocket });
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    let killed = false;
    tap.killOnSend = (frame) => frame.t === 'peer.send' && !killed && (killed = true);

    await alice.sendMessageToPeer({ text: 'survivor' }, bobId);

    expect(sentOfType(tap, 'peer.send')).to.have.length(2);
    await waitFor(() => received.length === 1, 'bob to get it');
    expect(counts(received)).to.deep.equal({ survivor: 1 });
  });

  it('fails with SERVER_NOT_REACHABLE when the retry after reconnecting gets no ack either', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tap = socketTap();
    const alice = await loggedInClient(aliceId, { WebSocket: tap.WebSocket, sendTimeoutMs: 1000 });
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    tap.dropOutgoing = (frame) => frame.t === 'peer.send';

    const error = await rejectionOf(alice.sendMessageToPeer({ text: 'into the void' }, bobId));

    expect(error.reason).to.equal('SERVER_NOT_REACHABLE');
    expect(error.code).to.equal(300);
    const transmissions = sentOfType(tap, 'peer.send');
    expect(transmissions).to.have.length(2);
    expect(transmissions[1]!.cmid).to.equal(transmissions[0]!.cmid);

    // The client is still usable once the network behaves again.
    tap.dropOutgoing = undefined;
    await waitFor(() => alice.connectionState === 'CONNECTED', 'alice to be connected');
    await alice.sendMessageToPeer({ text: 'marker' }, bobId);
    await waitFor(() => received.length === 1, 'the marker');
    expect(counts(received)).to.deep.equal({ marker: 1 });
  });

  it('gives up after reconnectGiveUpMs: queued and new sends reject with 510 until login again', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tap = socketTap();
    const alice = await loggedInClient(aliceId, { WebSocket: tap.WebSocket, reconnectGiveUpMs: 2000 });
    const states = record(alice, 'ConnectionStateChanged');

    let queued: Promise<unknown> | undefined;
    let queuedError: any;
    try {
      await stopServer();
      await waitFor(() => alice.connectionState === 'RECONNECTING', 'alice to notice the outage');
      queued = alice.sendMessageToPeer({ text: 'queued' }, bobId);
      queuedError = await rejectionOf(queued);
      expect(alice.connectionState).to.equal('DISCONNECTED');
      expect(states.at(-1)).to.deep.equal(['DISCONNECTED', 'INTERRUPTED']);
    } finally {
      await startServer();
    }
    expect(queuedError.reason).to.equal('MESSAGE_WEBSOCKET_DISCONNECTED');
    expect(queuedError.code).to.equal(510);

    const sentBefore = tap.sent.length;
    const late = await rejectionOf(alice.sendMessageToPeer({ text: 'late' }, bobId));
    expect(late.code).to.equal(510);
    expect(tap.sent.length).to.equal(sentBefore);
    // It stays given up (no reconnect on its own) even though the server is back.
    await sleep(1000);
    expect(alice.connectionState).to.equal('DISCONNECTED');

    await alice.login({ uid: aliceId });
    const ack = await alice.sendMessageToPeer({ text: 'back' }, bobId, { enableOfflineMessaging: true });
    expect(ack.storedOffline).to.equal(true);
  });

  it('rejects login with LOGIN_TIMEOUT when the server stays unreachable', async () => {
    const uid = uniqueId('alice');
    const token = await devToken(uid);
    const tap = socketTap();
    const client = newClient({ WebSocket: tap.WebSocket });
    const states = record(client, 'ConnectionStateChanged');
    let error: any;
    try {
      await stopServer();
      error = await rejectionOf(client.login({ uid, token }));
    } finally {
      await startServer();
    }
    expect(error.reason).to.equal('LOGIN_TIMEOUT');
    expect(states).to.deep.equal([
      ['CONNECTING', 'LOGIN'],
      ['DISCONNECTED', 'LOGIN_TIMEOUT'],
    ]);
    // It kept trying within the login timeout, and stopped trying after it.
    expect(tap.opened()).to.be.greaterThan(1);
    const opened = tap.opened();
    await sleep(1500);
    expect(tap.opened()).to.equal(opened);
  });
});

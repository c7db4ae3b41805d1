import { expect } from '@open-wc/testing';
import { MAX_MESSAGE_BYTES, RtmError, messageByteSize } from '../../src/protocol/index.js';
import type { PeerMessageProps, RtmMessage, RtmClient } from '../../src/client/index.js';
import {
  devToken,
  loggedInClient,
  logoutAll,
  newClient,
  record,
  rejectionOf,
  sentOfType,
  socketTap,
  uniqueId,
  waitFor,
} from './helpers.js';

type Received = [RtmMessage, string, PeerMessageProps];

/** Texts of the TEXT messages recorded from MessageFromPeer. */
const texts = (received: Received[]) =>
  received.map(([message]) => (message.messageType === 'TEXT' ? message.text : `<${message.messageType}>`));

describe('RtmClient peer messages', () => {
  afterEach(logoutAll);

  it('delivers alice → bob live when both are online', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');

    const ack = await alice.sendMessageToPeer(alice.createMessage({ messageType: 'TEXT', text: 'hi bob' }), bobId);

    expect(ack.hasPeerReceived).to.equal(true);
    expect(ack.storedOffline).to.equal(false);
    expect(ack.messageId).to.be.a('string').and.not.be.empty;
    expect(ack.seq).to.be.a('number');
    await waitFor(() => received.length === 1, 'bob to receive the message');
    const [message, peerId, props] = received[0]!;
    expect(message).to.deep.equal({ messageType: 'TEXT', text: 'hi bob' });
    expect(peerId).to.equal(aliceId);
    expect(props.isOfflineMessage).to.equal(false);
    expect(props.messageId).to.equal(ack.messageId);
    expect(props.seq).to.equal(ack.seq);
    expect(props.serverReceivedTs).to.equal(ack.serverReceivedTs);
  });

  it('sends transient and needReadReceipt: false, which arrive flagged on the peer and the other tab, and only the second is in history', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const aliceTab2 = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    const synced = record(aliceTab2, 'MessageSynced');

    const passing = await alice.sendMessageToPeer({ text: 'passing' }, bobId, { transient: true });
    const quiet = await alice.sendMessageToPeer({ text: 'quiet' }, bobId, { needReadReceipt: false });
    expect(passing).to.deep.include({ seq: 0, hasPeerReceived: true, storedOffline: false });
    expect(quiet.seq).to.be.greaterThan(0);

    await waitFor(() => received.length === 2 && synced.length === 2, 'both messages at bob and in the other tab');
    expect(received.map(([, , props]) => [props.transient, props.needReadReceipt, props.seq])).to.deep.equal([
      [true, undefined, 0],
      [undefined, false, quiet.seq],
    ]);
    expect(synced.map(([, props]) => [props.transient, props.needReadReceipt])).to.deep.equal([
      [true, undefined],
      [undefined, false],
    ]);
    const history = await bob.getHistory({ peerId: aliceId });
    expect(history.messages.map((m) => [m.message.messageType === 'TEXT' && m.message.text, m.needReadReceipt])).to.deep.equal([['quiet', false]]);

    // Not both at once: a message never stored cannot be kept offline.
    const both = await rejectionOf(alice.sendMessageToPeer({ text: 'x' }, bobId, { transient: true, enableOfflineMessaging: true }));
    expect(both).to.be.instanceOf(RtmError);
    expect(both.reason).to.equal('INVALID_FIELD');
  });

  it('carries RAW bytes and their description', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);

    await alice.sendMessageToPeer({ messageType: 'RAW', rawMessage: bytes, description: 'five bytes' }, bobId);

    await waitFor(() => received.length === 1, 'the raw message');
    const message = received[0]![0];
    expect(message.messageType).to.equal('RAW');
    if (message.messageType !== 'RAW') return;
    expect([...message.rawMessage]).to.deep.equal([...bytes]);
    expect(message.description).to.equal('five bytes');

    // As in the Agora SDK, { rawMessage } without a messageType is RAW (not a TEXT without text).
    await alice.sendMessageToPeer({ rawMessage: new Uint8Array([7, 8]) }, bobId);
    await waitFor(() => received.length === 2, 'the raw message without a messageType');
    const untyped = received[1]![0];
    expect(untyped.messageType).to.equal('RAW');
    if (untyped.messageType === 'RAW') expect([...untyped.rawMessage]).to.deep.equal([7, 8]);
    expect(alice.createMessage({ rawMessage: new Uint8Array([1]) }).messageType).to.equal('RAW');
  });

  it('keeps a message for an offline peer and delivers it at their next login', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);

    const ack = await alice.sendMessageToPeer({ text: 'while you were out' }, bobId, { enableOfflineMessaging: true });
    expect(ack.hasPeerReceived).to.equal(false);
    expect(ack.storedOffline).to.equal(true);

    const bob = newClient();
    const received = record(bob, 'MessageFromPeer');
    await bob.login({ uid: bobId, token: await devToken(bobId) });
    await waitFor(() => received.length === 1, 'the offline message');
    const [message, peerId, props] = received[0]!;
    expect(message).to.deep.equal({ messageType: 'TEXT', text: 'while you were out' });
    expect(peerId).to.equal(aliceId);
    expect(props.isOfflineMessage).to.equal(true);
    expect(props.messageId).to.equal(ack.messageId);
  });

  it("syncs a message to the sender's other tab with MessageSynced, not to the sending tab", async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tab1 = await loggedInClient(aliceId);
    const tab2 = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const synced1 = record(tab1, 'MessageSynced');
    const synced2 = record(tab2, 'MessageSynced');
    const fromPeer2 = record(tab2, 'MessageFromPeer');
    const bobReceived = record(bob, 'MessageFromPeer');

    const ack = await tab1.sendMessageToPeer({ text: 'from tab 1' }, bobId, { clientMessageId: 'tab1-msg-1' });

    await waitFor(() => synced2.length === 1 && bobReceived.length === 1, 'tab 2 and bob to get it');
    const [message, props] = synced2[0]!;
    expect(message).to.deep.equal({ messageType: 'TEXT', text: 'from tab 1' });
    expect(props).to.deep.include({ peerId: bobId, messageId: ack.messageId, seq: ack.seq, clientMessageId: 'tab1-msg-1' });
    expect(synced1).to.have.length(0);
    expect(fromPeer2).to.have.length(0);
  });

  it('returns history in seq order with client message ids, and pages back', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    for (const text of ['one', 'two', 'three']) {
      await alice.sendMessageToPeer({ text }, bobId, { clientMessageId: `h-${text}` });
    }
    await bob.sendMessageToPeer({ text: 'four' }, aliceId);

    const page = await bob.getHistory({ peerId: aliceId });
    expect(page.hasMore).to.equal(false);
    expect(page.messages.map((m) => (m.message.messageType === 'TEXT' ? m.message.text : ''))).to.deep.equal([
      'one',
      'two',
      'three',
      'four',
    ]);
    expect(page.messages.map((m) => m.from)).to.deep.equal([aliceId, aliceId, aliceId, bobId]);
    expect(page.messages.every((m) => m.peerId === aliceId)).to.equal(true);
    expect(page.messages[0]!.clientMessageId).to.equal('h-one');

    const newest = await bob.getHistory({ peerId: aliceId, limit: 2 });
    expect(newest.hasMore).to.equal(true);
    const older = await bob.getHistory({ peerId: aliceId, beforeSeq: newest.messages[0]!.seq });
    expect([...older.messages, ...newest.messages].map((m) => m.seq)).to.deep.equal(page.messages.map((m) => m.seq));
  });

  describe('invalid input', () => {
    let alice: RtmClient;
    let bob: RtmClient;
    let bobId: string;
    let received: Received[];
    let tap: ReturnType<typeof socketTap>;

    beforeEach(async () => {
      bobId = uniqueId('bob');
      tap = socketTap();
      alice = await loggedInClient(uniqueId('alice'), { WebSocket: tap.WebSocket });
      bob = await loggedInClient(bobId);
      received = record(bob, 'MessageFromPeer');
    });

    /** Proves nothing else reached bob: a marker sent afterwards is the first thing he gets. */
    async function expectNothingDelivered(): Promise<void> {
      expect(sentOfType(tap, 'peer.send')).to.have.length(0);
      await alice.sendMessageToPeer({ text: 'marker' }, bobId);
      await waitFor(() => received.length >= 1, 'the marker');
      expect(texts(received)).to.deep.equal(['marker']);
    }

    it('rejects a 65-character peer id with INVALID_USER_ID', async () => {
      const error = await rejectionOf(alice.sendMessageToPeer({ text: 'hi' }, 'b'.repeat(65)));
      expect(error).to.be.instanceOf(RtmError);
      expect(error.reason).to.equal('INVALID_USER_ID');
      await expectNothingDelivered();
    });

    it('rejects empty text with MESSAGE_EMPTY', async () => {
      const error = await rejectionOf(alice.sendMessageToPeer({ text: '' }, bobId));
      expect(error.reason).to.equal('MESSAGE_EMPTY');
      await expectNothingDelivered();
    });

    it('rejects a message one byte over 32 KB with MESSAGE_TOO_LARGE', async () => {
      const overhead = messageByteSize({ type: 'TEXT', text: '' });
      const text = 'x'.repeat(MAX_MESSAGE_BYTES - overhead + 1);
      const error = await rejectionOf(alice.sendMessageToPeer({ text }, bobId));
      expect(error.reason).to.equal('MESSAGE_TOO_LARGE');
      expect(error.code).to.equal(406);
      await expectNothingDelivered();
    });

    it('rejects a bad client message id with INVALID_CLIENT_MESSAGE_ID', async () => {
      const error = await rejectionOf(alice.sendMessageToPeer({ text: 'hi' }, bobId, { clientMessageId: 'no spaces' }));
      expect(error.reason).to.equal('INVALID_CLIENT_MESSAGE_ID');
      await expectNothingDelivered();
    });

    it('accepts a message of exactly 32 KB serialized', async () => {
      const overhead = messageByteSize({ type: 'TEXT', text: '' });
      const text = 'x'.repeat(MAX_MESSAGE_BYTES - overhead);
      await alice.sendMessageToPeer({ text }, bobId);
      await waitFor(() => received.length === 1, 'the 32 KB message');
      expect(texts(received)[0]).to.have.length(text.length);
    });
  });
});

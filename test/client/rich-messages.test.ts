import { expect } from '@open-wc/testing';
import type { PeerMessageProps, RtmMessage } from '../../src/client/index.js';
import { loggedInClient, logoutAll, record, rejectionOf, sentOfType, socketTap, uniqueId, waitFor } from './helpers.js';

describe('RtmClient locations, custom messages, replies, mentions and extras', () => {
  afterEach(logoutAll);

  it('sends each kind and the receiver gets it back in the same shape, a reply with its quote', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer') as [RtmMessage, string, PeerMessageProps][];
    const location = { messageType: 'LOCATION', latitude: 52.52, longitude: 13.405, name: 'Alexanderplatz' } as const;
    const custom = { messageType: 'CUSTOM', customType: 'poll.created', payload: { question: 'Pizza?', options: ['yes', 'no'] }, description: 'A poll' } as const;
    const first = await alice.sendMessageToPeer(location, bobId);
    await alice.sendMessageToPeer(custom, bobId);
    await alice.sendMessageToPeer({ text: `@${bobId} look`, replyTo: first.messageId, mentions: [bobId], extras: { pinned: true } }, bobId);
    await waitFor(() => received.length === 3, 'bob to get all three');
    expect(received[0]![0]).to.deep.equal(location);
    expect(received[1]![0]).to.deep.equal(custom);
    expect(received[2]![0]).to.deep.equal({ messageType: 'TEXT', text: `@${bobId} look`, replyTo: first.messageId, mentions: [bobId], extras: { pinned: true } });

    const { messages } = await bob.getHistory({ peerId: aliceId });
    expect(messages[2]!.quote).to.deep.equal({ id: first.messageId, seq: first.seq, from: aliceId, type: 'LOCATION', excerpt: 'Alexanderplatz' });
  });

  it('refuses a bad location, custom type or extra before anything is sent, with a typed error', async () => {
    const tap = socketTap();
    const alice = await loggedInClient(uniqueId('alice'), { WebSocket: tap.WebSocket });
    const bobId = uniqueId('bob');
    const cases = [
      { messageType: 'LOCATION', latitude: 100, longitude: 0 },
      { messageType: 'CUSTOM', customType: 'has space', payload: 1 },
      { text: 'hi', extras: { 'no spaces allowed': 1 } },
      { text: 'hi', mentions: ['bad/id'] },
    ] as const;
    for (const message of cases) {
      const error = await rejectionOf(alice.sendMessageToPeer(message as never, bobId));
      expect(error.reason, JSON.stringify(message)).to.equal('INVALID_MESSAGE');
    }
    expect(sentOfType(tap, 'peer.send')).to.deep.equal([]);
    const reply = await rejectionOf(alice.sendMessageToPeer({ text: 'hi', replyTo: 'no-such-message' }, bobId));
    expect(reply.reason).to.equal('INVALID_REPLY');
  });
});

describe('RtmClient forwardMessage and sendCommand', () => {
  afterEach(logoutAll);

  it('forwards a received file by its media id to another peer and a joined channel; a channel not joined is NOT_JOINED', async () => {
    const [aliceId, bobId, carolId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const carol = await loggedInClient(carolId);
    const atBob = record(bob, 'MessageFromPeer');
    const atCarol = record(carol, 'MessageFromPeer');
    const file = await alice.createMediaMessageByUploading(new Blob(['quarterly numbers']), { messageType: 'FILE', fileName: 'q3.txt' });
    await alice.sendMessageToPeer(file, bobId);
    await waitFor(() => atBob.length === 1, 'bob to get the file');
    const tap = socketTap();
    const bobAgain = await loggedInClient(bobId, { WebSocket: tap.WebSocket });
    await bobAgain.forwardMessage(atBob[0]![0], { peerId: carolId });
    await waitFor(() => atCarol.length === 1, 'carol to get it');
    const forwarded = atCarol[0]![0] as { messageType: string; mediaId: string; fileName: string };
    expect([forwarded.messageType, forwarded.mediaId, forwarded.fileName]).to.deep.equal(['FILE', file.mediaId, 'q3.txt']);
    expect(sentOfType(tap, 'peer.send')[0]!.message).to.include({ type: 'FILE', mediaId: file.mediaId });

    const notJoined = await rejectionOf(bobAgain.forwardMessage(atBob[0]![0], { channelId: uniqueId('room') }));
    expect(notJoined.reason).to.equal('NOT_JOINED');
    const room = bobAgain.createChannel(uniqueId('room'));
    await room.join();
    const ack = await bobAgain.forwardMessage({ messageType: 'TEXT', text: 'fyi', replyTo: 'x' } as never, { channelId: room.channelId });
    const { messages } = await bobAgain.getHistory({ channelId: room.channelId });
    expect(messages.map((m) => [m.messageId, m.message])).to.deep.equal([[ack.messageId, { messageType: 'TEXT', text: 'fyi' }]]);
  });

  it('sendCommand reaches the other side as CommandReceived, not this user’s other clients, and is never in history', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const aliceOther = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'CommandReceived');
    const atAlice = record(aliceOther, 'CommandReceived');
    await alice.sendCommand({ peerId: bobId }, JSON.stringify({ op: 'call.ring' }));
    await waitFor(() => atBob.length === 1, 'bob to get the command');
    expect(atBob[0]![0]).to.deep.equal({ peerId: aliceId, from: aliceId, payload: '{"op":"call.ring"}' });
    expect(atAlice).to.deep.equal([]);
    expect((await bob.getHistory({ peerId: aliceId })).messages).to.deep.equal([]);
    expect((await rejectionOf(alice.sendCommand({ peerId: bobId }, ''))).reason).to.equal('MESSAGE_EMPTY');
  });
});

describe('RtmClient searchMessages', () => {
  afterEach(logoutAll);

  it('finds a Chinese word in one conversation, with the text and where the word is', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const { messageId } = await alice.sendMessageToPeer({ text: '下周一开会讨论预算' }, bobId);
    await alice.sendMessageToPeer({ text: 'unrelated' }, bobId);
    const { results, hasMore } = await alice.searchMessages({ query: '预算', peerId: bobId });
    expect(hasMore).to.equal(false);
    expect(results.map((r) => [r.message.messageId, r.text, r.highlights])).to.deep.equal([[messageId, '下周一开会讨论预算', [[7, 9]]]]);
    expect((await rejectionOf(alice.searchMessages({ query: '   ' }))).reason).to.equal('INVALID_FIELD');
  });
});

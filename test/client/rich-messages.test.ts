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

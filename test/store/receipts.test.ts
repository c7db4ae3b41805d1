// Receipts of this user's own messages, derived from read markers: the ticks and "read by" counts
// a user sees under the messages they sent.
import { expect } from '@open-wc/testing';
import type { MemberReadState } from '../../src/protocol/index.js';
import type { ChatMessage } from '../../src/store/chat-message.js';
import { chatMessage, type MessageFields } from './chat-message-fixture.js';
import type { ConversationKey } from '../../src/store/keys.js';
import { channelReceipt, peerReceipt, receiptsOfMessages } from '../../src/store/receipts.js';

/** A message: stored (sent, with a seq) when `seq` is given, else sending. */
const msg = (fields: Omit<MessageFields, 'conversation'> & { conversation?: ConversationKey }): ChatMessage =>
  chatMessage({ conversation: 'peer:bob', ts: 1_000, ...(fields.seq !== undefined && { id: `m${fields.seq}` }), ...fields });

const members = (marks: Record<string, number>): MemberReadState[] =>
  Object.entries(marks).map(([uid, readSeq]) => ({ uid, readSeq }));

describe('peerReceipt', () => {
  it('is read at and before the peer’s read marker, delivered up to the delivery mark, else sent', () => {
    const marks = { peerReadSeq: 5, peerDeliveredSeq: 8 };
    expect(peerReceipt(msg({ localId: 'a', seq: 4 }), marks)).to.equal('read');
    expect(peerReceipt(msg({ localId: 'a', seq: 5 }), marks)).to.equal('read');
    expect(peerReceipt(msg({ localId: 'a', seq: 6 }), marks)).to.equal('delivered');
    expect(peerReceipt(msg({ localId: 'a', seq: 8 }), marks)).to.equal('delivered');
    expect(peerReceipt(msg({ localId: 'a', seq: 9 }), marks)).to.equal('sent');
  });

  it('is sent while no marks are known', () => {
    expect(peerReceipt(msg({ localId: 'a', seq: 1 }), undefined)).to.equal('sent');
    expect(peerReceipt(msg({ localId: 'a', seq: 1 }), {})).to.equal('sent');
  });

  it('is undefined for a message from the peer, and for own messages not stored', () => {
    const marks = { peerReadSeq: 10, peerDeliveredSeq: 10 };
    expect(peerReceipt(msg({ from: 'bob', localId: 'b', seq: 2 }), marks)).to.equal(undefined);
    expect(peerReceipt(msg({ localId: 'sending' }), marks)).to.equal(undefined);
    expect(peerReceipt(msg({ localId: 'failed', status: 'failed' }), marks)).to.equal(undefined);
    expect(peerReceipt(msg({ localId: 'uploading', status: 'uploading' }), marks)).to.equal(undefined);
  });
});

describe('channelReceipt', () => {
  it('counts the members whose marker is at or past the message, the sender left out', () => {
    const receipt = channelReceipt(
      msg({ localId: 'a', seq: 7, conversation: 'channel:lobby' }),
      members({ alice: 7, bob: 7, carol: 6, dave: 12, erin: 0 }),
    );
    expect(receipt).to.deep.equal({
      kind: 'channel',
      read: 2,
      of: 4,
      readers: ['bob', 'dave'],
      nonReaders: ['carol', 'erin'],
    });
  });

  it('is 0 of 0 when the sender is the only member', () => {
    expect(channelReceipt(msg({ localId: 'a', seq: 3 }), members({ alice: 0 }))).to.deep.equal({
      kind: 'channel',
      read: 0,
      of: 0,
      readers: [],
      nonReaders: [],
    });
  });

  it('is undefined before the members are known, and for messages not own and stored', () => {
    const all = members({ alice: 9, bob: 9 });
    expect(channelReceipt(msg({ localId: 'a', seq: 3 }), undefined)).to.equal(undefined);
    expect(channelReceipt(msg({ from: 'bob', localId: 'b', seq: 3 }), all)).to.equal(undefined);
    expect(channelReceipt(msg({ localId: 'sending' }), all)).to.equal(undefined);
    expect(channelReceipt(msg({ localId: 'failed', status: 'failed' }), all)).to.equal(undefined);
  });
});

describe('receiptsOfMessages', () => {
  const messages = [
    msg({ from: 'bob', localId: 'b1', seq: 1 }),
    msg({ localId: 'a2', seq: 2 }),
    msg({ localId: 'a3', seq: 3 }),
    msg({ localId: 'a4', seq: 4 }),
    msg({ localId: 'pending' }),
  ];

  it('gives every own stored message of a peer conversation its state, by local id', () => {
    const receipts = receiptsOfMessages(messages, { kind: 'peer', marks: { peerReadSeq: 2, peerDeliveredSeq: 3 } });
    expect([...receipts]).to.deep.equal([
      ['a2', { kind: 'peer', state: 'read' }],
      ['a3', { kind: 'peer', state: 'delivered' }],
      ['a4', { kind: 'peer', state: 'sent' }],
    ]);
  });

  it('gives every own stored message of a channel its readers', () => {
    const receipts = receiptsOfMessages(messages, { kind: 'channel', members: members({ alice: 4, bob: 3, carol: 2 }) });
    expect([...receipts.keys()]).to.deep.equal(['a2', 'a3', 'a4']);
    expect(receipts.get('a2')).to.deep.equal({ kind: 'channel', read: 2, of: 2, readers: ['bob', 'carol'], nonReaders: [] });
    expect(receipts.get('a3')).to.deep.equal({ kind: 'channel', read: 1, of: 2, readers: ['bob'], nonReaders: ['carol'] });
    expect(receipts.get('a4')).to.deep.equal({ kind: 'channel', read: 0, of: 2, readers: [], nonReaders: ['bob', 'carol'] });
  });

  it('is empty for a channel whose members are not known yet', () => {
    expect(receiptsOfMessages(messages, { kind: 'channel', members: undefined }).size).to.equal(0);
  });
});

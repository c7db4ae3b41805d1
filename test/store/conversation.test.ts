// ConversationMessages without a server: what the message list of one conversation shows when
// optimistic copies, acks, live pushes and history pages meet.
import { expect } from '@open-wc/testing';
import { onMount } from 'nanostores';
import { RtmError } from '../../src/protocol/index.js';
import type { ChatMessage } from '../../src/store/chat-message.js';
import { chatMessage, ME, type MessageFields } from './chat-message-fixture.js';
import { ConversationMessages } from '../../src/store/conversation.js';
import type { ConversationKey } from '../../src/store/keys.js';

const KEY: ConversationKey = 'channel:lobby';

/** A message of this conversation: stored when it has a seq (and then an id), else sending. */
const msg = (fields: Omit<MessageFields, 'conversation'>): ChatMessage =>
  chatMessage({
    conversation: KEY,
    text: `text of ${fields.localId}`,
    ts: fields.seq !== undefined ? 1_000 + fields.seq : 500,
    ...(fields.seq !== undefined && { id: `m-${fields.from ?? ME}-${fields.localId}` }),
    ...fields,
  });

const ids = (list: readonly ChatMessage[]) => list.map((m) => `${m.from}/${m.localId}`);

describe('ConversationMessages', () => {
  it('shows stored messages by seq whatever order they arrive in', () => {
    const conversation = new ConversationMessages(KEY);
    conversation.upsert(msg({ from: 'bob', localId: 'b2', seq: 2 }), msg({ localId: 'a3', seq: 3 }));
    conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1 }));
    expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b1', 'bob/b2', 'alice/a3']);
  });

  it('shows the optimistic copy and its stored copy as one message, now sent', () => {
    const conversation = new ConversationMessages(KEY);
    const optimistic = msg({ localId: 'x' });
    expect(conversation.upsert(optimistic)).to.deep.equal([optimistic]);
    // The same message pushed back (another tab's echo, or history) before the ack.
    const stored = msg({ localId: 'x', seq: 7, id: 'srv-7', ts: 4_242 });
    expect(conversation.upsert(stored)).to.deep.equal([], 'the stored copy is not a new message');
    const list = conversation.$messages.get();
    expect(list).to.have.length(1);
    expect(list[0]).to.include({ localId: 'x', id: 'srv-7', seq: 7, ts: 4_242, status: 'sent', text: 'text of x' });
    expect(conversation.get(ME, 'x')).to.equal(list[0]);
  });

  it('shows the same client message id from two senders as two messages', () => {
    const conversation = new ConversationMessages(KEY);
    const mine = msg({ localId: 'same', seq: 1 });
    const bobs = msg({ from: 'bob', localId: 'same', seq: 2 });
    expect(conversation.upsert(mine)).to.deep.equal([mine]);
    expect(conversation.upsert(bobs)).to.deep.equal([bobs]);
    expect(ids(conversation.$messages.get())).to.deep.equal(['alice/same', 'bob/same']);
    expect(conversation.get('bob', 'same')?.seq).to.equal(2);
    expect(conversation.get(ME, 'same')?.seq).to.equal(1);
  });

  it('shows a message seen again under the same server id once', () => {
    const conversation = new ConversationMessages(KEY);
    conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1, id: 'srv-1' }));
    // The same stored message, its client id spelled differently (e.g. by an older client's history).
    expect(conversation.upsert(msg({ from: 'bob', localId: 'other', seq: 1, id: 'srv-1' }))).to.deep.equal([]);
    expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b1']);
  });

  it('returns only the messages that are new, for "message arrived" notifications', () => {
    const conversation = new ConversationMessages(KEY);
    const [b1, b2, b3] = [1, 2, 3].map((seq) => msg({ from: 'bob', localId: `b${seq}`, seq }));
    expect(conversation.upsert(b1!, b2!)).to.deep.equal([b1, b2]);
    // A reconnect's catch-up page overlapping what was here.
    expect(conversation.upsert(b1!, b2!, b3!)).to.deep.equal([b3]);
    expect(conversation.upsert(b3!)).to.deep.equal([]);
    expect(conversation.$messages.get()).to.have.length(3);
  });

  it('keeps the messages not stored yet after the stored ones, in send order', () => {
    const conversation = new ConversationMessages(KEY);
    conversation.upsert(msg({ localId: 'first' }));
    conversation.upsert(msg({ localId: 'second' }));
    conversation.upsert(msg({ from: 'bob', localId: 'b5', seq: 5 }), msg({ from: 'bob', localId: 'b3', seq: 3 }));
    expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b3', 'bob/b5', 'alice/first', 'alice/second']);
    // The second is acked before the first: it moves among the stored, the first stays last.
    conversation.update(ME, 'second', (m) => ({ ...m, id: 'srv-6', seq: 6, status: 'sent' }));
    expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b3', 'bob/b5', 'alice/second', 'alice/first']);
    conversation.update(ME, 'first', (m) => ({ ...m, status: 'failed' }));
    expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b3', 'bob/b5', 'alice/second', 'alice/first']);
  });

  it('turns a failed copy into a sent one without its error when the stored copy shows up', () => {
    const conversation = new ConversationMessages(KEY);
    conversation.upsert(msg({ localId: 'lost-ack' }));
    // The ack was lost: the send failed here although the server stored the message.
    const error = new RtmError('MESSAGE_WEBSOCKET_DISCONNECTED', 'gone');
    conversation.update(ME, 'lost-ack', (m) => ({ ...m, status: 'failed', error }));
    expect(conversation.get(ME, 'lost-ack')).to.include({ status: 'failed', error });
    conversation.upsert(msg({ localId: 'lost-ack', seq: 9, id: 'srv-9' }));
    const merged = conversation.get(ME, 'lost-ack')!;
    expect(merged).to.include({ status: 'sent', seq: 9, id: 'srv-9' });
    expect(merged).not.to.have.property('error');
  });

  it('turns a sending copy into a sent one when the stored copy comes before the ack', () => {
    const conversation = new ConversationMessages(KEY);
    conversation.upsert(msg({ localId: 'early' }), msg({ localId: 'later' }));
    conversation.upsert(msg({ localId: 'early', seq: 4, id: 'srv-4' }));
    expect(conversation.get(ME, 'early')).to.include({ status: 'sent', seq: 4 });
    expect(conversation.get(ME, 'later')).to.include({ status: 'sending' });
    expect(conversation.maxSeq).to.equal(4);
  });

  it('publishes nothing for a copy that changes nothing', () => {
    const conversation = new ConversationMessages(KEY);
    conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1 }));
    const before = conversation.$messages.get();
    let published = 0;
    const unlisten = conversation.$messages.listen(() => published++);
    try {
      // Same message, a fresh object (history page after a live push).
      expect(conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1 }))).to.deep.equal([]);
      // A copy without a server id says nothing about being stored.
      conversation.upsert(msg({ from: 'bob', localId: 'b1' }));
      expect(published).to.equal(0);
      expect(conversation.$messages.get()).to.equal(before);
      expect(conversation.$messages.get()[0]).to.equal(before[0]);
    } finally {
      unlisten();
    }
  });

  it('tells onPut about every message added or changed, and only those', () => {
    const put: string[] = [];
    const conversation = new ConversationMessages(KEY, (m) => put.push(`${m.localId}:${m.status}`));
    conversation.upsert(msg({ localId: 'x' }), msg({ from: 'bob', localId: 'b1', seq: 1 }));
    conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1 }));
    conversation.upsert(msg({ localId: 'x', seq: 2 }));
    conversation.update(ME, 'x', (m) => m);
    expect(put).to.deep.equal(['x:sending', 'b1:sent', 'x:sent']);
  });

  describe('reset', () => {
    it('replaces the stored messages and keeps own messages not stored yet', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(
        msg({ from: 'bob', localId: 'b1', seq: 1 }),
        msg({ from: 'bob', localId: 'b2', seq: 2 }),
        msg({ localId: 'a3', seq: 3 }),
        msg({ localId: 'pending' }),
      );
      conversation.update(ME, 'pending', (m) => ({ ...m, status: 'failed' }));
      conversation.upsert(msg({ localId: 'sending' }));
      // Too far behind: the server's latest page, with a hole before it.
      conversation.reset([msg({ from: 'bob', localId: 'b50', seq: 50 }), msg({ from: 'bob', localId: 'b51', seq: 51 })]);
      expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b50', 'bob/b51', 'alice/pending', 'alice/sending']);
      expect(conversation.get('bob', 'b1')).to.equal(undefined);
      expect(conversation.get(ME, 'pending')?.status).to.equal('failed');
      expect(conversation.minSeq).to.equal(50);
    });

    it('merges the stored copy of a kept message that the new page contains', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1 }), msg({ localId: 'mine' }));
      conversation.reset([msg({ from: 'bob', localId: 'b40', seq: 40 }), msg({ localId: 'mine', seq: 41, id: 'srv-41' })]);
      expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b40', 'alice/mine']);
      expect(conversation.get(ME, 'mine')).to.include({ status: 'sent', seq: 41 });
    });

    it('forgets the server ids of the messages it drops', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1, id: 'srv-1' }));
      conversation.reset([msg({ from: 'bob', localId: 'b9', seq: 9, id: 'srv-9' })]);
      // The dropped message comes back in a page of older history: shown again, once.
      const again = msg({ from: 'bob', localId: 'b1', seq: 1, id: 'srv-1' });
      expect(conversation.upsert(again)).to.deep.equal([again]);
      expect(ids(conversation.$messages.get())).to.deep.equal(['bob/b1', 'bob/b9']);
    });
  });

  describe('update', () => {
    it('publishes the changed message in place', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1 }), msg({ localId: 'x' }));
      const before = conversation.$messages.get();
      const error = new RtmError('INTERNAL_ERROR', 'boom');
      const after = conversation.update(ME, 'x', (m) => ({ ...m, status: 'failed', error }));
      expect(after).to.include({ status: 'failed', error });
      const list = conversation.$messages.get();
      expect(list).not.to.equal(before);
      expect(list[1]).to.equal(after);
      expect(list[0], 'the untouched message keeps its identity').to.equal(before[0]);
    });

    it('publishes nothing and returns the same message when the update changes nothing', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(msg({ localId: 'x' }));
      const before = conversation.$messages.get();
      let published = 0;
      const unlisten = conversation.$messages.listen(() => published++);
      try {
        const same = conversation.update(ME, 'x', (m) => m);
        expect(same).to.equal(before[0]);
        expect(conversation.$messages.get()).to.equal(before);
        expect(published).to.equal(0);
      } finally {
        unlisten();
      }
    });

    it('returns undefined for a message that is not here (another sender, unknown id)', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(msg({ localId: 'x' }));
      let called = false;
      expect(conversation.update('bob', 'x', (m) => ((called = true), m))).to.equal(undefined);
      expect(conversation.update(ME, 'nope', (m) => ((called = true), m))).to.equal(undefined);
      expect(called).to.equal(false);
    });
  });

  describe('last, maxSeq, minSeq', () => {
    it('are undefined and 0 for an empty conversation', () => {
      const conversation = new ConversationMessages(KEY);
      expect(conversation.last).to.equal(undefined);
      expect(conversation.maxSeq).to.equal(0);
      expect(conversation.minSeq).to.equal(0);
    });

    it('read the display order: last may be unsent, the seqs only count stored messages', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(msg({ from: 'bob', localId: 'b7', seq: 7 }), msg({ from: 'bob', localId: 'b4', seq: 4 }));
      expect(conversation.last?.localId).to.equal('b7');
      conversation.upsert(msg({ localId: 'draft' }));
      expect(conversation.last?.localId).to.equal('draft');
      expect(conversation.maxSeq).to.equal(7);
      expect(conversation.minSeq).to.equal(4);
    });

    it('are 0 when only unsent messages are here', () => {
      const conversation = new ConversationMessages(KEY);
      conversation.upsert(msg({ localId: 'draft' }));
      expect(conversation.last?.localId).to.equal('draft');
      expect(conversation.maxSeq).to.equal(0);
      expect(conversation.minSeq).to.equal(0);
    });

    it('do not mount the messages store (which would start the conversation’s I/O)', () => {
      const conversation = new ConversationMessages(KEY);
      let mounts = 0;
      const unbind = onMount(conversation.$messages, () => {
        mounts++;
      });
      try {
        conversation.upsert(msg({ from: 'bob', localId: 'b1', seq: 1 }), msg({ localId: 'draft' }));
        expect(conversation.last?.localId).to.equal('draft');
        expect(conversation.maxSeq).to.equal(1);
        expect(conversation.minSeq).to.equal(1);
        expect(mounts).to.equal(0);
      } finally {
        unbind();
      }
    });
  });
});

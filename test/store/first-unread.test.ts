// firstUnreadSeq: where the "New" divider goes in a conversation the user opened with unread
// messages.
import { expect } from '@open-wc/testing';
import type { ChatMessage } from '../../src/store/chat-message.js';
import { firstUnreadSeq, type OpenedState } from '../../src/store/first-unread.js';

const ME = 'alice';

/** A stored message from `from` (this user by default); no seq makes it one still sending. */
function msg(seq: number | undefined, from = ME): ChatMessage {
  const localId = `${from}-${seq ?? 'pending'}`;
  return {
    localId,
    conversation: 'channel:lobby',
    from,
    own: from === ME,
    text: localId,
    message: { messageType: 'TEXT', text: localId },
    ts: 1_000 + (seq ?? 0),
    status: seq === undefined ? 'sending' : 'sent',
    ...(seq !== undefined && { id: `m${seq}`, seq }),
  };
}

/** Messages from Bob with these seqs. */
const bob = (...seqs: number[]) => seqs.map((seq) => msg(seq, 'bob'));

describe('firstUnreadSeq', () => {
  it('is undefined before the state at opening is known', () => {
    expect(firstUnreadSeq(bob(1, 2, 3), undefined)).to.equal(undefined);
  });

  it('is undefined when nothing was unread at opening', () => {
    const opened: OpenedState = { readSeq: 1, unread: 0, lastSeq: 3 };
    expect(firstUnreadSeq(bob(1, 2, 3), opened)).to.equal(undefined);
  });

  it('is the first message from others after the read marker', () => {
    expect(firstUnreadSeq(bob(1, 2, 3, 4), { readSeq: 2, unread: 2, lastSeq: 4 })).to.equal(3);
  });

  it('skips this user’s own messages after the marker', () => {
    // Alice wrote 4 and 5 from her phone without reading here; Bob answered with 6.
    const messages = [...bob(1, 2, 3), msg(4), msg(5), ...bob(6)];
    expect(firstUnreadSeq(messages, { readSeq: 3, unread: 1, lastSeq: 6 })).to.equal(6);
  });

  it('is the marker + 1 while the loaded messages do not reach back to it', () => {
    // Only the latest page is loaded: the divider goes where message 11 will be.
    expect(firstUnreadSeq(bob(30, 31, 32), { readSeq: 10, unread: 22, lastSeq: 32 })).to.equal(11);
    expect(firstUnreadSeq([], { readSeq: 10, unread: 22, lastSeq: 32 })).to.equal(11);
    // One message short: 11 (unread, maybe Bob's) is not loaded yet, so 12 is not the first.
    expect(firstUnreadSeq(bob(12, 13), { readSeq: 10, unread: 3, lastSeq: 13 })).to.equal(11);
    // Messages not stored yet do not count as loaded.
    expect(firstUnreadSeq([msg(undefined)], { readSeq: 10, unread: 22, lastSeq: 32 })).to.equal(11);
  });

  it('finds the message once the loaded messages reach the one after the marker', () => {
    // The page starts right after the marker.
    expect(firstUnreadSeq(bob(11, 12), { readSeq: 10, unread: 2, lastSeq: 12 })).to.equal(11);
    // It starts right after the marker with an own message.
    expect(firstUnreadSeq([msg(11), ...bob(12)], { readSeq: 10, unread: 1, lastSeq: 12 })).to.equal(12);
  });

  it('never counts messages that arrived after the conversation was opened', () => {
    const opened: OpenedState = { readSeq: 2, unread: 1, lastSeq: 4 };
    // 3 and 4 were there at opening (3 own, 4 from Bob), 5 arrived while it was open.
    expect(firstUnreadSeq([...bob(1, 2), msg(3), ...bob(4, 5)], opened)).to.equal(4);
    // Only own messages before the opening's last seq: nothing counts, not even Bob's 5.
    expect(firstUnreadSeq([...bob(1, 2), msg(3), msg(4), ...bob(5)], opened)).to.equal(undefined);
  });

  it('ignores messages not stored yet after the stored ones', () => {
    const messages = [...bob(1, 2, 3), msg(undefined)];
    expect(firstUnreadSeq(messages, { readSeq: 2, unread: 1, lastSeq: 3 })).to.equal(3);
  });
});

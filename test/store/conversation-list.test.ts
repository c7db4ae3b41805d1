// ConversationList without a server: the conversation list's order, unread counts, read markers,
// receipts and presence as the session feeds them in.
import { expect } from '@open-wc/testing';
import type { ChatMessage } from '../../src/store/chat-message.js';
import { chatMessage, type MessageFields } from './chat-message-fixture.js';
import { ConversationList, type ServerConversation } from '../../src/store/conversation-list.js';
import { ConversationMessages } from '../../src/store/conversation.js';
import type { ConversationKey } from '../../src/store/keys.js';

const BOB: ConversationKey = 'peer:bob';
const CAROL: ConversationKey = 'peer:carol';
const LOBBY: ConversationKey = 'channel:lobby';

/** A message: stored (ts = 1000 + seq unless given) with a seq, else still sending. */
const msg = (conversation: ConversationKey, fields: Omit<MessageFields, 'conversation'>): ChatMessage => chatMessage({ conversation, ...fields });

/** A list with its onTotal calls recorded. */
function newList() {
  const totals: number[] = [];
  const list = new ConversationList((total) => totals.push(total));
  return { list, totals };
}

/** The conversations the user has loaded here, for `load`'s `local` and for `touch`. */
function conversations() {
  const byKey = new Map<ConversationKey, ConversationMessages>();
  const of = (key: ConversationKey) => {
    let conversation = byKey.get(key);
    if (!conversation) byKey.set(key, (conversation = new ConversationMessages(key)));
    return conversation;
  };
  const local = (key: ConversationKey) => byKey.get(key)?.last;
  return { of, local };
}

const server = (key: ConversationKey, fields: Partial<ServerConversation> = {}): ServerConversation => ({
  key,
  lastSeq: 0,
  readSeq: 0,
  unread: 0,
  ...fields,
});

const keys = (list: ConversationList) => list.$list.get().map((summary) => summary.key);

describe('ConversationList', () => {
  describe('load', () => {
    it('lists the most recently active first, the server’s order breaking ties', () => {
      const { list } = newList();
      const { local } = conversations();
      list.load(
        [
          server(LOBBY, { lastMessage: msg(LOBBY, { from: 'bob', localId: 'l', seq: 1, ts: 100 }), lastSeq: 1 }),
          server(CAROL, { lastMessage: msg(CAROL, { from: 'carol', localId: 'c', seq: 1, ts: 300 }), lastSeq: 1 }),
          server(BOB, { lastMessage: msg(BOB, { from: 'bob', localId: 'b', seq: 1, ts: 100 }), lastSeq: 1 }),
          server('channel:quiet'),
          server('channel:empty'),
        ],
        local,
      );
      expect(keys(list)).to.deep.equal([CAROL, LOBBY, BOB, 'channel:quiet', 'channel:empty']);
      // The same list ranked the other way round: the ties follow.
      list.load(
        [
          server('channel:empty'),
          server(BOB, { lastMessage: msg(BOB, { from: 'bob', localId: 'b', seq: 1, ts: 100 }), lastSeq: 1 }),
          server(LOBBY, { lastMessage: msg(LOBBY, { from: 'bob', localId: 'l', seq: 1, ts: 100 }), lastSeq: 1 }),
          server('channel:quiet'),
          server(CAROL, { lastMessage: msg(CAROL, { from: 'carol', localId: 'c', seq: 1, ts: 300 }), lastSeq: 1 }),
        ],
        local,
      );
      expect(keys(list)).to.deep.equal([CAROL, BOB, LOBBY, 'channel:empty', 'channel:quiet']);
    });

    it('takes the server’s read marker, unread count and peer marks', () => {
      const { list, totals } = newList();
      list.load(
        [
          server(BOB, { lastSeq: 9, readSeq: 6, unread: 3, peerReadSeq: 4, peerDeliveredSeq: 8 }),
          server(LOBBY, { lastSeq: 20, readSeq: 18, unread: 2 }),
        ],
        () => undefined,
      );
      expect(list.get(BOB)).to.include({ kind: 'peer', id: 'bob', readSeq: 6, unread: 3, peerReadSeq: 4, peerDeliveredSeq: 8 });
      expect(list.get(LOBBY)).to.include({ kind: 'channel', id: 'lobby', readSeq: 18, unread: 2 });
      expect(list.get(LOBBY)).not.to.have.property('peerReadSeq');
      expect(list.$total.get()).to.equal(5);
      expect(totals).to.deep.equal([5]);
      expect(list.lastSeqOf(BOB)).to.equal(9);
      expect(list.lastSeqOf(LOBBY)).to.equal(20);
    });

    it('drops the conversations the server no longer lists, except one whose last message is not stored yet', () => {
      const { list } = newList();
      const { of, local } = conversations();
      list.load([server(BOB), server(CAROL), server(LOBBY)], local);
      // Carol's conversation has a stored message here, the lobby none; to Dave a first message is sending.
      of(CAROL).upsert(msg(CAROL, { from: 'carol', localId: 'c1', seq: 1 }));
      list.touch(of(CAROL));
      of('peer:dave').upsert(msg('peer:dave', { localId: 'hi' }));
      list.touch(of('peer:dave'));
      expect(keys(list)).to.include.members([BOB, CAROL, LOBBY, 'peer:dave']);
      list.load([server(BOB)], local);
      expect(keys(list)).to.deep.equal(['peer:dave', BOB]);
      // Once that first message is stored (and still not listed), the next load drops it too.
      of('peer:dave').upsert(msg('peer:dave', { localId: 'hi', seq: 1 }));
      list.load([server(BOB)], local);
      expect(keys(list)).to.deep.equal([BOB]);
    });

    it('shows the newer of the local and the server’s last message', () => {
      const { list } = newList();
      const { of, local } = conversations();
      of(BOB).upsert(msg(BOB, { from: 'bob', localId: 'b3', seq: 3 }));
      of(CAROL).upsert(msg(CAROL, { from: 'carol', localId: 'c8', seq: 8 }));
      of(LOBBY).upsert(msg(LOBBY, { from: 'bob', localId: 'l1', seq: 1 }), msg(LOBBY, { localId: 'sending', ts: 9_000 }));
      list.load(
        [
          // Bob wrote more while this tab was away.
          server(BOB, { lastSeq: 5, lastMessage: msg(BOB, { from: 'bob', localId: 'b5', seq: 5 }) }),
          // The server's is older than what arrived here meanwhile.
          server(CAROL, { lastSeq: 7, lastMessage: msg(CAROL, { from: 'carol', localId: 'c7', seq: 7 }) }),
          // A message not stored yet is the last one shown.
          server(LOBBY, { lastSeq: 4, lastMessage: msg(LOBBY, { from: 'bob', localId: 'l4', seq: 4 }) }),
        ],
        local,
      );
      expect(list.get(BOB)).to.include({ lastActivity: 1_005 });
      expect(list.get(BOB)?.lastMessage?.localId).to.equal('b5');
      expect(list.get(CAROL)?.lastMessage?.localId).to.equal('c8');
      expect(list.get(LOBBY)?.lastMessage?.localId).to.equal('sending');
      expect(list.get(LOBBY)?.lastActivity).to.equal(9_000);
      expect(keys(list)).to.deep.equal([LOBBY, CAROL, BOB]);
    });
  });

  describe('touch', () => {
    it('lists a conversation once it has a message, and not before', () => {
      const { list } = newList();
      const { of } = conversations();
      list.touch(of(BOB));
      expect(list.$list.get()).to.deep.equal([]);
      of(BOB).upsert(msg(BOB, { localId: 'hello' }));
      list.touch(of(BOB));
      expect(keys(list)).to.deep.equal([BOB]);
      expect(list.get(BOB)?.lastMessage?.localId).to.equal('hello');
    });

    it('moves the conversation with the newest message to the top', () => {
      const { list } = newList();
      const { of, local } = conversations();
      list.load(
        [
          server(BOB, { lastSeq: 1, lastMessage: msg(BOB, { from: 'bob', localId: 'b1', seq: 1, ts: 200 }) }),
          server(CAROL, { lastSeq: 1, lastMessage: msg(CAROL, { from: 'carol', localId: 'c1', seq: 1, ts: 100 }) }),
        ],
        local,
      );
      expect(keys(list)).to.deep.equal([BOB, CAROL]);
      const arrived = msg(CAROL, { from: 'carol', localId: 'c2', seq: 2, ts: 300 });
      of(CAROL).upsert(arrived);
      list.touch(of(CAROL), [arrived]);
      expect(keys(list)).to.deep.equal([CAROL, BOB]);
      expect(list.get(CAROL)?.lastMessage).to.equal(arrived);
    });

    it('counts as unread only messages from others after the read marker, each seq once', () => {
      const { list, totals } = newList();
      const { of, local } = conversations();
      list.load([server(BOB, { lastSeq: 4, readSeq: 4, unread: 0 })], local);
      const conversation = of(BOB);
      const arrive = (...messages: ChatMessage[]) => {
        conversation.upsert(...messages);
        list.touch(conversation, messages);
      };
      arrive(msg(BOB, { from: 'bob', localId: 'b5', seq: 5 }));
      expect(list.get(BOB)?.unread).to.equal(1);
      // This user's own message (from another tab) is not unread.
      arrive(msg(BOB, { localId: 'a6', seq: 6 }));
      expect(list.get(BOB)?.unread).to.equal(1);
      // The same message again (history page, reconnect catch-up) counts once.
      arrive(msg(BOB, { from: 'bob', localId: 'b5', seq: 5 }));
      arrive(msg(BOB, { from: 'bob', localId: 'b7', seq: 7 }), msg(BOB, { from: 'bob', localId: 'b7', seq: 7 }));
      expect(list.get(BOB)?.unread).to.equal(2);
      // A message at or before the marker is not unread.
      arrive(msg(BOB, { from: 'bob', localId: 'old', seq: 3 }));
      expect(list.get(BOB)?.unread).to.equal(2);
      expect(list.lastSeqOf(BOB)).to.equal(7);
      expect(totals).to.deep.equal([1, 2]);
    });

    it('counts nothing that the read marker (moved in another tab) already passed', () => {
      const { list } = newList();
      const { of, local } = conversations();
      list.load([server(BOB, { lastSeq: 8, readSeq: 8 })], local);
      list.read(BOB, 10, 0);
      const late = msg(BOB, { from: 'bob', localId: 'b9', seq: 9 });
      of(BOB).upsert(late);
      list.touch(of(BOB), [late]);
      expect(list.get(BOB)?.unread).to.equal(0);
      const next = msg(BOB, { from: 'bob', localId: 'b11', seq: 11 });
      of(BOB).upsert(next);
      list.touch(of(BOB), [next]);
      expect(list.get(BOB)?.unread).to.equal(1);
    });

    it('publishes nothing when nothing changed', () => {
      const { list } = newList();
      const { of } = conversations();
      const b1 = msg(BOB, { from: 'bob', localId: 'b1', seq: 1 });
      of(BOB).upsert(b1);
      list.touch(of(BOB), [b1]);
      const before = list.$list.get();
      list.touch(of(BOB));
      list.touch(of(BOB), [msg(BOB, { from: 'bob', localId: 'b1', seq: 1 })]);
      expect(list.$list.get()).to.equal(before);
      expect(list.get(BOB)?.unread).to.equal(1);
    });
  });

  describe('read and markedRead', () => {
    it('moves the read marker with the server’s unread count, never back', () => {
      const { list } = newList();
      list.load([server(BOB, { lastSeq: 10, readSeq: 2, unread: 8 })], () => undefined);
      list.read(BOB, 7, 3);
      expect(list.get(BOB)).to.include({ readSeq: 7, unread: 3 });
      // An older marker (another tab's, delivered late) changes nothing.
      list.read(BOB, 5, 5);
      expect(list.get(BOB)).to.include({ readSeq: 7, unread: 3 });
      // The same marker with a new count (a message arrived meanwhile) is taken.
      list.read(BOB, 7, 4);
      expect(list.get(BOB)).to.include({ readSeq: 7, unread: 4 });
    });

    it('markedRead clears the unread count when it reaches the last known message', () => {
      const { list, totals } = newList();
      list.load([server(BOB, { lastSeq: 10, readSeq: 2, unread: 8 })], () => undefined);
      list.markedRead(BOB, 10);
      expect(list.get(BOB)).to.include({ readSeq: 10, unread: 0 });
      expect(totals).to.deep.equal([8, 0]);
    });

    it('markedRead short of the last message keeps the count until the server says', () => {
      const { list } = newList();
      list.load([server(BOB, { lastSeq: 10, readSeq: 2, unread: 8 })], () => undefined);
      list.markedRead(BOB, 6);
      expect(list.get(BOB)).to.include({ readSeq: 6, unread: 8 });
      list.read(BOB, 6, 4);
      expect(list.get(BOB)).to.include({ readSeq: 6, unread: 4 });
    });

    it('markedRead never moves the marker back', () => {
      const { list } = newList();
      list.load([server(BOB, { lastSeq: 10, readSeq: 9, unread: 1 })], () => undefined);
      const before = list.$list.get();
      list.markedRead(BOB, 5);
      list.markedRead(BOB, 9);
      expect(list.get(BOB)).to.include({ readSeq: 9, unread: 1 });
      expect(list.$list.get()).to.equal(before);
    });
  });

  describe('receipt', () => {
    it('read implies delivered', () => {
      const { list } = newList();
      list.load([server(BOB, { lastSeq: 5 })], () => undefined);
      list.receipt(BOB, 'read', 4);
      expect(list.get(BOB)).to.include({ peerReadSeq: 4, peerDeliveredSeq: 4 });
    });

    it('delivered does not mean read', () => {
      const { list } = newList();
      list.load([server(BOB, { lastSeq: 5, peerReadSeq: 1, peerDeliveredSeq: 1 })], () => undefined);
      list.receipt(BOB, 'delivered', 5);
      expect(list.get(BOB)).to.include({ peerReadSeq: 1, peerDeliveredSeq: 5 });
    });

    it('never moves a mark back', () => {
      const { list } = newList();
      list.load([server(BOB, { lastSeq: 9, peerReadSeq: 6, peerDeliveredSeq: 8 })], () => undefined);
      const before = list.$list.get();
      list.receipt(BOB, 'read', 3);
      list.receipt(BOB, 'delivered', 7);
      expect(list.get(BOB)).to.include({ peerReadSeq: 6, peerDeliveredSeq: 8 });
      expect(list.$list.get(), 'nothing published').to.equal(before);
      // Read past what was delivered: delivered follows.
      list.receipt(BOB, 'read', 9);
      expect(list.get(BOB)).to.include({ peerReadSeq: 9, peerDeliveredSeq: 9 });
    });

    it('ignores a conversation that is not listed', () => {
      const { list } = newList();
      list.receipt(BOB, 'read', 3);
      expect(list.get(BOB)).to.equal(undefined);
      expect(list.$list.get()).to.deep.equal([]);
    });
  });

  describe('online', () => {
    it('shows a listed peer’s presence, and lists nobody for it', () => {
      const { list } = newList();
      list.load([server(BOB)], () => undefined);
      list.online(BOB, true);
      expect(list.get(BOB)?.online).to.equal(true);
      list.online(BOB, false);
      expect(list.get(BOB)?.online).to.equal(false);
      list.online(CAROL, true);
      expect(list.get(CAROL)).to.equal(undefined);
      expect(keys(list)).to.deep.equal([BOB]);
    });
  });

  describe('publishing', () => {
    it('keeps the identity of the entries that did not change', () => {
      const { list } = newList();
      const { of, local } = conversations();
      list.load([server(BOB, { lastSeq: 1 }), server(CAROL, { lastSeq: 1 }), server(LOBBY, { lastSeq: 1 })], local);
      const [bob, carol, lobby] = [BOB, CAROL, LOBBY].map((key) => list.get(key));
      list.online(BOB, true);
      expect(list.get(CAROL)).to.equal(carol);
      expect(list.get(LOBBY)).to.equal(lobby);
      expect(list.get(BOB)).not.to.equal(bob);
      const arrived = msg(LOBBY, { from: 'bob', localId: 'l2', seq: 2 });
      of(LOBBY).upsert(arrived);
      list.touch(of(LOBBY), [arrived]);
      expect(list.get(CAROL)).to.equal(carol);
      expect(list.$list.get()).to.include(carol);
    });

    it('calls onTotal only when the total unread count changes', () => {
      const { list, totals } = newList();
      const { of, local } = conversations();
      list.load([server(BOB, { lastSeq: 2, unread: 2 }), server(LOBBY, { lastSeq: 2, unread: 1 })], local);
      expect(totals).to.deep.equal([3]);
      // Changes that leave the total alone.
      list.online(BOB, true);
      list.receipt(BOB, 'read', 1);
      list.load([server(BOB, { lastSeq: 2, unread: 1 }), server(LOBBY, { lastSeq: 2, unread: 2 })], local);
      expect(totals).to.deep.equal([3]);
      const arrived = msg(LOBBY, { from: 'bob', localId: 'l3', seq: 3 });
      of(LOBBY).upsert(arrived);
      list.touch(of(LOBBY), [arrived]);
      expect(totals).to.deep.equal([3, 4]);
      expect(list.$total.get()).to.equal(4);
      list.remove(LOBBY);
      expect(totals).to.deep.equal([3, 4, 1]);
      expect(list.$total.get()).to.equal(1);
    });

    // Every (re)connect loads the list again: an entry whose last message is the same stored
    // message keeps its identity, so the views do not redraw every row.
    it('keeps the identity of entries a reload of the same list does not change', () => {
      const { list } = newList();
      const snapshot = () => [
        server(BOB, { lastSeq: 3, readSeq: 1, unread: 2, lastMessage: msg(BOB, { from: 'bob', localId: 'b3', seq: 3 }) }),
      ];
      list.load(snapshot(), () => undefined);
      const before = list.get(BOB);
      list.load(snapshot(), () => undefined);
      expect(list.get(BOB)).to.equal(before);
    });

    it('lastSeqOf is 0 for a conversation not listed, and never goes back', () => {
      const { list } = newList();
      const { of, local } = conversations();
      expect(list.lastSeqOf(BOB)).to.equal(0);
      list.load([server(BOB, { lastSeq: 5 })], local);
      expect(list.lastSeqOf(BOB)).to.equal(5);
      const arrived = msg(BOB, { from: 'bob', localId: 'b8', seq: 8 });
      of(BOB).upsert(arrived);
      list.touch(of(BOB), [arrived]);
      expect(list.lastSeqOf(BOB)).to.equal(8);
      // A list fetched before that message arrived.
      list.load([server(BOB, { lastSeq: 5 })], local);
      expect(list.lastSeqOf(BOB)).to.equal(8);
    });
  });

  describe('mentions', () => {
    it('marks a conversation when a message that mentions this user arrives unread, and clears it once read to the end', () => {
      const { list } = newList();
      const { of, local } = conversations();
      list.load([server(LOBBY, { lastSeq: 2, readSeq: 2, mentioned: false })], local);
      const plain = msg(LOBBY, { localId: 'p', seq: 3, from: 'bob' });
      of(LOBBY).upsert(plain);
      list.touch(of(LOBBY), [plain]);
      expect(list.get(LOBBY)!.mentioned).to.equal(undefined);
      const mention = msg(LOBBY, { localId: 'm', seq: 4, from: 'bob', mentionsMe: true });
      of(LOBBY).upsert(mention);
      list.touch(of(LOBBY), [mention]);
      expect(list.get(LOBBY)!.mentioned).to.equal(true);
      list.read(LOBBY, 3, 1);
      expect(list.get(LOBBY)!.mentioned, 'one unread left').to.equal(true);
      list.read(LOBBY, 4, 0);
      expect(list.get(LOBBY)!.mentioned).to.equal(undefined);
      list.load([server(LOBBY, { lastSeq: 4, readSeq: 2, unread: 2, mentioned: true })], local);
      expect(list.get(LOBBY)!.mentioned, 'the server says so').to.equal(true);
    });
  });
});

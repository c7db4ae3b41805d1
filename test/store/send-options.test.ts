// Per-message send options through a chat session: a transient message lives in memory only and
// never counts (unread, preview, cache); `needReadReceipt: false` takes the receipt off a message
// on every device of its sender.
import { expect } from '@open-wc/testing';
import type { ChatMessage, ChatSession, ConversationKey } from '../../src/store/index.js';
import { startServer, stopServer, uniqueId, waitFor } from '../client/helpers.js';
import { sessionKit } from './helpers.js';

const { newSession, startedSession, mount, cleanup } = sessionKit();

const summaryOf = (session: ChatSession, key: ConversationKey) => session.$conversations.get().find((c) => c.key === key);
const byText = (messages: readonly ChatMessage[], text: string) => messages.find((m) => m.text === text);

describe('ChatSession send options', function () {
  this.timeout(90_000);

  afterEach(cleanup);

  it('a transient peer message is shown on both sides without a seq, never unread, never the preview, never cached', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await startedSession(aliceId);
    const bob = await startedSession(bobId);
    const toBob = alice.conversationKey('peer', bobId);
    const toAlice = bob.conversationKey('peer', aliceId);
    const $bobView = mount(bob.messagesOf(toAlice));
    const $aliceView = mount(alice.messagesOf(toBob));

    const kept = await alice.send(toBob, 'kept');
    const passing = await alice.send(toBob, 'just passing', { transient: true });
    expect(passing).to.deep.include({ status: 'sent', transient: true, seq: undefined });
    expect(passing.id, 'the server still names it').to.be.a('string');
    expect(alice.receiptOf(toBob, passing), 'no receipt for a message with no place in the sequence').to.equal(undefined);

    await waitFor(() => $bobView.get().length === 2, 'bob to see both');
    expect(byText($bobView.get(), 'just passing')).to.deep.include({ transient: true, seq: undefined, own: false });
    expect(byText($bobView.get(), 'kept')!.transient).to.equal(undefined);
    // The transient one came last, yet the inbox counts and previews only the stored one.
    expect(summaryOf(bob, toAlice)).to.deep.include({ unread: 1 });
    expect(summaryOf(bob, toAlice)!.lastMessage?.text).to.equal('kept');
    expect(summaryOf(alice, toBob)!.lastMessage?.text).to.equal('kept');
    expect($aliceView.get().map((m) => m.text)).to.deep.equal(['kept', 'just passing']);

    // A reload with the server down shows what IndexedDB holds: the stored message only.
    await alice.stop();
    const reloaded = await newSession(aliceId);
    try {
      await stopServer();
      const $cached = mount(reloaded.messagesOf(toBob));
      await waitFor(() => $cached.get().length > 0, 'the cached messages');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect($cached.get().map((m) => [m.text, m.seq])).to.deep.equal([['kept', kept.seq]]);
    } finally {
      await startServer();
    }
  });

  it('a transient channel message reaches the members live and has no read count', async () => {
    const [aliceId, bobId, channelId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
    const key = `channel:${channelId}` as const;
    const bob = await startedSession(bobId);
    const $bob = mount(bob.messagesOf(key));
    await waitFor(() => summaryOf(bob, key), 'bob in the channel');
    const alice = await startedSession(aliceId);
    mount(alice.messagesOf(key));
    const $readers = mount(alice.readersOf(key));
    await waitFor(() => $readers.get()?.members.length === 2, 'two members with their markers');

    const stored = await alice.send(key, 'stored');
    const passing = await alice.send(key, 'live only', { transient: true });
    await waitFor(() => $bob.get().some((m) => m.text === 'live only'), 'bob to get the transient one');
    expect(byText($bob.get(), 'live only')).to.deep.include({ transient: true, seq: undefined });
    expect(alice.readCount(key, passing)).to.equal(undefined);
    expect(alice.readCount(key, stored)).to.deep.equal({ read: 0, of: 1 });
    expect(summaryOf(bob, key)!.lastMessage?.text).to.equal('stored');
  });

  it('needReadReceipt false: no receipt for that message on any device of the sender, while the others are read', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await startedSession(aliceId);
    const aliceTab2 = await startedSession(aliceId);
    const bob = await startedSession(bobId);
    const toBob = alice.conversationKey('peer', bobId);
    const toAlice = bob.conversationKey('peer', aliceId);
    const $tab2 = mount(aliceTab2.messagesOf(toBob));

    const quiet = await alice.send(toBob, 'no receipt please', { needReadReceipt: false });
    const normal = await alice.send(toBob, 'normal');
    expect(quiet.needReadReceipt).to.equal(false);
    expect(quiet.seq, 'still stored, in sequence').to.be.a('number');

    const $bob = mount(bob.messagesOf(toAlice));
    await waitFor(() => $bob.get().length === 2, 'bob to get both');
    bob.markRead(toAlice);
    await waitFor(() => alice.receiptOf(toBob, normal) === 'read', 'the normal message read');
    expect(alice.receiptOf(toBob, quiet)).to.equal(undefined);
    expect(alice.receiptsOf(toBob).get().has(quiet.localId)).to.equal(false);
    expect(alice.receiptsOf(toBob).get().get(normal.localId)).to.not.equal(undefined);

    // The other tab got it synced with the flag; its receipts skip it the same way.
    await waitFor(() => $tab2.get().length === 2, 'the other tab to sync both');
    const synced = byText($tab2.get(), 'no receipt please')!;
    expect(synced.needReadReceipt).to.equal(false);
    await waitFor(() => aliceTab2.receiptOf(toBob, byText($tab2.get(), 'normal')!) === 'read', 'read in the other tab');
    expect(aliceTab2.receiptOf(toBob, synced)).to.equal(undefined);

    // A later device loads it from history with the flag too.
    const later = await startedSession(aliceId);
    const $later = mount(later.messagesOf(toBob));
    await waitFor(() => $later.get().length === 2, 'history on a new device');
    expect(byText($later.get(), 'no receipt please')!.needReadReceipt).to.equal(false);
    expect(byText($later.get(), 'normal')!.needReadReceipt).to.equal(undefined);
  });
});

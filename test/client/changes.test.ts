import { expect } from '@open-wc/testing';
import type { ReceivedMessage } from '../../src/client/index.js';
import { loggedInClient, logoutAll, record, rejectionOf, sentOfType, socketTap, uniqueId, waitFor } from './helpers.js';

const textOf = (message: ReceivedMessage) => (message.message.messageType === 'TEXT' ? message.message.text : `<${message.message.messageType}>`);

describe('RtmClient messages that change', () => {
  afterEach(logoutAll);

  it('retract: the peer and the sender’s other tab get MessageRetracted; history shows the placeholder', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const aliceTab = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageRetracted');
    const atTab = record(aliceTab, 'MessageRetracted');
    const { messageId } = await alice.sendMessageToPeer({ text: 'wrong chat' }, bobId);

    const retracted = await alice.retractMessage(messageId);
    expect(retracted.message).to.deep.equal({ messageType: 'RETRACTED' });
    expect(retracted.retractedAt).to.be.a('number');
    await waitFor(() => atBob.length === 1 && atTab.length === 1, 'both to hear of it');
    expect(atBob[0]![0].messageId).to.equal(messageId);
    expect(atBob[0]![0].peerId).to.equal(aliceId);
    const { messages } = await bob.getHistory({ peerId: aliceId });
    expect(messages.map(textOf)).to.deep.equal(['<RETRACTED>']);
  });

  it('edit: last edit wins, the edit id is kept across a resend, and only text can be edited', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tap = socketTap();
    const alice = await loggedInClient(aliceId, { WebSocket: tap.WebSocket });
    const bob = await loggedInClient(bobId);
    const edits = record(bob, 'MessageEdited');
    const { messageId } = await alice.sendMessageToPeer({ text: 'helo' }, bobId);
    await alice.editMessage(messageId, { text: 'hello' });
    const last = await alice.editMessage(messageId, { text: 'hello!' }, { clientMessageId: 'my-edit-2' });
    expect(textOf(last)).to.equal('hello!');
    expect(last.editedAt).to.be.a('number');
    await waitFor(() => edits.length === 2, 'bob to get both edits');
    expect(edits.map(([m]) => textOf(m))).to.deep.equal(['hello', 'hello!']);
    expect(sentOfType(tap, 'message.edit').at(-1)!.cmid).to.equal('my-edit-2');

    // The same edit id again changes nothing (it is a resend), even with other text.
    const resent = await alice.editMessage(messageId, { text: 'hello' }, { clientMessageId: 'my-edit-2' });
    expect(textOf(resent)).to.equal('hello!');

    const empty = await rejectionOf(alice.editMessage(messageId, { text: '' }));
    expect(empty.reason).to.equal('MESSAGE_EMPTY');
    const notMine = await rejectionOf(bob.editMessage(messageId, { text: 'mine' }));
    expect(notMine.reason).to.equal('NOT_MESSAGE_SENDER');
    const bad = await rejectionOf(alice.editMessage('not a message id', { text: 'x' }));
    expect(bad.reason).to.equal('INVALID_ARGUMENT');
  });

  it('reactions: ReactionChanged with who and what; a bad emoji is refused before anything is sent', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const tap = socketTap();
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId, { WebSocket: tap.WebSocket });
    const atAlice = record(alice, 'ReactionChanged');
    const { messageId } = await alice.sendMessageToPeer({ text: 'ship it?' }, bobId);
    const reacted = await bob.addReaction(messageId, '🚀');
    expect(reacted.reactions).to.deep.equal([{ emoji: '🚀', count: 1, uids: [bobId] }]);
    await waitFor(() => atAlice.length === 1, 'alice to see the reaction');
    expect(atAlice[0]![1]).to.deep.equal({ uid: bobId, emoji: '🚀', added: true });
    const removed = await bob.removeReaction(messageId, '🚀');
    expect(removed.reactions).to.equal(undefined);
    await waitFor(() => atAlice.length === 2, 'alice to see it removed');
    expect(atAlice[1]![1].added).to.equal(false);

    const before = tap.sent.length;
    for (const emoji of ['ok', '🚀🚀', '']) {
      expect((await rejectionOf(bob.addReaction(messageId, emoji))).reason).to.equal('INVALID_REACTION');
    }
    expect(tap.sent.length).to.equal(before);
  });

  it('delete for me: MessageDeleted on my other tab, gone from my history, the peer keeps it', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const alicePhone = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const deleted = record(alicePhone, 'MessageDeleted');
    const { messageId, seq } = await bob.sendMessageToPeer({ text: 'delete me' }, aliceId);
    await alice.deleteMessage(messageId);
    await waitFor(() => deleted.length === 1, 'the phone to drop it');
    expect(deleted[0]![0]).to.deep.equal({ peerId: bobId, messageId, seq });
    expect((await alice.getHistory({ peerId: bobId })).messages).to.deep.equal([]);
    expect((await bob.getHistory({ peerId: aliceId })).messages.map(textOf)).to.deep.equal(['delete me']);
  });

  it('getMessageChanges catches a client up on what changed while it was away', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    let bob = await loggedInClient(bobId);
    const one = await alice.sendMessageToPeer({ text: 'one' }, bobId);
    const two = await alice.sendMessageToPeer({ text: 'two' }, bobId);
    const { changeSeq } = await bob.getHistory({ peerId: aliceId });
    await bob.logout();

    await alice.editMessage(one.messageId, { text: 'one, edited' });
    await alice.retractMessage(two.messageId);
    await alice.addReaction(one.messageId, '👍');

    bob = await loggedInClient(bobId);
    const page = await bob.getMessageChanges({ peerId: aliceId, afterChangeSeq: changeSeq });
    expect(page.hasMore).to.equal(false);
    const byId = new Map(page.changes.map((c) => [c.message!.messageId, c.message!]));
    expect(byId.size).to.equal(2);
    expect(textOf(byId.get(one.messageId)!)).to.equal('one, edited');
    expect(byId.get(one.messageId)!.reactions?.[0]?.emoji).to.equal('👍');
    expect(textOf(byId.get(two.messageId)!)).to.equal('<RETRACTED>');
    const none = await bob.getMessageChanges({ peerId: aliceId, afterChangeSeq: page.changeSeq });
    expect(none.changes).to.deep.equal([]);
  });
});

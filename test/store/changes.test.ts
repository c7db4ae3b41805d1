import { expect } from '@open-wc/testing';
import { openDB } from 'idb';
import type { ChatMessage } from '../../src/store/index.js';
import { loggedInClient, record, rejectionOf, sentOfType, serverUrl, appId, sleep, socketTap, uniqueId, waitFor } from '../client/helpers.js';
import { sessionKit } from './helpers.js';

const view = (messages: readonly ChatMessage[]) =>
  messages.map((m) => [m.text ?? `<${m.message.messageType}>`, m.editedAt !== undefined, (m.reactions ?? []).map((r) => `${r.emoji}${r.count}${r.mine ? '*' : ''}`).join(' ')]);

describe('ChatSession messages that change', function () {
  this.timeout(30_000);
  const { startedSession, mount, cleanup } = sessionKit();
  afterEach(cleanup);

  it('shows the other side’s edit, retraction and reactions live, in the list preview too', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const alice = await startedSession(aliceId);
    const key = alice.conversationKey('peer', bobId);
    const $messages = mount(alice.messagesOf(key));
    const $list = mount(alice.$conversations);
    const first = await bob.sendMessageToPeer({ text: 'helo' }, aliceId);
    const second = await bob.sendMessageToPeer({ text: 'oops' }, aliceId);
    await waitFor(() => $messages.get().length === 2, 'both messages');

    await bob.editMessage(first.messageId, { text: 'hello' });
    await bob.addReaction(first.messageId, '👋');
    await bob.retractMessage(second.messageId);
    await waitFor(() => $messages.get()[1]?.retractedAt !== undefined && $messages.get()[0]?.reactions !== undefined, 'the changes');
    expect(view($messages.get())).to.deep.equal([
      ['hello', true, '👋1'],
      ['<RETRACTED>', false, ''],
    ]);
    expect($list.get().find((c) => c.key === key)?.lastMessage?.message.messageType).to.equal('RETRACTED');
  });

  it('this user’s own actions: edit, toggle a reaction, retract, delete for me; a refused one changes nothing', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageDeleted');
    const alice = await startedSession(aliceId);
    const key = alice.conversationKey('peer', bobId);
    const $messages = mount(alice.messagesOf(key));
    await alice.send(key, 'typo hre');
    await alice.send(key, 'second');
    await bob.sendMessageToPeer({ text: 'from bob' }, aliceId);
    await waitFor(() => $messages.get().length === 3, 'three messages');

    const [mine, second, theirs] = $messages.get();
    await alice.edit(mine!, 'typo here');
    await alice.toggleReaction(theirs!, '❤️');
    expect(view($messages.get())[2]).to.deep.equal(['from bob', false, '❤️1*']);
    await alice.toggleReaction($messages.get()[2]!, '❤️');
    expect($messages.get()[2]!.reactions).to.equal(undefined);
    await alice.retract(second!);
    const refused = await rejectionOf(alice.edit(theirs!, 'not mine'));
    expect(refused.reason).to.equal('NOT_MESSAGE_SENDER');
    await alice.deleteForMe(theirs!);
    expect(view($messages.get())).to.deep.equal([
      ['typo here', true, ''],
      ['<RETRACTED>', false, ''],
    ]);
    expect(atBob).to.deep.equal([]);
    expect((await bob.getHistory({ peerId: aliceId })).messages.length).to.equal(3);
  });

  it('catches up on changes made while it was offline, and rewrites the cached copies', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const kept = await bob.sendMessageToPeer({ text: 'keep me' }, aliceId);
    const edited = await bob.sendMessageToPeer({ text: 'draft' }, aliceId);
    const retracted = await bob.sendMessageToPeer({ text: 'secret' }, aliceId);
    const tap = socketTap();
    const alice = await startedSession(aliceId, { WebSocket: tap.WebSocket });
    const key = alice.conversationKey('peer', bobId);
    const $messages = mount(alice.messagesOf(key));
    await waitFor(() => $messages.get().length === 3, 'the history page');

    tap.refuse = true;
    tap.kill();
    await waitFor(() => alice.$connection.get().state === 'RECONNECTING', 'alice offline');
    await bob.editMessage(edited.messageId, { text: 'final' });
    await bob.retractMessage(retracted.messageId);
    await bob.addReaction(kept.messageId, '👍');
    tap.refuse = false;

    await waitFor(() => $messages.get()[2]?.retractedAt !== undefined && $messages.get()[0]?.reactions !== undefined, 'the caught-up changes');
    expect(view($messages.get())).to.deep.equal([
      ['keep me', false, '👍1'],
      ['final', true, ''],
      ['<RETRACTED>', false, ''],
    ]);
    expect(sentOfType(tap, 'changes').length).to.be.greaterThan(0);

    // The retracted content is gone from IndexedDB as well.
    const cached = async () => {
      const db = await openDB(`rtm-chat ${new URL(serverUrl()).origin} ${appId()} ${aliceId}`);
      const all = JSON.stringify(await db.getAll('messages'));
      db.close();
      return all;
    };
    for (let i = 0; i < 40 && !(await cached()).includes('final'); i++) await sleep(50);
    const all = await cached();
    expect(all).to.include('final');
    expect(all).to.not.include('secret');
    expect(all).to.not.include('draft');
  });

  it('a reply shows its quote at once, the receiver gets it with the quote, and a mention of the receiver is marked', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await startedSession(aliceId);
    const bob = await startedSession(bobId);
    const aliceKey = alice.conversationKey('peer', bobId);
    const bobKey = bob.conversationKey('peer', aliceId);
    const $alice = mount(alice.messagesOf(aliceKey));
    const $bob = mount(bob.messagesOf(bobKey));
    await bob.send(bobKey, 'dinner at 8?');
    await waitFor(() => $alice.get().length === 1, 'alice to get the question');
    const question = $alice.get()[0]!;

    const sending = alice.send(aliceKey, `@${bobId} yes`, { replyTo: question, mentions: [bobId] });
    expect($alice.get()[1]!.quote).to.deep.equal({ id: question.id, seq: question.seq, from: bobId, type: 'TEXT', excerpt: 'dinner at 8?' });
    await sending;
    await waitFor(() => $bob.get().length === 2, 'bob to get the reply');
    const reply = $bob.get()[1]!;
    expect(reply.quote?.excerpt).to.equal('dinner at 8?');
    expect(reply.mentionsMe).to.equal(true);
    expect($alice.get()[1]!.mentionsMe).to.equal(undefined);
  });

  it('deletes a conversation for this user: off the list, with its history gone here and on another device', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    await bob.sendMessageToPeer({ text: 'one' }, aliceId);
    await bob.sendMessageToPeer({ text: 'two' }, aliceId);
    const alice = await startedSession(aliceId);
    const other = await loggedInClient(aliceId);
    const heard = record(other, 'ConversationDeleted');
    const key = alice.conversationKey('peer', bobId);
    const $messages = mount(alice.messagesOf(key));
    const $list = mount(alice.$conversations);
    await waitFor(() => $messages.get().length === 2 && $list.get().some((c) => c.key === key), 'the conversation');

    await alice.deleteConversation(key, { history: true });
    expect($list.get().some((c) => c.key === key)).to.equal(false);
    expect($messages.get()).to.deep.equal([]);
    await waitFor(() => heard.length === 1, 'the other device to hear it');
    expect(heard[0]![0]).to.deep.equal({ peerId: bobId, clearedSeq: 2 });
    expect((await bob.getHistory({ peerId: aliceId })).messages.length, 'bob keeps it').to.equal(2);

    await bob.sendMessageToPeer({ text: 'three' }, aliceId);
    await waitFor(() => $list.get().some((c) => c.key === key), 'back with a new message');
    expect($messages.get().map((m) => m.text)).to.deep.equal(['three']);
  });
});

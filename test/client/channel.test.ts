import { expect } from '@open-wc/testing';
import { RtmError } from '../../src/protocol/index.js';
import { loggedInClient, logoutAll, record, rejectionOf, sentOfType, socketTap, uniqueId, waitFor } from './helpers.js';

describe('RtmChannel', () => {
  afterEach(logoutAll);

  it('joins, lists members, fans messages out to the other members and reports joins and leaves', async () => {
    const [aliceId, bobId, carolId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
    const channelId = uniqueId('lobby');
    const alice = await loggedInClient(aliceId);
    const bob = await loggedInClient(bobId);
    const carol = await loggedInClient(carolId);

    const aliceChannel = alice.createChannel(channelId);
    expect(aliceChannel.channelId).to.equal(channelId);
    expect(alice.createChannel(channelId)).to.equal(aliceChannel);
    const joined = record(aliceChannel, 'MemberJoined');
    const left = record(aliceChannel, 'MemberLeft');
    await aliceChannel.join();

    const bobChannel = bob.createChannel(channelId);
    const carolChannel = carol.createChannel(channelId);
    await bobChannel.join();
    await carolChannel.join();
    await waitFor(() => joined.length === 2, 'alice to see bob and carol join');
    expect(joined.map(([member]) => member).sort()).to.deep.equal([bobId, carolId].sort());
    expect((await aliceChannel.getMembers()).sort()).to.deep.equal([aliceId, bobId, carolId].sort());

    const atAlice = record(aliceChannel, 'ChannelMessage');
    const atBob = record(bobChannel, 'ChannelMessage');
    const atCarol = record(carolChannel, 'ChannelMessage');
    const ack = await aliceChannel.sendMessage({ text: 'hello channel' });
    expect(ack.messageId).to.be.a('string');
    await waitFor(() => atBob.length === 1 && atCarol.length === 1, 'bob and carol to receive it');
    for (const [message, memberId, props] of [atBob[0]!, atCarol[0]!]) {
      expect(message).to.deep.equal({ messageType: 'TEXT', text: 'hello channel' });
      expect(memberId).to.equal(aliceId);
      expect(props.messageId).to.equal(ack.messageId);
      expect(props.seq).to.equal(ack.seq);
    }

    await bobChannel.leave();
    await waitFor(() => left.length === 1, 'alice to see bob leave');
    expect(left[0]).to.deep.equal([bobId]);
    expect((await aliceChannel.getMembers()).sort()).to.deep.equal([aliceId, carolId].sort());
    // The sender does not get its own message back.
    expect(atAlice).to.have.length(0);
  });

  it('reports a member whose connection drops as left', async () => {
    const channelId = uniqueId('lobby');
    const alice = await loggedInClient(uniqueId('alice'));
    const bobId = uniqueId('bob');
    const bob = await loggedInClient(bobId);
    const aliceChannel = alice.createChannel(channelId);
    const left = record(aliceChannel, 'MemberLeft');
    await aliceChannel.join();
    await bob.createChannel(channelId).join();

    await bob.logout();

    await waitFor(() => left.length === 1, 'alice to see bob go');
    expect(left[0]).to.deep.equal([bobId]);
  });

  it('refuses sends and member lists before join with NOT_JOINED, sending nothing', async () => {
    const tap = socketTap();
    const alice = await loggedInClient(uniqueId('alice'), { WebSocket: tap.WebSocket });
    const channel = alice.createChannel(uniqueId('lobby'));

    expect((await rejectionOf(channel.sendMessage({ text: 'early' }))).reason).to.equal('NOT_JOINED');
    expect((await rejectionOf(channel.getMembers())).reason).to.equal('NOT_JOINED');
    expect(sentOfType(tap, 'channel.send')).to.have.length(0);
  });

  it('rejects invalid channel names and messages without sending', async () => {
    const tap = socketTap();
    const alice = await loggedInClient(uniqueId('alice'), { WebSocket: tap.WebSocket });
    expect(() => alice.createChannel('c'.repeat(65))).to.throw(RtmError).with.property('reason', 'INVALID_CHANNEL_NAME');
    expect(() => alice.createChannel('')).to.throw(RtmError).with.property('reason', 'INVALID_CHANNEL_NAME');

    const channel = alice.createChannel(uniqueId('lobby'));
    await channel.join();
    expect((await rejectionOf(channel.sendMessage({ text: '' }))).reason).to.equal('MESSAGE_EMPTY');
    expect(sentOfType(tap, 'channel.send')).to.have.length(0);
  });

  it("returns channel history and syncs the sender's other tab", async () => {
    const [aliceId, channelId] = [uniqueId('alice'), uniqueId('lobby')];
    const tab1 = await loggedInClient(aliceId);
    const tab2 = await loggedInClient(aliceId);
    await tab1.createChannel(channelId).join();
    await tab2.createChannel(channelId).join();
    const synced = record(tab2, 'MessageSynced');

    const ack = await tab1.createChannel(channelId).sendMessage({ text: 'from tab 1' });

    await waitFor(() => synced.length === 1, 'tab 2 to get its own message');
    expect(synced[0]![1]).to.deep.include({ channelId, messageId: ack.messageId });
    const page = await tab2.getHistory({ channelId });
    expect(page.messages.map((m) => m.messageId)).to.deep.equal([ack.messageId]);
    expect(page.messages[0]).to.deep.include({ channelId, from: aliceId });
  });
});

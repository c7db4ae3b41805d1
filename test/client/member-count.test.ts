import { expect } from '@open-wc/testing';
import { LOG_FILTER_DEBUG, LOG_FILTER_OFF } from '../../src/client/index.js';
import { MAX_MEMBER_COUNT_QUERY } from '../../src/protocol/index.js';
import { loggedInClient, logoutAll, record, rejectionOf, sentOfType, socketTap, uniqueId, waitFor } from './helpers.js';

describe('member counts, subscriptions and settings (Agora 1.x)', () => {
  afterEach(logoutAll);

  it('getChannelMemberCount counts the users joined to each channel, for anyone, a user with two clients once', async () => {
    const [one, two, none] = [uniqueId('count-one'), uniqueId('count-two'), uniqueId('count-none')];
    const aliceId = uniqueId('alice');
    const [alice1, alice2] = [await loggedInClient(aliceId), await loggedInClient(aliceId)];
    const bob = await loggedInClient(uniqueId('bob'));
    const outsider = await loggedInClient(uniqueId('outsider'));
    await Promise.all([alice1.createChannel(one).join(), alice2.createChannel(one).join(), bob.createChannel(one).join(), bob.createChannel(two).join()]);

    expect(await outsider.getChannelMemberCount([one, two, none, one])).to.deep.equal({ [one]: 2, [two]: 1, [none]: 0 });
    await bob.createChannel(one).leave();
    expect(await outsider.getChannelMemberCount([one])).to.deep.equal({ [one]: 1 });
    expect(await outsider.getChannelMemberCount([])).to.deep.equal({});
  });

  it('getChannelMemberCount refuses bad arguments before sending anything', async () => {
    const tap = socketTap();
    const client = await loggedInClient(uniqueId('alice'), { WebSocket: tap.WebSocket });
    const tooMany = Array.from({ length: MAX_MEMBER_COUNT_QUERY + 1 }, (_, i) => `c${i}`);
    expect((await rejectionOf(client.getChannelMemberCount(tooMany))).reason).to.equal('INVALID_ARGUMENT');
    expect((await rejectionOf(client.getChannelMemberCount('lobby' as never))).reason).to.equal('INVALID_ARGUMENT');
    expect((await rejectionOf(client.getChannelMemberCount(['lobby', ' bad']))).reason).to.equal('INVALID_CHANNEL_NAME');
    expect(sentOfType(tap, 'channel.member_count')).to.have.length(0);
    expect(Object.keys(await client.getChannelMemberCount(tooMany.slice(0, MAX_MEMBER_COUNT_QUERY)))).to.have.length(MAX_MEMBER_COUNT_QUERY);
  });

  it('MemberCountUpdated: on join, then paced at once a second with the latest count; nothing after leaving', async () => {
    const channelId = uniqueId('paced');
    const alice = await loggedInClient(uniqueId('alice'));
    const others = await Promise.all(['bob', 'carol', 'dave'].map((name) => loggedInClient(uniqueId(name))));
    const channel = alice.createChannel(channelId);
    const counts = record(channel, 'MemberCountUpdated');
    await channel.join();
    expect(counts).to.deep.equal([[1]], 'announced when the join is confirmed');

    await others[0]!.createChannel(channelId).join();
    await waitFor(() => counts.length === 2, 'the count after bob joined');
    expect(counts[1]).to.deep.equal([2]);
    // Two joins within one interval: one announcement, of the latest count.
    await Promise.all(others.slice(1).map((other) => other.createChannel(channelId).join()));
    await waitFor(() => counts.length === 3, 'the count after carol and dave joined');
    expect(counts[2]).to.deep.equal([4]);
    await others[2]!.logout();
    await waitFor(() => counts.length === 4, 'the count after dave went offline');
    expect(counts[3]).to.deep.equal([3]);

    await channel.leave();
    await others[0]!.createChannel(channelId).leave();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(counts).to.have.length(4, 'a channel left announces nothing');
  });

  it('queryPeersBySubscriptionOption lists the users whose online status the client follows', async () => {
    const client = await loggedInClient(uniqueId('alice'));
    const [bob, carol] = [uniqueId('bob'), uniqueId('carol')];
    expect(await client.queryPeersBySubscriptionOption('ONLINE_STATUS')).to.deep.equal([]);
    await client.subscribePeersOnlineStatus([bob, carol]);
    await client.unsubscribePeersOnlineStatus([carol]);
    expect(await client.queryPeersBySubscriptionOption('ONLINE_STATUS')).to.deep.equal([bob]);
    expect((await rejectionOf(client.queryPeersBySubscriptionOption('TYPING' as never))).reason).to.equal('INVALID_ARGUMENT');
  });

  it('updateConfig / setParameters change the log levels at once and accept the options that mean nothing here', async () => {
    const client = await loggedInClient(uniqueId('alice'), { logFilter: LOG_FILTER_OFF });
    const original = console.debug;
    const debugged: unknown[][] = [];
    console.debug = (...args: unknown[]) => debugged.push(args);
    try {
      await client.queryPeersOnlineStatus([uniqueId('bob')]);
      expect(debugged).to.have.length(0);
      client.updateConfig({ logFilter: LOG_FILTER_DEBUG, enableLogUpload: true, enableCloudProxy: false });
      await client.queryPeersOnlineStatus([uniqueId('bob')]);
      expect(debugged.length).to.be.greaterThan(0, 'frames are logged at debug level now');
      client.setParameters({ logFilter: LOG_FILTER_OFF });
      const before = debugged.length;
      await client.queryPeersOnlineStatus([uniqueId('bob')]);
      expect(debugged.length).to.equal(before);
    } finally {
      console.debug = original;
    }
  });
});

import { expect } from '@open-wc/testing';
import type { RemoteInvitation, RtmClient } from '../../src/client/index.js';
import { loggedInClient, logoutAll, record, uniqueId, waitFor } from './helpers.js';

/** Resolves with the next invitation `client` receives. */
function nextInvitation(client: RtmClient): Promise<RemoteInvitation> {
  return new Promise((resolve) => client.once('RemoteInvitationReceived', resolve));
}

/** Every event of an emitter of ours, in order, as [name, ...args]. */
function events(emitter: { on(event: string, listener: (...args: unknown[]) => void): unknown }, names: string[]): unknown[][] {
  const seen: unknown[][] = [];
  for (const name of names) emitter.on(name, (...args: unknown[]) => seen.push([name, ...args]));
  return seen;
}
const LOCAL = ['LocalInvitationAccepted', 'LocalInvitationRefused', 'LocalInvitationReceivedByPeer', 'LocalInvitationCanceled', 'LocalInvitationFailure'];
const REMOTE = ['RemoteInvitationAccepted', 'RemoteInvitationRefused', 'RemoteInvitationCanceled', 'RemoteInvitationFailure', 'RemoteInvitationAnsweredElsewhere'];

describe('call invitations (Agora 1.x LocalInvitation / RemoteInvitation)', () => {
  afterEach(logoutAll);

  it('send → received → accepted between two clients; a second tab of the callee is told it was answered elsewhere', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const [bob1, bob2] = [await loggedInClient(bobId), await loggedInClient(bobId)];
    const received = [nextInvitation(bob1), nextInvitation(bob2)];

    const invitation = alice.createLocalInvitation(bobId);
    expect(invitation.state).to.equal('IDLE');
    invitation.content = 'join room r-42';
    invitation.channelId = 'r-42';
    const local = events(invitation as never, LOCAL);
    invitation.send();
    expect(invitation.state).to.equal('SENT_TO_REMOTE');
    expect(() => invitation.send()).to.throw().with.property('reason', 'INVITATION_ALREADY_SENT');

    const [remote1, remote2] = await Promise.all(received);
    for (const remote of [remote1!, remote2!]) {
      expect([remote.callerId, remote.content, remote.channelId, remote.state]).to.deep.equal([aliceId, 'join room r-42', 'r-42', 'INVITATION_RECEIVED']);
    }
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE', 'received by the peer');
    const seen1 = events(remote1 as never, REMOTE);
    const seen2 = events(remote2 as never, REMOTE);

    remote2!.response = 'on my way';
    remote2!.accept();
    expect(remote2!.state).to.equal('ACCEPT_SENT_TO_LOCAL');
    expect(() => remote2!.accept()).to.throw().with.property('reason', 'INVITATION_ALREADY_ACCEPTED');
    await waitFor(() => invitation.state === 'ACCEPTED_BY_REMOTE', 'accepted');
    expect(invitation.response).to.equal('on my way');
    expect(local).to.deep.equal([['LocalInvitationReceivedByPeer'], ['LocalInvitationAccepted', 'on my way']]);
    await waitFor(() => seen2.length === 1 && seen1.length === 1, 'both tabs settled');
    expect([remote2!.state, seen2]).to.deep.equal(['ACCEPTED', [['RemoteInvitationAccepted']]]);
    expect([remote1!.state, seen1]).to.deep.equal(['ACCEPTED', [['RemoteInvitationAnsweredElsewhere', true]]]);
    expect(() => remote1!.refuse()).to.throw().with.property('reason', 'INVITATION_ALREADY_ACCEPTED');
    expect(() => invitation.cancel()).to.throw().with.property('reason', 'INVITATION_ALREADY_ACCEPTED');
  });

  it('refuse carries the response; cancel reaches the callee with the content; wrong-state calls throw', async () => {
    const bobId = uniqueId('bob');
    const alice = await loggedInClient(uniqueId('alice'));
    const bob = await loggedInClient(bobId);

    const first = alice.createLocalInvitation(bobId);
    expect(() => first.cancel()).to.throw().with.property('reason', 'INVITATION_NOT_STARTED');
    const refused = events(first as never, LOCAL);
    let incoming = nextInvitation(bob);
    first.send();
    const remote = await incoming;
    remote.response = 'busy';
    remote.refuse();
    await waitFor(() => first.state === 'REFUSED_BY_REMOTE', 'refused');
    expect(refused.at(-1)).to.deep.equal(['LocalInvitationRefused', 'busy']);
    await waitFor(() => remote.state === 'REFUSED', 'refused on the callee side');
    expect(() => remote.accept()).to.throw().with.property('reason', 'INVITATION_ALREADY_ENDED');
    expect(() => first.cancel()).to.throw().with.property('reason', 'INVITATION_ALREADY_ENDED');

    const second = alice.createLocalInvitation(bobId);
    second.content = 'never mind';
    const canceled = events(second as never, LOCAL);
    incoming = nextInvitation(bob);
    second.send();
    const remote2 = await incoming;
    const seen = events(remote2 as never, REMOTE);
    second.cancel();
    await waitFor(() => second.state === 'CANCELED' && remote2.state === 'CANCELED', 'canceled on both sides');
    expect(canceled.filter(([name]) => name === 'LocalInvitationCanceled')).to.have.length(1);
    expect(seen).to.deep.equal([['RemoteInvitationCanceled', 'never mind']]);
    expect(() => remote2.accept()).to.throw().with.property('reason', 'INVITATION_ALREADY_ENDED');
  });

  it('fails for the callee when the caller logs out, and for the caller when a sent one is refused by the server', async () => {
    const bobId = uniqueId('bob');
    const alice = await loggedInClient(uniqueId('alice'));
    const bob = await loggedInClient(bobId);
    const incoming = nextInvitation(bob);
    const invitation = alice.createLocalInvitation(bobId);
    invitation.send();
    const remote = await incoming;
    const failures = record(bob, 'RemoteInvitationReceived');
    const seen = events(remote as never, REMOTE);
    await alice.logout();
    await waitFor(() => remote.state === 'FAILURE', 'failed on the callee side');
    expect(seen).to.deep.equal([['RemoteInvitationFailure', 'PEER_OFFLINE']]);
    expect(failures).to.have.length(0);

    // To oneself: the server refuses it.
    const self = bob.createLocalInvitation(bobId);
    const selfEvents = events(self as never, LOCAL);
    self.send();
    await waitFor(() => self.state === 'FAILURE', 'an invitation to oneself fails');
    expect(selfEvents).to.deep.equal([['LocalInvitationFailure', 'UNKNOWN']]);
    expect(() => bob.createLocalInvitation(' bad')).to.throw().with.property('reason', 'INVALID_USER_ID');
  });
});

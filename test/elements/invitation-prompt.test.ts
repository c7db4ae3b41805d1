import { expect, fixture } from '@open-wc/testing';
import '../../src/define.js';
import { createInstance, type LocalInvitation, type RtmClient } from '../../src/client/index.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import type { RtmInvitationDetail } from '../../src/elements/events.js';
import { appId, deepQuery, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

const clients: RtmClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.logout();
});

async function chatFor(uid: string, attributes = ''): Promise<RtmChatElement> {
  const holder = document.createElement('div');
  // Without a shared connection: two elements of one user here stand for two devices.
  holder.innerHTML = `<rtm-chat ${attributes} server="${serverUrl()}" app-id="${appId()}" user-id="${uid}" token="${await devToken(uid)}"><rtm-channel peer="nobody"></rtm-channel></rtm-chat>`;
  const el = holder.firstElementChild as RtmChatElement;
  const chat = await fixture<RtmChatElement>(el);
  await waitFor(() => chat.session?.$connection.get().state === 'CONNECTED', 'the session to connect');
  return chat;
}

async function caller(uid: string): Promise<RtmClient> {
  const client = createInstance(appId(), { server: serverUrl() });
  await client.login({ uid, token: await devToken(uid) });
  clients.push(client);
  return client;
}

/** Every `rtm-invitation` the element fires, as its detail. */
function invitationEvents(el: RtmChatElement): RtmInvitationDetail[] {
  const details: RtmInvitationDetail[] = [];
  el.addEventListener('rtm-invitation', (event) => details.push((event as CustomEvent<RtmInvitationDetail>).detail));
  return details;
}

const prompt = (el: RtmChatElement) => deepQuery(el, '[part~="invitation"]');
const settled = (invitation: LocalInvitation, event: 'LocalInvitationAccepted' | 'LocalInvitationRefused' | 'LocalInvitationCanceled') =>
  new Promise<unknown[]>((resolve) => invitation.once(event as never, ((...args: unknown[]) => resolve(args)) as never));

describe('<rtm-chat> call invitations', () => {
  it('shows an announced prompt; Accept reaches the caller with the response, and the page hears it', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await chatFor(bobId);
    const events = invitationEvents(bob);
    const alice = await caller(aliceId);
    const invitation = alice.createLocalInvitation(bobId);
    invitation.channelId = 'call-room';
    invitation.content = 'video';
    const accepted = settled(invitation, 'LocalInvitationAccepted');
    invitation.send();

    const shown = await waitFor(() => prompt(bob), 'the prompt');
    const title = shown.querySelector('[role="alert"]')!;
    expect(title.textContent).to.equal(`${aliceId} is inviting you to a call`);
    expect(shown.getAttribute('role')).to.equal('group');
    expect(shown.getAttribute('aria-labelledby')).to.equal(title.id);
    expect(events.map((e) => [e.state, e.invitation.from, e.invitation.channelId, e.invitation.content])).to.deep.equal([
      ['received', aliceId, 'call-room', 'video'],
    ]);
    await expect(bob).to.be.accessible();
    // The prompt does not take the keyboard.
    expect(bob.shadowRoot!.activeElement).to.equal(null);

    shown.querySelector<HTMLButtonElement>('[part~="accept-button"]')!.click();
    await accepted;
    await waitFor(() => !prompt(bob), 'the prompt closed');
    await waitFor(() => events.length === 2, 'the accepted event');
    expect(events[1]!.state).to.equal('accepted');
    expect(invitation.state).to.equal('ACCEPTED_BY_REMOTE');
  });

  it('Decline refuses; a canceled invitation closes its prompt; the caller shows by display name', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await chatFor(bobId);
    const events = invitationEvents(bob);
    const alice = await caller(aliceId);
    await alice.addOrUpdateLocalUserAttributes({ displayName: 'Alice Liu' });

    const first = alice.createLocalInvitation(bobId);
    const refused = settled(first, 'LocalInvitationRefused');
    first.send();
    const shown = await waitFor(() => prompt(bob), 'the prompt');
    await waitFor(() => shown.textContent?.includes('Alice Liu is inviting you to a call'), 'the caller by name');
    shown.querySelector<HTMLButtonElement>('[part~="decline-button"]')!.click();
    await refused;
    await waitFor(() => events.some((e) => e.state === 'refused'), 'the refused event');

    const second = alice.createLocalInvitation(bobId);
    second.send();
    await waitFor(() => prompt(bob), 'the second prompt');
    second.cancel();
    await waitFor(() => !prompt(bob), 'the prompt closed by the cancel');
    await waitFor(() => events.some((e) => e.state === 'canceled'), 'the canceled event');
  });

  it('on two devices, the first answer wins and the other prompt closes', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const phone = await chatFor(bobId);
    const laptop = await chatFor(bobId);
    const laptopEvents = invitationEvents(laptop);
    const alice = await caller(aliceId);
    const invitation = alice.createLocalInvitation(bobId);
    const accepted = settled(invitation, 'LocalInvitationAccepted');
    invitation.send();
    const onPhone = await waitFor(() => prompt(phone), "the phone's prompt");
    await waitFor(() => prompt(laptop), "the laptop's prompt");
    onPhone.querySelector<HTMLButtonElement>('[part~="accept-button"]')!.click();
    await accepted;
    await waitFor(() => !prompt(laptop), "the laptop's prompt closed");
    await waitFor(() => laptopEvents.some((e) => e.state === 'answered-elsewhere'), 'answered elsewhere');
  });

  it('no-invitation-prompt: the page gets the event and answers it itself', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await chatFor(bobId, 'no-invitation-prompt');
    const events = invitationEvents(bob);
    const alice = await caller(aliceId);
    const invitation = alice.createLocalInvitation(bobId);
    const refused = settled(invitation, 'LocalInvitationRefused');
    invitation.send();
    await waitFor(() => events.length === 1, 'the received event');
    expect(prompt(bob)).to.equal(undefined);
    expect(bob.session!.$invitations.get().map((waiting) => waiting.from)).to.deep.equal([aliceId]);
    bob.session!.answerInvitation(events[0]!.invitation.id, false, 'busy');
    const [response] = await refused;
    expect(response).to.equal('busy');
    expect(bob.session!.$invitations.get()).to.deep.equal([]);
  });
});

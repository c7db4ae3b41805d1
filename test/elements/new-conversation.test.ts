import { expect, fixture } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import type { RtmChannelElement } from '../../src/elements/rtm-channel/rtm-channel.js';
import { appId, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

/** The element that has the keyboard, through open shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Asserts which element has the focus (a failed comparison of elements would serialize the page). */
function expectFocusOn(element: Element | null | undefined, what: string): void {
  expect(deepActive() === element, `the focus is on ${what} (it is on ${deepActive()?.outerHTML.slice(0, 120)})`).to.be.true;
}

const chatFor = async (uid: string, attributes = '') => {
  const el = await fixture<RtmChatElement>(
    Object.assign(document.createElement('div'), {
      innerHTML: `<rtm-chat ${attributes} server="${serverUrl()}" app-id="${appId()}" user-id="${uid}" token="${await devToken(uid)}"></rtm-chat>`,
    }).firstElementChild as RtmChatElement,
  );
  await waitFor(() => el.session?.$connection.get().state === 'CONNECTED', 'the session to connect');
  return el;
};

const inbox = (el: RtmChatElement) => waitFor(() => el.shadowRoot!.querySelector('rtm-conversation-list')?.shadowRoot, 'the inbox');
const newButton = async (el: RtmChatElement) =>
  waitFor(() => el.shadowRoot!.querySelector('rtm-conversation-list')?.shadowRoot?.querySelector<HTMLButtonElement>('[part~="new-conversation-button"]'), 'the New conversation button');

/** Presses the button from the keyboard and waits for the form (loaded with the first press). */
async function openForm(el: RtmChatElement) {
  const button = await newButton(el);
  button.focus();
  await sendKeys({ press: 'Enter' });
  const root = await inbox(el);
  const form = await waitFor(() => root.querySelector<HTMLFormElement>('[part~="new-conversation-form"]'), 'the form');
  const input = form.querySelector<HTMLInputElement>('[part~="new-conversation-input"]')!;
  await waitFor(() => deepActive() === input, 'the focus in the textbox');
  return { button, form, input, root };
}

const shownChannel = (el: RtmChatElement) => el.shadowRoot!.querySelector<RtmChannelElement>('rtm-channel');

describe('<rtm-chat> inbox: New conversation', () => {
  it('opens a form from the keyboard with named controls, the focus in its textbox', async () => {
    const el = await chatFor(uniqueId('starter'));
    const button = await newButton(el);
    expect(button.textContent?.replace(/\s+/g, ' ').trim()).to.equal('+ New conversation');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    const { form, input } = await openForm(el);
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.getAttribute('aria-controls')).to.equal(form.id);
    expect(form.getAttribute('aria-labelledby')).to.equal(button.id, 'the form is named after its button');
    expect(input.labels![0]!.textContent).to.equal('User id');
    const radios = [...form.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((radio) => radio.labels![0]!.textContent!.trim())).to.deep.equal(['A person', 'A channel']);
    expect(radios.map((radio) => radio.checked)).to.deep.equal([true, false]);
    expect(form.querySelector('legend')?.textContent).to.equal('Start a conversation with');
    expect(form.querySelector('[part~="start-button"]')?.textContent).to.equal('Start');
    expect(form.querySelector('[part~="cancel-button"]')?.textContent).to.equal('Cancel');
    await expect(el).to.be.accessible();
  });

  it('checks the id as it is typed and refuses an invalid one: the message shown and announced, nothing opened', async () => {
    const el = await chatFor(uniqueId('strict'));
    const { form, input } = await openForm(el);
    const error = form.querySelector('[part~="new-conversation-error"]')!;
    expect(input.getAttribute('aria-describedby')).to.equal(error.id);
    expect(error.getAttribute('aria-live')).to.equal('polite');

    await sendKeys({ press: 'Enter' });
    await waitFor(() => error.textContent === 'User id must not be empty.', 'the empty id refused on Enter');
    expect(input.getAttribute('aria-invalid')).to.equal('true');

    await sendKeys({ type: 'bob/smith' });
    await waitFor(() => error.textContent?.startsWith('User id contains a character outside the allowed set (U+002F)'), 'the typed error');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await sendKeys({ press: 'Enter' });
    expect(shownChannel(el), 'no conversation opened').to.equal(null);
    expect(el.shadowRoot!.querySelector('rtm-conversation-list')!.shadowRoot!.querySelector('[part~="new-conversation-form"]'), 'the form stays').to.exist;
    expectFocusOn(input, 'the textbox');
    await expect(el).to.be.accessible();

    // Fixed as it is typed: the message goes.
    for (let i = 0; i < '/smith'.length; i++) await sendKeys({ press: 'Backspace' });
    await waitFor(() => error.textContent === '', 'the error to clear');
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    // A channel name follows the same rules, with its own message.
    form.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!.click();
    input.focus();
    await sendKeys({ type: '#' });
    await waitFor(() => error.textContent === '', '"#" is allowed');
    await sendKeys({ type: '€' });
    await waitFor(() => error.textContent?.startsWith('Channel name contains a character outside the allowed set (U+20AC)'), 'the channel name’s error');
    expect(el.session!.$conversations.get(), 'nothing joined or listed').to.deep.equal([]);
  });

  it('opens a conversation with a peer typed in: the composer takes the keyboard and a message goes', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [uid, peer] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(peer);
    const received = new Promise<string>((resolve) => bob.on('MessageFromPeer', (message, from) => from === uid && resolve('text' in message ? (message.text ?? '') : '')));
    const el = await chatFor(uid);
    await openForm(el);
    // Spaces around the id are not part of it.
    await sendKeys({ type: ` ${peer} ` });
    await sendKeys({ press: 'Enter' });
    const view = await waitFor(() => shownChannel(el), 'the conversation');
    expect(view.peer).to.equal(peer);
    expect(view.channel).to.equal(undefined);
    const root = await inbox(el);
    expect(root.querySelector('[part~="new-conversation-form"]'), 'the form closed').to.equal(null);
    expect(root.querySelector('[part~="new-conversation-button"]')!.getAttribute('aria-expanded')).to.equal('false');
    const textarea = await waitFor(() => deepQuery<HTMLTextAreaElement>(view, 'textarea[aria-label="Message"]'), 'the composer');
    await waitFor(() => deepActive() === textarea, 'the focus in the composer');
    await sendKeys({ type: 'hello from the new conversation' });
    await sendKeys({ press: 'Enter' });
    expect(await received).to.equal('hello from the new conversation');
    await waitFor(() => deepQueryAll(view, '[part~="bubble"]').some((bubble) => bubble.textContent?.includes('hello from the new conversation')), 'the message shown');
    // Now it has a message, the list names it like any other.
    await waitFor(() => [...root.querySelectorAll('[part~="conversation"]')].some((entry) => entry.textContent?.trim() === peer), 'the conversation in the list');
    expect(shownChannel(el)?.peer, 'still open').to.equal(peer);
    await bob.logout();
  });

  it('joins a channel by name', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [uid, member, name] = [uniqueId('joiner'), uniqueId('member'), uniqueId('room')];
    const el = await chatFor(uid);
    const { form, root } = await openForm(el);
    form.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!.focus();
    await sendKeys({ press: 'Space' });
    await waitFor(() => form.querySelector('label[for]')?.textContent === 'Channel name', 'the label for a channel');
    expect(form.querySelector('[part~="start-button"]')?.textContent).to.equal('Join');
    form.querySelector<HTMLInputElement>('[part~="new-conversation-input"]')!.focus();
    await sendKeys({ type: name });
    await sendKeys({ press: 'Enter' });
    const view = await waitFor(() => shownChannel(el), 'the channel');
    expect(view.channel).to.equal(name);
    // Joined: listed with no message yet, and another member's message arrives.
    await waitFor(() => el.session!.$conversations.get().some((entry) => entry.key === `channel:${name}`), 'the channel in the list');
    await waitFor(() => [...root.querySelectorAll('[part~="conversation"]')].some((entry) => entry.textContent?.trim() === `#${name}`), 'its entry');
    const other = await loggedInClient(member);
    const channel = other.createChannel(name);
    await channel.join();
    expect(await channel.getMembers()).to.include(uid);
    await channel.sendMessage({ text: 'welcome in' });
    await waitFor(() => deepQueryAll(view, '[part~="bubble"]').some((bubble) => bubble.textContent?.includes('welcome in')), 'the member’s message');
    await other.logout();
  });

  it('offers the list’s recent peers (and channels, for a channel)', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [uid, friend, name] = [uniqueId('popular'), uniqueId('friend'), uniqueId('club')];
    const writer = await loggedInClient(friend);
    await writer.sendMessageToPeer({ text: 'hi' }, uid);
    const el = await chatFor(uid);
    const root = await inbox(el);
    await waitFor(() => root.querySelector('[part~="conversation"]'), 'the friend’s conversation');
    const { form, input } = await openForm(el);
    const offered = () => [...input.list!.querySelectorAll('option')].map((option) => option.value);
    expect(input.list?.localName).to.equal('datalist');
    expect(offered()).to.deep.equal([friend]);
    // A channel joined meanwhile is offered under "A channel".
    const host = await loggedInClient(uniqueId('host'));
    await host.createChannel(name).join();
    // Shown once (as a view would), so the session joins it and lists it.
    const unlisten = el.session!.messagesOf(`channel:${name}`).listen(() => {});
    await waitFor(() => el.session!.$conversations.get().some((entry) => entry.key === `channel:${name}`), 'the channel listed');
    form.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!.click();
    await waitFor(() => offered().join() === name, 'the channel offered');
    form.querySelectorAll<HTMLInputElement>('input[type="radio"]')[0]!.click();
    await waitFor(() => offered().join() === friend, 'the peer again');
    // Picking one is typing it: Enter opens it.
    input.focus();
    await sendKeys({ type: friend });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shownChannel(el)?.peer === friend, 'the friend’s conversation open');
    unlisten();
    await writer.logout();
    await host.logout();
  });

  it('Escape (and the button, and Cancel) close the form and give the focus back to the button', async () => {
    const el = await chatFor(uniqueId('closer'));
    const { button, root } = await openForm(el);
    const formShown = () => root.querySelector('[part~="new-conversation-form"]');
    await sendKeys({ type: 'half' });
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !formShown(), 'the form to close');
    expectFocusOn(button, 'the New conversation button');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.hasAttribute('aria-controls')).to.be.false;

    // Opened again it starts empty; the button closes it too.
    const { input } = await openForm(el);
    expect(input.value).to.equal('');
    button.click();
    await waitFor(() => !formShown(), 'the button to close it');
    expectFocusOn(button, 'the button');

    await openForm(el);
    await sendKeys({ press: 'Tab' }); // the person radio is behind; Tab moves to Start, then Cancel
    await sendKeys({ press: 'Tab' });
    expect(deepActive()?.getAttribute('part')).to.equal('cancel-button');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !formShown(), 'Cancel to close it');
    expectFocusOn(button, 'the button');
    expect(shownChannel(el)).to.equal(null);
  });

  it('no-new-conversation hides the button, for a site that opens conversations itself', async () => {
    const el = await chatFor(uniqueId('managed'), 'no-new-conversation');
    expect(el.noNewConversation).to.be.true;
    const root = await inbox(el);
    await waitFor(() => root.querySelector('[part~="empty"]'), 'the inbox drawn');
    expect(root.querySelector('[part~="new-conversation-button"]')).to.equal(null);
    el.noNewConversation = false;
    await waitFor(() => root.querySelector('[part~="new-conversation-button"]'), 'the button once allowed');
    el.setAttribute('no-new-conversation', '');
    await waitFor(() => !root.querySelector('[part~="new-conversation-button"]'), 'the button hidden again');
  });
});

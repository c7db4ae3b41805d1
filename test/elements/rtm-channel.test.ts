import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import type { RtmChannelElement } from '../../src/elements/rtm-channel/rtm-channel.js';
import { MAX_MESSAGE_BYTES } from '../../src/protocol/index.js';
import { appId, brokenImageSettled, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

interface Pair {
  aliceChat: RtmChatElement;
  bobChat: RtmChatElement;
  alice: RtmChannelElement;
  bob: RtmChannelElement;
}

/** Two real sessions on one page, alice and bob, each with a view of the same conversation. */
async function pair(target: 'peer' | 'channel'): Promise<Pair> {
  const aliceId = uniqueId('alice');
  const bobId = uniqueId('bob');
  const room = uniqueId('room');
  const [aliceToken, bobToken] = await Promise.all([devToken(aliceId), devToken(bobId)]);
  const wrapper = await fixture<HTMLDivElement>(html`<div>
    <rtm-chat id="a" server=${serverUrl()} app-id=${appId()} user-id=${aliceId} token=${aliceToken}>
      ${target === 'peer' ? html`<rtm-channel peer=${bobId}></rtm-channel>` : html`<rtm-channel channel=${room}></rtm-channel>`}
    </rtm-chat>
    <rtm-chat id="b" server=${serverUrl()} app-id=${appId()} user-id=${bobId} token=${bobToken}>
      ${target === 'peer' ? html`<rtm-channel peer=${aliceId}></rtm-channel>` : html`<rtm-channel channel=${room}></rtm-channel>`}
    </rtm-chat>
  </div>`);
  const aliceChat = wrapper.querySelector<RtmChatElement>('#a')!;
  const bobChat = wrapper.querySelector<RtmChatElement>('#b')!;
  for (const chat of [aliceChat, bobChat]) {
    await waitFor(() => chat.session?.$connection.get().state === 'CONNECTED', 'both sessions to connect');
  }
  return {
    aliceChat,
    bobChat,
    alice: aliceChat.querySelector('rtm-channel')!,
    bob: bobChat.querySelector('rtm-channel')!,
  };
}

function composerBox(view: RtmChannelElement): HTMLTextAreaElement {
  return deepQuery<HTMLTextAreaElement>(view, 'textarea[aria-label="Message"]')!;
}

function sendButton(view: RtmChannelElement): HTMLButtonElement {
  return deepQueryAll<HTMLButtonElement>(view, 'button').find((b) => b.textContent?.trim() === 'Send')!;
}

async function typeAndSend(view: RtmChannelElement, text: string): Promise<void> {
  const box = composerBox(view);
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await waitFor(() => !sendButton(view).disabled, 'Send to be enabled');
  sendButton(view).click();
}

function log(view: RtmChannelElement): HTMLElement {
  return deepQuery<HTMLElement>(view, '[role="log"]')!;
}

function bubbles(view: RtmChannelElement): string[] {
  return deepQueryAll(view, '[part~="bubble"]').map((b) => b.textContent ?? '');
}

describe('<rtm-channel>', () => {
  it('shows a role=log list, a "Message" textbox and a "Send" button', async () => {
    const { alice } = await pair('peer');
    expect(log(alice)).to.exist;
    expect(composerBox(alice)).to.exist;
    expect(sendButton(alice).disabled, 'Send is disabled while the box is empty').to.be.true;
  });

  it('sends a peer message that the receiver sees, with sender, time and status', async () => {
    const { alice, bob, aliceChat } = await pair('peer');
    const text = `hello ${Math.random()}`;
    await typeAndSend(alice, text);
    expect(composerBox(alice).value, 'the composer is emptied after sending').to.equal('');
    await waitFor(() => bubbles(bob).includes(text), 'bob to see the message');
    await waitFor(
      () => deepQueryAll(alice, '[part~="message-own"]').some((m) => m.getAttribute('data-status') === 'sent'),
      "alice's message to be marked sent",
    );
    const received = deepQueryAll(bob, '[part~="message-other"]').at(-1)!;
    expect(received.querySelector('[part~="sender"]')?.textContent).to.equal(aliceChat.userId);
    expect(received.querySelector('time')?.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it('delivers channel messages to the other member', async () => {
    const { alice, bob } = await pair('channel');
    const text = `to the room ${Math.random()}`;
    await typeAndSend(bob, text);
    await waitFor(() => bubbles(alice).includes(text), 'alice to see the channel message');
    expect(bubbles(bob).filter((b) => b === text), 'the sender sees it once').to.have.length(1);
  });

  it('renders message text as text: markup shows literally and runs nothing', async () => {
    const { alice, bob } = await pair('peer');
    const win = window as unknown as { __rtmXss?: number };
    delete win.__rtmXss;
    const attack = `<img src=x onerror="window.__rtmXss=1"><b>bold</b> ${Math.random()}`;
    await typeAndSend(alice, attack);
    await waitFor(() => bubbles(bob).includes(attack), 'bob to see the literal markup');
    await brokenImageSettled(); // an <img src=x> rendered from the text would have run its handler
    expect(win.__rtmXss).to.equal(undefined);
    expect(deepQueryAll(bob, '[part~="bubble"] img, [part~="bubble"] b')).to.have.length(0);
    expect(deepQueryAll(alice, '[part~="bubble"] img')).to.have.length(0);
  });

  it('stops a message over 32 KB in the composer with role=alert, keeping the text and sending nothing', async () => {
    const { alice, bob } = await pair('peer');
    const tooLarge = 'x'.repeat(MAX_MESSAGE_BYTES + 1);
    await typeAndSend(alice, tooLarge);
    const alert = await waitFor(
      () => deepQueryAll<HTMLElement>(alice, '[role="alert"]').find((a) => (a.textContent ?? '').length > 0),
      'an inline error',
    );
    expect(alert.textContent).to.match(/32 KB|bytes/);
    expect(composerBox(alice).value).to.equal(tooLarge);
    expect(deepQueryAll(alice, '[part~="message"]'), 'nothing was added to the log').to.have.length(0);
    // A normal message after it goes through, and is the only one bob gets.
    await typeAndSend(alice, 'small one');
    await waitFor(() => bubbles(bob).includes('small one'), 'the next message');
    expect(bubbles(bob)).to.deep.equal(['small one']);
  });

  it('is accessible with messages in it', async () => {
    const { alice, bob } = await pair('peer');
    await typeAndSend(alice, 'accessible?');
    await waitFor(() => bubbles(bob).includes('accessible?'), 'the message');
    await expect(alice).to.be.accessible();
    await expect(bob).to.be.accessible();
  });
});

describe('<rtm-channel> history', () => {
  it('loads older messages when scrolled to the top, keeping the reader in place', async () => {
    const aliceId = uniqueId('alice');
    const bobId = uniqueId('bob');
    const room = uniqueId('room');
    const alice = await fixture<RtmChatElement>(html`<rtm-chat
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${aliceId}
      token=${await devToken(aliceId)}
      channel=${room}
    ></rtm-chat>`);
    await waitFor(() => alice.session?.$connection.get().state === 'CONNECTED', 'alice to connect');
    const key = alice.session!.conversationKey('channel', room);
    for (let n = 1; n <= 150; n++) await alice.session!.send(key, `m${n}`);

    const bobChat = await fixture<RtmChatElement>(html`<rtm-chat
      style="--rtm-height: 400px"
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${bobId}
      token=${await devToken(bobId)}
    ><rtm-channel channel=${room}></rtm-channel></rtm-chat>`);
    const bob = bobChat.querySelector('rtm-channel')!;
    await waitFor(() => bubbles(bob).length === 100, 'the newest page');
    const scroller = log(bob);
    await waitFor(() => scroller.scrollTop > 0, 'the view to start at the newest message');
    const anchor = deepQueryAll<HTMLElement>(bob, '[part~="bubble"]').find((b) => b.textContent === 'm51')!;
    scroller.scrollTop = 0;
    await waitFor(() => bubbles(bob).length === 150, 'the older page');
    expect(bubbles(bob)[0]).to.equal('m1');
    // The message that was at the top is still on screen: the older ones went in above it.
    const top = anchor.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    expect(top).to.be.within(-40, scroller.clientHeight);
  });
});

describe('<rtm-channel> voice messages and mentions', () => {
  it('sends a recorded voice message that the other member can play, with its duration', async () => {
    const { alice, bob } = await pair('peer');
    const mic = deepQuery<HTMLButtonElement>(alice, '[part~="record-button"]')!;
    mic.click();
    await waitFor(() => deepQuery(alice, '[part~="recording"]'), 'alice to be recording');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    deepQuery<HTMLButtonElement>(alice, '[part~="record-button"]')!.click();
    const player = await waitFor(() => deepQuery<HTMLAudioElement>(bob, 'audio[part~="player"]'), 'bob’s player', 20_000);
    const received = bob.session!.messagesOf(bob.conversation!).get().at(-1)!;
    expect(received.message.messageType).to.equal('AUDIO');
    expect(received.attachment!.kind).to.equal('audio');
    expect(received.attachment!.durationMs).to.be.within(1000, 4000);
    expect(player.getAttribute('aria-label')).to.match(/0:0[1-4]/);
    await waitFor(() => player.src.startsWith('http'), 'a signed URL on the player');
  });

  it('offers the channel’s members after "@"; the chosen one is mentioned and sees the highlight', async () => {
    const { alice, bob } = await pair('channel');
    const bobId = bob.session!.userId;
    // Both are members once bob has joined; alice's view learns the members with their read markers.
    await typeAndSend(bob, 'here');
    await waitFor(() => bubbles(alice).includes('here'), 'alice to see bob');
    const box = composerBox(alice);
    box.focus();
    box.value = '@';
    box.setSelectionRange(1, 1);
    box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    const option = await waitFor(
      () => deepQueryAll<HTMLElement>(alice, '[role="option"]').find((o) => o.textContent?.trim() === `@${bobId}`),
      'bob among the options',
    );
    expect(deepQueryAll(alice, '[role="option"]').map((o) => o.textContent?.trim()), 'not alice herself').not.to.include(`@${alice.session!.userId}`);
    option.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, cancelable: true }));
    await waitFor(() => box.value === `@${bobId} `, 'the mention in the text');
    box.value += 'look';
    box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await waitFor(() => !sendButton(alice).disabled, 'Send to be enabled');
    sendButton(alice).click();
    await waitFor(() => deepQuery(bob, '[part~="message"][part~="mention"]'), 'bob’s copy highlighted');
    expect(deepQuery(bob, '[part~="mention"] [part~="bubble"]')!.textContent).to.equal(`@${bobId} look`);
  });
});

import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import { RtmMessageActionEvent, type RtmMessageListElement } from '../../src/elements/rtm-message-list/rtm-message-list.js';
import type { ChatMessage } from '../../src/store/index.js';
import { appId, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

let serial = 0;
function message(overrides: Partial<ChatMessage>): ChatMessage {
  const text = overrides.text ?? 'hello';
  serial++;
  return {
    localId: `m${serial}`,
    id: `s${serial}`,
    seq: serial,
    conversation: 'peer:bob',
    from: 'bob',
    own: false,
    text,
    message: { messageType: 'TEXT', text },
    ts: Date.now() - 1000,
    status: 'sent',
    ...overrides,
  } as ChatMessage;
}

/** The element focused now, looking into shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function list(messages: ChatMessage[]) {
  return fixture<RtmMessageListElement>(html`<rtm-message-list label="Messages with bob" .messages=${messages}></rtm-message-list>`);
}

const rows = (el: RtmMessageListElement) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="message"]')];

describe('<rtm-message-list> messages that change', () => {
  it('shows a retraction in place of the message, "edited" beside the time, and reactions with who reacted', async () => {
    const el = await list([
      message({ text: undefined, message: { messageType: 'RETRACTED' }, retractedAt: Date.now() }),
      message({ own: true, from: 'me', text: undefined, message: { messageType: 'RETRACTED' }, retractedAt: Date.now() }),
      message({ text: 'fixed typo', editedAt: Date.now() }),
      message({
        text: 'lunch?',
        reactions: [
          { emoji: '👍', count: 3, uids: ['bob', 'me'], mine: true },
          { emoji: '🎉', count: 1, uids: ['carol'], mine: false },
        ],
      }),
    ]);
    const [theirs, mine, edited, reacted] = rows(el);
    expect(theirs!.querySelector('[part~="retracted"]')!.textContent).to.equal('bob retracted a message');
    expect(mine!.querySelector('[part~="retracted"]')!.textContent).to.equal('You retracted a message');
    // A retracted message offers nothing more.
    expect(theirs!.querySelector('[part~="actions-button"]')).to.equal(null);
    expect(edited!.querySelector('[part~="edited"]')!.textContent).to.equal('edited');
    expect(theirs!.querySelector('[part~="edited"]')).to.equal(null);

    const buttons = [...reacted!.querySelectorAll<HTMLButtonElement>('[part~="reaction"]')];
    expect(buttons.map((b) => b.textContent!.trim())).to.deep.equal(['👍 3', '🎉 1']);
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false']);
    expect(buttons[0]!.getAttribute('aria-label')).to.equal('👍 3: bob, me…');
    expect(buttons[0]!.getAttribute('part')).to.contain('reaction-mine');
    setTimeout(() => buttons[1]!.click());
    const event = (await oneEvent(el, 'rtm-message-action')) as unknown as RtmMessageActionEvent;
    expect(event.action).to.deep.equal({ kind: 'react', emoji: '🎉' });
    expect(event.message.id).to.equal(el.messages[3]!.id);
    await expect(el).to.be.accessible();
  });

  it('offers no actions on a transient message, which the server never stored', async () => {
    const el = await list([
      message({ own: true, from: 'me', text: 'stored' }),
      message({ own: true, from: 'me', text: 'passing by', seq: undefined, transient: true }),
    ]);
    const [stored, passing] = rows(el);
    expect(stored!.querySelector('[part~="actions-button"]')).to.not.equal(null);
    expect(passing!.querySelector('[part~="bubble"]')!.textContent!.trim()).to.equal('passing by');
    expect(passing!.querySelector('[part~="actions-button"]')).to.equal(null);
  });

  it('opens the actions menu from the keyboard, moves with the arrows, and closes with Escape back on its button', async () => {
    const own = message({ own: true, from: 'me', text: 'mine' });
    const el = await list([message({ text: 'theirs' }), own]);
    const button = rows(el)[1]!.querySelector<HTMLButtonElement>('[part~="actions-button"]')!;
    expect(button.getAttribute('aria-label')).to.equal('Message actions');
    expect(button.getAttribute('aria-haspopup')).to.equal('menu');
    button.focus();
    await sendKeys({ press: 'Enter' });
    const menu = await waitFor(() => el.shadowRoot!.querySelector('[role="menu"]'), 'the menu');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const items = [...menu.querySelectorAll('[role="menuitem"]')].map((item) => item.textContent);
    expect(items).to.deep.equal(['Reply', 'React', 'Edit', 'Retract', 'Forward', 'Delete for me', 'Copy text']);
    expect(deepActive()?.textContent).to.equal('Reply');
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActive()?.textContent).to.equal('React');
    await sendKeys({ press: 'End' });
    expect(deepActive()?.textContent).to.equal('Copy text');
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActive()?.textContent).to.equal('Reply');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    expect(el.shadowRoot!.querySelector('[role="menu"]')).to.equal(null);
    expect(deepActive()).to.equal(button);
    expect(button.getAttribute('aria-expanded')).to.equal('false');

    // Someone else's message: no Edit, no Retract.
    rows(el)[0]!.querySelector<HTMLButtonElement>('[part~="actions-button"]')!.click();
    const other = await waitFor(() => el.shadowRoot!.querySelector('[role="menu"]'), 'the other menu');
    expect([...other.querySelectorAll('[role="menuitem"]')].map((item) => item.textContent)).to.deep.equal(['Reply', 'React', 'Forward', 'Delete for me', 'Copy text']);
  });

  it('reacts from the picker (a common emoji or one typed), retracts and deletes through rtm-message-action', async () => {
    const own = message({ own: true, from: 'me', text: 'mine' });
    const el = await list([own]);
    const open = async () => {
      rows(el)[0]!.querySelector<HTMLButtonElement>('[part~="actions-button"]')!.click();
      return waitFor(() => el.shadowRoot!.querySelector('[role="menu"]'), 'the menu');
    };
    const item = (menu: Element, label: string) => [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')].find((i) => i.textContent === label)!;
    const next = () => oneEvent(el, 'rtm-message-action') as unknown as Promise<RtmMessageActionEvent>;

    item(await open(), 'React').click();
    const picker = await waitFor(() => el.shadowRoot!.querySelector('[part~="emoji-picker"]'), 'the picker');
    expect(picker.getAttribute('aria-label')).to.equal('Choose a reaction');
    expect(deepActive()?.textContent).to.equal('👍');
    await sendKeys({ press: 'ArrowRight' });
    let action = next();
    await sendKeys({ press: 'Enter' });
    expect((await action).action).to.deep.equal({ kind: 'react', emoji: '❤️' });

    item(await open(), 'React').click();
    const input = await waitFor(() => el.shadowRoot!.querySelector<HTMLInputElement>('[part~="emoji-input"]'), 'the emoji field');
    input.focus();
    await sendKeys({ type: 'ok' });
    await sendKeys({ press: 'Enter' });
    expect(input.validationMessage).to.contain('one emoji');
    input.value = '🦄';
    action = next();
    await sendKeys({ press: 'Enter' });
    expect((await action).action).to.deep.equal({ kind: 'react', emoji: '🦄' });

    action = next();
    item(await open(), 'Retract').click();
    expect((await action).action).to.deep.equal({ kind: 'retract' });
    action = next();
    item(await open(), 'Delete for me').click();
    expect((await action).action).to.deep.equal({ kind: 'delete' });
  });

  it('edits in a dialog: Enter saves the new text, Escape cancels, focus returns to the actions button', async () => {
    const own = message({ own: true, from: 'me', text: 'helo' });
    const el = await list([own]);
    const button = rows(el)[0]!.querySelector<HTMLButtonElement>('[part~="actions-button"]')!;
    const edit = async () => {
      button.click();
      const menu = await waitFor(() => el.shadowRoot!.querySelector('[role="menu"]'), 'the menu');
      [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')].find((i) => i.textContent === 'Edit')!.click();
      return waitFor(() => el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="edit-input"]'), 'the editor');
    };
    const input = await edit();
    expect(input.value).to.equal('helo');
    expect(deepActive()).to.equal(input);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !el.shadowRoot!.querySelector('[part~="edit-dialog"]'), 'the dialog to close');
    expect(deepActive()).to.equal(button);

    const again = await edit();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: 'lo there' });
    const action = oneEvent(el, 'rtm-message-action') as unknown as Promise<RtmMessageActionEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await action).action).to.deep.equal({ kind: 'edit', text: 'hello there' });
    expect(again.isConnected).to.equal(false);
  });
});

describe('<rtm-channel> messages that change, against the server', () => {
  it('alice retracts, bob reacts, alice edits: both views show it; a refused action says why under the composer', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const [aliceToken, bobToken] = await Promise.all([devToken(aliceId), devToken(bobId)]);
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <rtm-chat id="a" server=${serverUrl()} app-id=${appId()} user-id=${aliceId} token=${aliceToken}><rtm-channel peer=${bobId}></rtm-channel></rtm-chat>
      <rtm-chat id="b" server=${serverUrl()} app-id=${appId()} user-id=${bobId} token=${bobToken}><rtm-channel peer=${aliceId}></rtm-channel></rtm-chat>
    </div>`);
    const [alice, bob] = [...wrapper.querySelectorAll<HTMLElement>('rtm-channel')] as HTMLElement[];
    const aliceSession = wrapper.querySelector<RtmChatElement>('#a')!.session!;
    await waitFor(() => aliceSession.$connection.get().state === 'CONNECTED', 'alice to connect');
    const key = aliceSession.conversationKey('peer', bobId);
    await aliceSession.send(key, 'oops');
    await aliceSession.send(key, 'helo');
    const bubbles = (view: HTMLElement) => deepQueryAll(view, '[part~="bubble"]').map((b) => b.textContent!.trim());
    await waitFor(() => bubbles(bob!).length === 2, 'bob to see both');

    const menuOf = async (view: HTMLElement, index: number) => {
      deepQueryAll<HTMLButtonElement>(view, '[part~="actions-button"]')[index]!.click();
      return waitFor(() => deepQuery(view, '[role="menu"]'), 'the menu');
    };
    const choose = (menu: Element, label: string) =>
      [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')].find((i) => i.textContent === label)!.click();

    choose(await menuOf(alice!, 0), 'Retract');
    await waitFor(() => bubbles(bob!)[0] === `${aliceId} retracted a message`, 'bob to see the retraction');
    // (The server pushes to bob before it answers alice.)
    await waitFor(() => bubbles(alice!)[0] === 'You retracted a message', 'alice to see her retraction');

    choose(await menuOf(bob!, 0), 'React');
    const picker = await waitFor(() => deepQuery(bob!, '[part~="emoji-picker"]'), 'the picker');
    picker.querySelector<HTMLButtonElement>('[part~="emoji-button"]')!.click();
    await waitFor(() => deepQuery(alice!, '[part~="reaction"]')?.textContent?.trim() === '👍 1', 'alice to see the reaction');

    choose(await menuOf(alice!, 0), 'Edit');
    const input = await waitFor(() => deepQuery<HTMLTextAreaElement>(alice!, '[part~="edit-input"]'), 'the editor');
    input.value = 'hello';
    deepQuery<HTMLButtonElement>(alice!, '[part~="save-button"]')!.click();
    await waitFor(() => bubbles(bob!)[1] === 'hello' && deepQuery(bob!, '[part~="edited"]'), 'bob to see the edit');

    // Bob's copy of alice's message has no Edit; asking the session directly is refused, and said so.
    const bobSession = wrapper.querySelector<RtmChatElement>('#b')!.session!;
    const theirs = bobSession.messagesOf(bobSession.conversationKey('peer', aliceId)).get()[1]!;
    bob!.shadowRoot!.querySelector('rtm-message-list')!.dispatchEvent(new RtmMessageActionEvent(theirs, { kind: 'retract' }));
    await waitFor(() => deepQuery(bob!, '[role="alert"]')?.textContent?.includes('Only the sender'), 'the refusal under the composer');
  });
});

describe('<rtm-message-list> replies, mentions and other message types', () => {
  it('shows a quote that asks for its original, a mention of you, a location link and an unsupported type', async () => {
    const { registerMessageRenderer } = await import('../../src/elements/rtm-message-list/rtm-message-list.js');
    registerMessageRenderer('poll.created', (m) => `Poll: ${((m.message as { payload: { question: string } }).payload).question}`);
    const el = await list([
      message({ text: 'sure', quote: { id: 'x1', seq: 7, from: 'alice', type: 'TEXT', excerpt: 'lunch?' } }),
      message({ text: 'gone?', quote: { id: 'x2', seq: 8, from: 'alice', type: 'RETRACTED', retracted: true } }),
      message({ text: '@me look', mentionsMe: true }),
      message({ text: undefined, message: { messageType: 'LOCATION', latitude: 48.85, longitude: 2.29, name: 'Eiffel Tower' } }),
      message({ text: undefined, message: { messageType: 'CUSTOM', customType: 'poll.created', payload: { question: 'Pizza?' } } }),
      message({ text: undefined, message: { messageType: 'CUSTOM', customType: 'unknown.thing', payload: 1 } }),
    ]);
    const [reply, retracted, mention, location, poll, unknown] = rows(el);
    const quote = reply!.querySelector<HTMLButtonElement>('[part~="quote"]')!;
    expect(quote.textContent!.replace(/\s+/g, ' ').trim()).to.equal('alice lunch?');
    expect(retracted!.querySelector('[part~="quote"]')!.textContent).to.contain('Message retracted');
    setTimeout(() => quote.click());
    const asked = (await oneEvent(el, 'rtm-quote-activate')) as unknown as { seq: number };
    expect(asked.seq).to.equal(7);
    expect(mention!.getAttribute('part')).to.contain('mention');
    expect(reply!.getAttribute('part')).to.not.contain('mention');
    const link = location!.querySelector<HTMLAnchorElement>('a[part~="location"]')!;
    expect(link.textContent).to.contain('Eiffel Tower');
    expect(link.href).to.equal('https://www.openstreetmap.org/?mlat=48.85&mlon=2.29#map=16/48.85/2.29');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(poll!.querySelector('[part~="bubble"]')!.textContent!.trim()).to.equal('Poll: Pizza?');
    expect(unknown!.querySelector('[part~="unsupported"]')!.textContent).to.equal('Unsupported message');
    await expect(el).to.be.accessible();
  });
});

describe('<rtm-channel> forwarding', () => {
  it('Forward lists the user’s other conversations and sends the message there', async () => {
    const [aliceId, bobId, carolId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
    const [aliceToken, bobToken, carolToken] = await Promise.all([devToken(aliceId), devToken(bobId), devToken(carolId)]);
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <rtm-chat id="a" server=${serverUrl()} app-id=${appId()} user-id=${aliceId} token=${aliceToken}><rtm-channel peer=${bobId}></rtm-channel></rtm-chat>
      <rtm-chat id="b" server=${serverUrl()} app-id=${appId()} user-id=${bobId} token=${bobToken}></rtm-chat>
      <rtm-chat id="c" server=${serverUrl()} app-id=${appId()} user-id=${carolId} token=${carolToken}></rtm-chat>
    </div>`);
    const [alice, bob, carol] = ['#a', '#b', '#c'].map((id) => wrapper.querySelector<RtmChatElement>(id)!.session!);
    for (const s of [alice!, bob!, carol!]) await waitFor(() => s.$connection.get().state === 'CONNECTED', 'all to connect');
    // Alice has a conversation with carol too, so carol is a place to forward to.
    await carol!.send(carol!.conversationKey('peer', aliceId), 'hi alice');
    await bob!.send(bob!.conversationKey('peer', aliceId), 'the plan is ready');
    const view = wrapper.querySelector<HTMLElement>('#a rtm-channel')!;
    await waitFor(() => deepQueryAll(view, '[part~="actions-button"]').length === 1, 'bob’s message in alice’s view');
    await waitFor(() => alice!.$conversations.get().some((c) => c.id === carolId), 'carol in alice’s list');

    deepQueryAll<HTMLButtonElement>(view, '[part~="actions-button"]')[0]!.click();
    const menu = await waitFor(() => deepQuery(view, '[role="menu"]'), 'the menu');
    [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')].find((i) => i.textContent === 'Forward')!.click();
    const targets = await waitFor(() => deepQuery(view, '[role="menu"][aria-label="Forward to"]'), 'the targets');
    const items = [...targets.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    expect(items.map((i) => i.textContent!.trim())).to.deep.equal([carolId]);
    items[0]!.click();

    const $carol = carol!.messagesOf(carol!.conversationKey('peer', aliceId));
    const stop = $carol.listen(() => {});
    try {
      await waitFor(() => $carol.get().some((m) => m.text === 'the plan is ready' && m.from === aliceId), 'carol to get the forward');
      const $aliceToCarol = alice!.messagesOf(alice!.conversationKey('peer', carolId));
      expect($aliceToCarol.get().some((m) => m.text === 'the plan is ready' && m.own)).to.equal(true);
    } finally {
      stop();
    }
  });
});

describe('<rtm-conversation-list> mentions', () => {
  it('shows "@" beside the unread count of a conversation with an unread mention', async () => {
    const el = await fixture<HTMLElement & { conversations: unknown; updateComplete: Promise<boolean> }>(html`<rtm-conversation-list
      .conversations=${[
        { key: 'channel:team', kind: 'channel', id: 'team', lastActivity: 2, unread: 2, readSeq: 1, mentioned: true },
        { key: 'peer:bob', kind: 'peer', id: 'bob', lastActivity: 1, unread: 1, readSeq: 0 },
      ]}
    ></rtm-conversation-list>`);
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('[part~="conversation-row"]')];
    expect(rows[0]!.querySelector('[part~="mention-badge"]')!.textContent).to.equal('@ (mentions you)');
    expect(rows[1]!.querySelector('[part~="mention-badge"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<rtm-channel> mentions', () => {
  it('"@bob" in a channel message mentions bob: his view marks it, the others do not', async () => {
    const [aliceId, bobId, carolId] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
    const room = uniqueId('room');
    const tokens = await Promise.all([aliceId, bobId, carolId].map((id) => devToken(id)));
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      ${[aliceId, bobId, carolId].map(
        (id, i) => html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${id} token=${tokens[i]}><rtm-channel channel=${room}></rtm-channel></rtm-chat>`,
      )}
    </div>`);
    const chats = [...wrapper.querySelectorAll<RtmChatElement>('rtm-chat')];
    for (const chat of chats) await waitFor(() => chat.session?.$connection.get().state === 'CONNECTED', 'all to connect');
    const [alice, bob, carol] = chats.map((chat) => chat.querySelector<HTMLElement>('rtm-channel')!);
    // Every member joined (the first message reaches all of them).
    const box = deepQuery<HTMLTextAreaElement>(alice!, 'textarea[aria-label="Message"]')!;
    box.value = `@${bobId} can you review?`;
    box.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await waitFor(() => !deepQueryAll<HTMLButtonElement>(alice!, 'button').find((b) => b.textContent?.trim() === 'Send')!.disabled, 'Send');
    deepQueryAll<HTMLButtonElement>(alice!, 'button').find((b) => b.textContent?.trim() === 'Send')!.click();
    const messageIn = (view: HTMLElement) => deepQueryAll(view, '[part~="message"]').find((m) => m.textContent?.includes('can you review?'));
    await waitFor(() => messageIn(bob!) && messageIn(carol!), 'bob and carol to get it');
    expect(messageIn(bob!)!.getAttribute('part')).to.contain('mention');
    expect(messageIn(carol!)!.getAttribute('part')).to.not.contain('mention');
  });
});

describe('<rtm-attachment> voice and video messages', () => {
  it('plays a voice message and a video in the browser’s own player, named with file and duration', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const alice = await loggedInClient(aliceId);
    const bobToken = await devToken(bobId);
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${bobId} token=${bobToken}><rtm-channel peer=${aliceId}></rtm-channel></rtm-chat>
    </div>`);
    const view = wrapper.querySelector<HTMLElement>('rtm-channel')!;
    await waitFor(() => wrapper.querySelector<RtmChatElement>('rtm-chat')!.session?.$connection.get().state === 'CONNECTED', 'bob to connect');
    const voice = await alice.createMediaMessageByUploading(new Blob([new Uint8Array(64)], { type: 'audio/webm' }), {
      messageType: 'AUDIO',
      fileName: 'voice.webm',
      durationMs: 65_000,
    });
    await alice.sendMessageToPeer(voice, bobId);
    const video = await alice.createMediaMessageByUploading(new Blob([new Uint8Array(64)], { type: 'video/mp4' }), {
      messageType: 'VIDEO',
      fileName: 'clip.mp4',
      durationMs: 4_000,
      width: 320,
      height: 180,
    });
    await alice.sendMessageToPeer(video, bobId);
    const player = <T extends HTMLMediaElement>(selector: string) => {
      const found = deepQuery<T>(view, selector);
      return found?.src ? found : undefined;
    };
    const audioEl = await waitFor(() => player<HTMLAudioElement>('audio[part~="player"]'), 'the audio player with its URL');
    expect(audioEl.controls).to.equal(true);
    expect(audioEl.getAttribute('aria-label')).to.equal('voice.webm, 1:05');
    const videoEl = await waitFor(() => player<HTMLVideoElement>('video[part~="player"]'), 'the video player');
    expect(videoEl.getAttribute('aria-label')).to.equal('clip.mp4, 0:04');
    expect(videoEl.getAttribute('style')).to.contain('aspect-ratio:320 / 180');
    await alice.logout();
  });
});

describe('<rtm-conversation-list> previews of the new kinds', () => {
  it('says who retracted, "Voice message", the place of a location and a custom message’s description', async () => {
    const base = { conversation: 'peer:bob', from: 'bob', own: false, ts: 1, status: 'sent', text: undefined, id: 'x', seq: 1, localId: 'l' };
    const entry = (id: string, lastMessage: Record<string, unknown>) => ({ key: `peer:${id}`, kind: 'peer', id, lastActivity: 1, unread: 0, readSeq: 1, lastMessage: { ...base, ...lastMessage } });
    const el = await fixture<HTMLElement & { updateComplete: Promise<boolean> }>(html`<rtm-conversation-list
      .conversations=${[
        entry('a', { message: { messageType: 'RETRACTED' }, retractedAt: 1 }),
        entry('b', { message: { messageType: 'AUDIO' }, attachment: { kind: 'audio', fileName: 'v.webm', size: 1 } }),
        entry('c', { message: { messageType: 'LOCATION', latitude: 1, longitude: 2, name: 'Café' } }),
        entry('d', { message: { messageType: 'CUSTOM', customType: 'x', payload: 1, description: 'A poll' } }),
      ]}
    ></rtm-conversation-list>`);
    await el.updateComplete;
    const previews = [...el.shadowRoot!.querySelectorAll('[part~="preview"]')].map((p) => p.textContent);
    expect(previews).to.deep.equal(['bob retracted a message', 'Voice message', 'Location: Café', 'A poll']);
  });
});

describe('<rtm-chat> inbox: deleting a conversation', () => {
  it('a conversation’s menu deletes it for this user, from the keyboard', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    await bob.sendMessageToPeer({ text: 'spam' }, aliceId);
    const el = await fixture<RtmChatElement>(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${aliceId} token=${await devToken(aliceId)}></rtm-chat>`);
    const list = await waitFor(() => el.shadowRoot!.querySelector('rtm-conversation-list'), 'the inbox');
    const button = await waitFor(
      () => list.shadowRoot?.querySelector<HTMLButtonElement>(`[part~="conversation-actions-button"][aria-label="Actions for ${bobId}"]`),
      'bob’s conversation with its menu button',
    );
    button.focus();
    await sendKeys({ press: 'Enter' });
    const menu = await waitFor(() => list.shadowRoot!.querySelector('[role="menu"]'), 'the menu');
    expect([...menu.querySelectorAll('[role="menuitem"]')].map((i) => i.textContent)).to.deep.equal([
      'Delete conversation',
      'Delete conversation and its history',
    ]);
    expect(deepActive()?.textContent).to.equal('Delete conversation');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !list.shadowRoot!.querySelector(`[aria-label="Actions for ${bobId}"]`), 'the conversation to leave the list');
    expect((await bob.getHistory({ peerId: aliceId })).messages.length, 'bob keeps it').to.equal(1);
    await expect(list).to.be.accessible();
    await bob.logout();
  });
});

describe('<rtm-channel> search', () => {
  it('searches the conversation from the header: results with the words marked, one chosen shows its message', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    await bob.sendMessageToPeer({ text: '我们明天去北京吃烤鸭' }, aliceId);
    for (let i = 0; i < 3; i++) await bob.sendMessageToPeer({ text: `filler ${i}` }, aliceId);
    const el = await fixture<RtmChatElement>(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${aliceId} token=${await devToken(aliceId)}><rtm-channel peer=${bobId}></rtm-channel></rtm-chat>`);
    const view = el.querySelector<HTMLElement>('rtm-channel')!;
    await waitFor(() => deepQueryAll(view, '[part~="bubble"]').length === 4, 'the conversation');
    const button = deepQuery<HTMLButtonElement>(view, '[part~="search-button"]')!;
    expect(button.getAttribute('aria-label')).to.equal('Search messages');
    button.click();
    const input = await waitFor(() => deepQuery<HTMLInputElement>(view, '[part~="search-input"]'), 'the search box');
    expect(deepActive()).to.equal(input);
    input.focus();
    await sendKeys({ type: '北京' });
    await sendKeys({ press: 'Enter' });
    const result = await waitFor(() => deepQuery<HTMLButtonElement>(view, '[part~="search-result"]'), 'a result');
    expect(result.querySelector('mark')!.textContent).to.equal('北京');
    expect(result.textContent).to.contain('我们明天去北京吃烤鸭');
    await expect(view.shadowRoot!.querySelector('.search-layer') as Element).to.be.accessible();
    result.click();
    await waitFor(() => !deepQuery(view, '[part~="search-dialog"]'), 'the dialog to close');
    await bob.logout();
  });
});

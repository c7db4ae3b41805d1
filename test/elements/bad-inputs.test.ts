/**
 * The bad-input corpus (test/fixtures/bad-inputs) against the elements, with real sessions on the
 * real server: legal-but-dangerous message text, user ids, channel names and file names are shown
 * as text. Nothing runs (a `window.__pwned` trap that every payload would set, and `alert`), no
 * element, handler or link is made from a payload in any shadow root, a right-to-left override
 * reorders nothing outside its own message, and the page keeps working.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import type { RtmChannelElement } from '../../src/elements/rtm-channel/rtm-channel.js';
import { casesFor, collectCases, CORPUS_FILES, materialize, type BadInputCase } from '../fixtures/bad-inputs/corpus.js';
import { appId, brokenImageSettled, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

type Trap = { __pwned?: unknown; alert: (message?: unknown) => void };
const trap = window as unknown as Trap;

async function loadCorpus(): Promise<BadInputCase[]> {
  const files: Record<string, unknown> = {};
  for (const file of CORPUS_FILES) {
    const response = await fetch(new URL(`../fixtures/bad-inputs/${file}`, import.meta.url));
    files[file] = await response.json();
  }
  return collectCases(files);
}

/** `name` made unique for this run, within the 64-character id limit. */
function unique(name: string): string {
  const id = uniqueId(name);
  if (id.length > 64) throw new Error(`${name} is too long to make unique`);
  return id;
}

async function connectedChat(template: ReturnType<typeof html>): Promise<RtmChatElement> {
  const chat = await fixture<RtmChatElement>(template);
  await waitFor(() => chat.session?.$connection.get().state === 'CONNECTED', `${chat.userId} to connect`);
  return chat;
}

function composerBox(root: Element): HTMLTextAreaElement {
  return deepQuery<HTMLTextAreaElement>(root, 'textarea[aria-label="Message"]')!;
}

function sendButton(root: Element): HTMLButtonElement {
  return deepQueryAll<HTMLButtonElement>(root, 'button').find((b) => b.textContent?.trim() === 'Send')!;
}

/** Types `text` into the composer and presses Send; returns what the textbox held (line breaks normalized). */
async function compose(root: Element, text: string): Promise<string> {
  const box = composerBox(root);
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true }));
  const typed = box.value;
  await waitFor(() => !sendButton(root).disabled, 'Send to be enabled');
  sendButton(root).click();
  await waitFor(() => composerBox(root).value === '', 'the composer to empty after sending');
  return typed;
}

function bubbleTexts(root: Element): string[] {
  return deepQueryAll(root, '[part~="bubble"]').map((b) => b.textContent ?? '');
}

/** Parts that show user-provided text: they must hold text nodes only. */
const TEXT_PARTS = ['caption', 'sender', 'name', 'preview', 'title']
  .map((part) => `[part~="${part}"]`)
  .concat('[part~="bubble"]:not([part~="attachment-bubble"])')
  .join(', ');

/**
 * Anything a payload could have made of itself anywhere in `roots` (light DOM and every shadow
 * root): script-capable elements, event-handler attributes, SVG, images that are not our
 * thumbnails, and links or sources to javascript:, data: or vbscript: URLs.
 */
function injected(roots: Element[]): string[] {
  const found: string[] = [];
  for (const root of roots) {
    for (const el of [root, ...deepQueryAll(root, '*')]) {
      const tag = el.localName;
      if (['script', 'iframe', 'object', 'embed', 'math', 'frame', 'base', 'meta', 'link'].includes(tag)) found.push(`<${tag}>`);
      if (tag === 'img' && !/\b(thumbnail|lightbox-image)\b/.test(el.getAttribute('part') ?? '')) found.push('<img> that is not a thumbnail');
      // Our own icons are decorative SVG (aria-hidden, not focusable); no payload makes one of those.
      if (tag === 'svg' && !(el.getAttribute('aria-hidden') === 'true' && el.getAttribute('focusable') === 'false')) found.push('<svg>');
      if (el.parentElement?.closest(TEXT_PARTS)) found.push(`<${tag}> inside a text part`);
      for (const attr of el.getAttributeNames()) {
        if (/^on/i.test(attr)) found.push(`<${tag} ${attr}>`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr) && /^\s*(javascript|data|vbscript):/i.test(el.getAttribute(attr) ?? '')) {
          found.push(`<${tag} ${attr}="${el.getAttribute(attr)}">`);
        }
      }
    }
  }
  return found;
}

/** The horizontal glyph positions of an element's visible characters, in logical order. */
function glyphXs(el: Element): number[] {
  const xs: number[] = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    for (let i = 0; i < text.length; i++) {
      if (/\s/.test(text[i]!)) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (rect.width > 0) xs.push(rect.left);
    }
  }
  return xs;
}

/** Whether an element's (left-to-right) text is laid out left to right. */
function readsLeftToRight(el: Element): boolean {
  const xs = glyphXs(el);
  return xs.length > 0 && xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}

describe('bad-input corpus: elements', () => {
  let corpus: BadInputCase[];
  const observed: string[] = [];
  let observer: MutationObserver;
  const realAlert = window.alert;

  before(async () => {
    corpus = await loadCorpus();
    delete trap.__pwned;
    trap.alert = (message) => (trap.__pwned = `alert(${String(message)})`);
    // Anything a payload might manage to put into the light DOM of the page.
    observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof Element && !node.hasAttribute('data-control') && injected([node]).length > 0) observed.push(node.outerHTML.slice(0, 200));
        }
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });

  after(() => {
    observer.disconnect();
    window.alert = realAlert;
  });

  /** The checks every test ends with: nothing ran, nothing was made from a payload. */
  async function assertInert(roots: Element[]): Promise<void> {
    // Had an image been made from a payload, its error handler has run by now.
    await brokenImageSettled();
    expect(trap.__pwned, 'a payload ran').to.equal(undefined);
    expect(injected(roots), 'elements, handlers or links made from a payload').to.deep.equal([]);
    expect(observed, 'payload markup in the light DOM').to.deep.equal([]);
  }

  it('control: the traps catch a payload rendered as HTML, and the layout check sees an override', async () => {
    const host = document.createElement('div');
    host.setAttribute('data-control', '');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<p part="bubble">${casesFor(corpus, 'elements', ['text']).map((c) => materialize(c.input)).join(' ')}</p><p>\u202eabc</p>`;
    await waitFor(() => trap.__pwned, 'the control payload to run');
    expect(injected([host])).to.include.members(['<img> that is not a thumbnail', '<svg>']);
    expect(readsLeftToRight(root.querySelectorAll('p')[1]!), 'an override reads right to left').to.be.false;
    // Let every control image fail and run its handler now, not during a later test: the first
    // payload to run may not be the last (an <img src=x> errors only after its request fails).
    await waitFor(() => [...root.querySelectorAll('img')].every((img) => img.complete), 'the control images to settle');
    await new Promise((resolve) => setTimeout(resolve, 200));
    host.remove();
    delete trap.__pwned;
  });

  it('has elements cases for text, user ids, channel names and file names', () => {
    const kinds = new Set(casesFor(corpus, 'elements').map((c) => c.kind));
    expect([...kinds].sort()).to.deep.equal(['channelName', 'fileName', 'text', 'userId']);
  });

  it('shows dangerous user ids and message text as text, isolates a right-to-left override, and keeps working', async () => {
    const alice = unique('alice');
    const senders = casesFor(corpus, 'elements', ['userId']).map((c) => ({ c, uid: unique(materialize(c.input) as string) }));
    const texts = casesFor(corpus, 'elements', ['text']).map((c) => ({ c, text: materialize(c.input) as string }));
    // The right-to-left override goes last, so it is also the inbox preview.
    texts.sort((a, b) => Number(a.c.id === 'text-rtl-override') - Number(b.c.id === 'text-rtl-override'));
    expect(senders.length).to.be.greaterThan(0);

    const inbox = await connectedChat(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${alice} token=${await devToken(alice)}></rtm-chat>`);
    const senderChats: RtmChatElement[] = [];
    for (const { uid } of senders) {
      senderChats.push(await connectedChat(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${uid} token=${await devToken(uid)} peer=${alice}></rtm-chat>`));
    }
    const roots = () => [inbox, ...senderChats];

    // Each dangerous id says hello through its composer; the first one then sends every text case.
    for (const chat of senderChats) await compose(chat, `hello from ${chat.userId}`);
    const sent: string[] = [];
    for (const { text } of texts) sent.push(await compose(senderChats[0]!, text));

    // The inbox lists each sender by its id, as text.
    const names = await waitFor(() => {
      const shown = deepQueryAll(inbox, '[part~="name"]').map((n) => n.textContent);
      return senders.every(({ uid }) => shown.includes(uid)) && shown;
    }, 'the inbox to list every sender');
    expect(names).to.include.members(senders.map((s) => s.uid));
    const buttons = deepQueryAll<HTMLButtonElement>(inbox, 'button[part~="conversation"]');
    for (const { uid } of senders) expect(buttons.some((b) => b.textContent?.trim() === uid), `a button named ${uid}`).to.be.true;

    // The override in the newest message's preview reorders nothing around it.
    const row = deepQueryAll(inbox, '[part~="conversation-row"]').find((r) => r.querySelector('[part~="name"]')?.textContent === senders[0]!.uid)!;
    const preview = await waitFor(() => {
      const found = row.querySelector('[part~="preview"]');
      return found?.textContent?.includes('\u202e') && found;
    }, 'the newest message in the preview');
    const badge = row.querySelector('[part~="badge"]')!;
    expect(preview.textContent).to.contain('\u202e');
    expect(badge.getBoundingClientRect().left, 'the badge stays right of the preview').to.be.greaterThan(preview.getBoundingClientRect().left);
    expect(readsLeftToRight(row.querySelector('[part~="time"]')!), 'the time reads left to right').to.be.true;
    expect(readsLeftToRight(row.querySelector('[part~="name"]')!), 'the name reads left to right').to.be.true;

    // Open the first sender's conversation: every text arrives exactly as typed, as text.
    buttons.find((b) => b.textContent?.trim() === senders[0]!.uid)!.click();
    const view = await waitFor(() => deepQuery<RtmChannelElement>(inbox, 'rtm-channel'), 'the conversation to open');
    await waitFor(() => sent.every((text) => bubbleTexts(view).includes(text)), 'every text case in the message list');
    expect(deepQuery(view, '[part~="title"]')!.textContent).to.equal(senders[0]!.uid);
    for (const sender of deepQueryAll(view, '[part~="message-other"] [part~="sender"]')) {
      expect(sender.textContent).to.equal(senders[0]!.uid);
      expect(sender.children.length, 'the sender name is a text node').to.equal(0);
    }
    for (const bubble of deepQueryAll(view, '[part~="bubble"]')) expect(bubble.children.length, 'a bubble holds text only').to.equal(0);
    expect(deepQueryAll(view, 'a'), 'no link is made from message text').to.have.length(0);

    // The right-to-left message: its own box is reordered, its sender and time are not.
    const messages = deepQueryAll(view, '[part~="message-other"]');
    const rtl = messages.find((m) => m.querySelector('[part~="bubble"]')?.textContent?.includes('\u202e'))!;
    const plain = messages.find((m) => m !== rtl)!;
    for (const message of [rtl, plain]) {
      const sender = message.querySelector('[part~="sender"]')!;
      const time = message.querySelector('[part~="time"]')!;
      expect(readsLeftToRight(time), 'the time reads left to right').to.be.true;
      expect(time.getBoundingClientRect().left, 'the time stays right of the sender').to.be.greaterThan(sender.getBoundingClientRect().left);
    }
    expect(rtl.querySelector('[part~="time"]')!.getBoundingClientRect().left).to.be.closeTo(plain.querySelector('[part~="time"]')!.getBoundingClientRect().left, 1);
    await assertInert(roots());

    // The page keeps working: alice answers through her composer, the sender gets it.
    await compose(view, 'still working');
    await waitFor(() => bubbleTexts(senderChats[0]!).includes('still working'), 'the reply to arrive');
    await assertInert(roots());
  });

  it('shows dangerous channel names as text in the view title and the inbox', async () => {
    const carol = unique('carol');
    const channels = casesFor(corpus, 'elements', ['channelName']).map((c) => unique(materialize(c.input) as string));
    expect(channels.length).to.be.greaterThan(0);
    const chat = await connectedChat(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${carol} token=${await devToken(carol)}>
      ${channels.map((channel) => html`<rtm-channel channel=${channel}></rtm-channel>`)}
    </rtm-chat>`);
    const views = [...chat.querySelectorAll<RtmChannelElement>('rtm-channel')];
    for (const [i, view] of views.entries()) {
      expect(deepQuery(view, '[part~="title"]')!.textContent).to.equal(`#${channels[i]}`);
      await compose(view, `said in ${channels[i]}`);
      await waitFor(() => bubbleTexts(view).includes(`said in ${channels[i]}`), 'the channel message');
    }
    await assertInert([chat]);

    // Without child views the same session shows its inbox, which lists the channels by name.
    for (const view of views) view.remove();
    await waitFor(() => {
      const shown = deepQueryAll(chat, '[part~="name"]').map((n) => n.textContent);
      return channels.every((channel) => shown.includes(`#${channel}`));
    }, 'the inbox to list the channels');
    await assertInert([chat]);
  });

  it('works for a user and a channel named "__proto__" (legal ids that plain-object maps would lose)', async () => {
    const alice = unique('alice');
    const proto = '__proto__';
    const inbox = await connectedChat(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${alice} token=${await devToken(alice)}></rtm-chat>`);
    const sender = await connectedChat(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${proto} token=${await devToken(proto)}>
      <rtm-channel peer=${alice}></rtm-channel>
      <rtm-channel channel=${proto}></rtm-channel>
    </rtm-chat>`);
    const [peerView, channelView] = [...sender.querySelectorAll<RtmChannelElement>('rtm-channel')];
    const greeting = `hello from ${proto} ${Math.random()}`;
    await compose(peerView!, greeting);
    await compose(channelView!, `in #${proto}`);
    await waitFor(() => bubbleTexts(channelView!).includes(`in #${proto}`), 'the channel message');
    const entry = await waitFor(
      () => deepQueryAll<HTMLButtonElement>(inbox, 'button[part~="conversation"]').find((b) => b.textContent?.trim() === proto),
      'the inbox to list __proto__',
    );
    entry.click();
    const view = await waitFor(() => deepQuery<RtmChannelElement>(inbox, 'rtm-channel'), 'the conversation to open');
    await waitFor(() => bubbleTexts(view).includes(greeting), 'the message from __proto__');
    expect(deepQuery(view, '[part~="title"]')!.textContent).to.equal(proto);
    await compose(view, 'reply to __proto__');
    await waitFor(() => bubbleTexts(peerView!).includes('reply to __proto__'), 'the reply to arrive');
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).to.be.false;
    await assertInert([inbox, sender]);
  });

  it('shows dangerous file names as text', async () => {
    const dave = unique('dave');
    const erin = unique('erin');
    const names = casesFor(corpus, 'elements', ['fileName']).map((c) => materialize(c.input) as string);
    const sender = await connectedChat(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${dave} token=${await devToken(dave)} peer=${erin}></rtm-chat>`);
    const receiver = await connectedChat(html`<rtm-chat server=${serverUrl()} app-id=${appId()} user-id=${erin} token=${await devToken(erin)} peer=${dave}></rtm-chat>`);
    const session = sender.session!;
    const files = names.map((name) => new File([`contents of ${name}`], name, { type: 'text/plain' }));
    // What a browser makes of the name is what the user picked; that is what must show.
    const shownNames = files.map((file) => file.name);
    session.sendFiles(session.conversationKey('peer', erin), files);
    await waitFor(() => {
      const shown = deepQueryAll(receiver, '[part~="name"]').map((n) => n.textContent);
      return shownNames.every((name) => shown.includes(name));
    }, 'every file to arrive with its name', 20_000);
    for (const name of deepQueryAll(receiver, 'rtm-attachment [part~="name"], [part~="name"]')) {
      expect(name.children.length, 'a file name is a text node').to.equal(0);
    }
    await assertInert([sender, receiver]);
  });
});

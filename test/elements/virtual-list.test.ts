// Long conversations: <rtm-message-list> renders only the messages in and near the view once a
// conversation holds more than VIRTUALIZE_ABOVE messages, loading @tanstack/virtual-core for it.
// The first test must stay first: it checks that nothing loaded the virtualizer yet on this page.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { VIRTUALIZE_ABOVE, type RtmMessageListElement } from '../../src/elements/rtm-message-list/rtm-message-list.js';
import type { ChatMessage } from '../../src/store/index.js';
import { waitFor } from './helpers.js';

let serial = 0;

/** Messages from bob with seq `from` … `to` (texts "m<seq>"), every seventh one two lines long. */
function messages(from: number, to: number): ChatMessage[] {
  const list: ChatMessage[] = [];
  for (let seq = from; seq <= to; seq++) {
    const text = seq % 7 === 0 ? `m${seq}\nsecond line` : `m${seq}`;
    list.push({
      localId: `l${++serial}`,
      id: `s${seq}`,
      seq,
      conversation: 'peer:bob',
      from: 'bob',
      own: false,
      text,
      message: { messageType: 'TEXT', text },
      ts: Date.UTC(2026, 10, 21, 12, 0) + seq * 1000,
      status: 'sent',
    } as ChatMessage);
  }
  return list;
}

function root(el: RtmMessageListElement): ShadowRoot {
  return el.shadowRoot!;
}

function logOf(el: RtmMessageListElement): HTMLElement {
  return root(el).querySelector<HTMLElement>('[role="log"]')!;
}

function rendered(el: RtmMessageListElement): HTMLElement[] {
  return [...root(el).querySelectorAll<HTMLElement>('[part~="message"]')];
}

function bubbleOf(el: RtmMessageListElement, text: string): HTMLElement | undefined {
  return [...root(el).querySelectorAll<HTMLElement>('[part~="bubble"]')].find((b) => b.textContent?.split('\n')[0] === text);
}

/** Where a message's bubble is, relative to the top of the log's visible area (undefined: not rendered). */
function topOf(el: RtmMessageListElement, text: string): number | undefined {
  const bubble = bubbleOf(el, text);
  return bubble ? bubble.getBoundingClientRect().top - logOf(el).getBoundingClientRect().top : undefined;
}

/** Whether a message is rendered and at least partly inside the log's visible area. */
function onScreen(el: RtmMessageListElement, text: string): boolean {
  const top = topOf(el, text);
  return top !== undefined && top > -20 && top < logOf(el).clientHeight;
}

const virtualCoreRequests = () =>
  performance.getEntriesByType('resource').filter((entry) => entry.name.includes('@tanstack/virtual-core') || entry.name.includes('rtm-chat.virtual.js'));

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

async function longList(count: number, firstUnreadSeq?: number): Promise<RtmMessageListElement> {
  const el = await fixture<RtmMessageListElement>(html`<rtm-message-list
    style="height: 400px"
    label="Messages with bob"
    .messages=${messages(1, count)}
    .firstUnreadSeq=${firstUnreadSeq}
  ></rtm-message-list>`);
  await waitFor(() => root(el).querySelector('.sizer'), 'the list to switch to rendering the messages in view');
  await frame();
  return el;
}

describe('<rtm-message-list> in a long conversation', () => {
  it(`does not load the virtualizer for ${VIRTUALIZE_ABOVE} messages, and renders them all`, async () => {
    const el = await fixture<RtmMessageListElement>(html`<rtm-message-list
      style="height: 400px"
      .messages=${messages(1, VIRTUALIZE_ABOVE)}
    ></rtm-message-list>`);
    await frame();
    // A load would show only as a request in flight, with nothing on the page to wait for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rendered(el)).to.have.length(VIRTUALIZE_ABOVE);
    expect(root(el).querySelector('.sizer')).to.equal(null);
    expect(virtualCoreRequests().map((entry) => entry.name)).to.deep.equal([]);
  });

  it('keeps fewer than 200 message elements in the DOM for 10,000 messages, at the newest one', async () => {
    const el = await longList(10_000);
    expect(virtualCoreRequests(), 'the virtualizer was loaded').to.not.have.length(0);
    expect(rendered(el).length).to.be.greaterThan(0).and.lessThan(200);
    expect(root(el).querySelectorAll('*').length, 'elements in the shadow tree').to.be.lessThan(2000);
    const log = logOf(el);
    await waitFor(() => onScreen(el, 'm10000'), 'the newest message to be in view');
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.lessThan(48);
    expect(el.pinned).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('scrolls through all 10,000 to the oldest and back, with a small DOM all the way', async () => {
    const el = await longList(10_000);
    const log = logOf(el);
    let most = 0;
    for (let top = log.scrollTop; top > 0; top -= 3000) {
      log.scrollTop = top;
      await frame();
      most = Math.max(most, rendered(el).length);
    }
    log.scrollTop = 0;
    await waitFor(() => onScreen(el, 'm1'), 'the oldest message to be in view');
    expect(el.pinned).to.equal(false);
    expect(most).to.be.lessThan(200);
    el.scrollToNewest();
    await waitFor(() => onScreen(el, 'm10000'), 'the newest message again');
    expect(rendered(el).length).to.be.lessThan(200);
  });

  it('jumps to the first unread message when it is far above', async () => {
    const el = await longList(10_000, 2_001);
    const jump = await waitFor(() => root(el).querySelector<HTMLButtonElement>('button[part~="jump-button"]'), 'the jump button');
    expect(jump.textContent?.trim()).to.equal('Jump to first unread');
    expect(root(el).querySelector('[part~="new-divider"]'), 'the divider is far above, not rendered').to.equal(null);
    jump.click();
    const divider = await waitFor(() => root(el).querySelector<HTMLElement>('[part~="new-divider"]'), 'the New divider');
    await waitFor(() => Math.abs(divider.getBoundingClientRect().top - logOf(el).getBoundingClientRect().top) < 20, 'the divider at the top of the view');
    expect(divider.nextElementSibling?.querySelector('[part~="bubble"]')?.textContent).to.equal('m2001');
    await waitFor(() => !root(el).querySelector('button[part~="jump-button"]'), 'the jump button to go away');
    expect(rendered(el).length).to.be.lessThan(200);
  });

  it('says "N new messages" when scrolled up, and brings the reader down to them', async () => {
    const el = await longList(10_000);
    const log = logOf(el);
    log.scrollTop = log.scrollTop - 5000;
    await waitFor(() => !el.pinned, 'the list to notice the reader left the newest message');
    const before = el.messages;
    el.messages = [...before, ...messages(10_001, 10_003)];
    const button = await waitFor(() => root(el).querySelector<HTMLButtonElement>('button[part~="new-messages-button"]'), 'the button');
    expect(button.textContent?.trim()).to.equal('3 new messages');
    expect(onScreen(el, 'm10003'), 'the view stayed where the reader was').to.equal(false);
    button.click();
    await waitFor(() => onScreen(el, 'm10003'), 'the newest message in view');
    await waitFor(() => !root(el).querySelector('button[part~="new-messages-button"]'), 'the button to go away');
    expect(el.pinned).to.equal(true);
  });

  it('stays at the newest message when new ones arrive while the reader is there', async () => {
    const el = await longList(10_000);
    el.messages = [...el.messages, ...messages(10_001, 10_002)];
    await waitFor(() => onScreen(el, 'm10002'), 'the new message in view');
    await frame();
    const log = logOf(el);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.lessThan(48);
    expect(root(el).querySelector('button[part~="new-messages-button"]')).to.equal(null);
  });

  it('keeps the reader in place when older messages go in above, and when it switches to rendering the view only', async () => {
    // 120 in plain rendering, then 100 older ones take it over the threshold.
    const el = await fixture<RtmMessageListElement>(html`<rtm-message-list
      style="height: 400px"
      .messages=${messages(1001, 1120)}
    ></rtm-message-list>`);
    await frame();
    const log = logOf(el);
    expect(root(el).querySelector('.sizer')).to.equal(null);
    log.scrollTop = 300;
    await frame();
    // The message at the top of the view.
    const anchor = [...root(el).querySelectorAll<HTMLElement>('[part~="bubble"]')]
      .map((bubble) => bubble.textContent!.split('\n')[0]!)
      .find((text) => topOf(el, text)! >= 0)!;
    const before = topOf(el, anchor)!;
    el.messages = [...messages(901, 1000), ...el.messages];
    await waitFor(() => root(el).querySelector('.sizer'), 'the switch');
    await frame();
    expect(rendered(el).length).to.be.lessThan(VIRTUALIZE_ABOVE);
    expect(topOf(el, anchor)! - before).to.be.within(-2, 2);
    // And once more with the virtualizer in charge.
    el.messages = [...messages(801, 900), ...el.messages];
    await frame();
    await frame();
    expect(topOf(el, anchor)! - before).to.be.within(-2, 2);
    // Older messages are not "new messages".
    expect(root(el).querySelector('button[part~="new-messages-button"]')).to.equal(null);
  });

  it('goes back to rendering every message when a short conversation replaces a long one', async () => {
    const el = await longList(1_000);
    el.messages = messages(1, 20);
    await el.updateComplete;
    await frame();
    expect(root(el).querySelector('.sizer')).to.equal(null);
    expect(rendered(el)).to.have.length(20);
  });
});

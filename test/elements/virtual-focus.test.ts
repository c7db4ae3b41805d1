// Keyboard focus in a long conversation: <rtm-message-list> renders only the messages in and near
// the view, and must not take away the row holding the focus when the reader scrolls it out of view
// (focus would fall to <body>, and keyboard and screen-reader users would lose their place).
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { RtmMessageListElement } from '../../src/elements/rtm-message-list/rtm-message-list.js';
import type { ChatMessage } from '../../src/store/index.js';
import { waitFor } from './helpers.js';

let serial = 0;

/**
 * Messages with seq `from` … `to` (texts "m<seq>"), from bob, except those `own` picks: yours, not
 * sent (with a Retry button). `image` picks messages that carry an image (with an Open button).
 */
function messages(from: number, to: number, own: (seq: number) => boolean = () => false, image: (seq: number) => boolean = () => false): ChatMessage[] {
  const list: ChatMessage[] = [];
  for (let seq = from; seq <= to; seq++) {
    const text = `m${seq}`;
    const mine = own(seq);
    list.push({
      localId: `f${++serial}`,
      id: `s${seq}`,
      seq,
      conversation: 'peer:bob',
      from: mine ? 'me' : 'bob',
      own: mine,
      text,
      message: { messageType: 'TEXT', text },
      ts: Date.UTC(2026, 10, 21, 12, 0) + seq * 1000,
      status: mine ? 'failed' : 'sent',
      ...(image(seq)
        ? { attachment: { kind: 'image', fileName: `${text}.png`, size: 1000, mediaId: `media-${seq}`, width: 40, height: 30, description: text } }
        : {}),
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

/** The row of a message, when it is rendered. */
function rowOf(el: RtmMessageListElement, text: string): HTMLElement | undefined {
  return [...root(el).querySelectorAll<HTMLElement>('.row')].find((row) => row.querySelector('[part~="bubble"]')?.textContent?.trim() === text);
}

/** Where a message is, relative to the top of the log's visible area (undefined: not rendered). */
function topOf(el: RtmMessageListElement, text: string): number | undefined {
  const row = rowOf(el, text);
  return row ? row.querySelector('[part~="message"]')!.getBoundingClientRect().top - logOf(el).getBoundingClientRect().top : undefined;
}

/** Whether a message is rendered and at least partly inside the log's visible area. */
function onScreen(el: RtmMessageListElement, text: string): boolean {
  const top = topOf(el, text);
  return top !== undefined && top > -20 && top < logOf(el).clientHeight;
}

function actionsOf(el: RtmMessageListElement, text: string): HTMLButtonElement | undefined {
  return rowOf(el, text)?.querySelector<HTMLButtonElement>('button[part~="actions-button"]') ?? undefined;
}

function retryOf(el: RtmMessageListElement, text: string): HTMLButtonElement | undefined {
  return rowOf(el, text)?.querySelector<HTMLButtonElement>('button[part~="retry-button"]') ?? undefined;
}

/** The focused element, inside shadow roots too. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/**
 * Asserts which element has the focus. (Not `expect(element).to.equal(...)`: a failed assertion on
 * elements has the test runner serialize them, page and all.)
 */
function expectFocusOn(element: Element, what: string): void {
  const active = deepActiveElement();
  const where = `<${active?.localName}${active?.getAttribute('part') ? ` part="${active.getAttribute('part')}"` : ''}>`;
  expect(active === element, `the focus on ${what}, not on ${where}`).to.equal(true);
}

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

async function longList(list: ChatMessage[]): Promise<RtmMessageListElement> {
  const el = await fixture<RtmMessageListElement>(html`<rtm-message-list
    style="height: 400px"
    label="Messages with bob"
    .messages=${list}
  ></rtm-message-list>`);
  await waitFor(() => root(el).querySelector('.sizer'), 'the list to switch to rendering the messages in view');
  await frame();
  // Opening at the newest message takes the virtualizer a few frames (it re-aims as rows are
  // measured); on a busy machine more. Scrolling away before it settled would be undone by it.
  let last = -1;
  await waitFor(() => {
    const settled = logOf(el).scrollTop === last && el.pinned;
    last = logOf(el).scrollTop;
    return settled;
  }, 'the list to settle at the newest message');
  await frame();
  return el;
}

describe('<rtm-message-list> keyboard focus in a long conversation', () => {
  it('keeps the row with the focused Retry while scrolled far away, in its place, and lets it go when focus leaves', async () => {
    const el = await longList(messages(1, 10_000, (seq) => seq === 3));
    const log = logOf(el);
    log.scrollTop = 0;
    await waitFor(() => onScreen(el, 'm3'), 'the failed message in view');
    const retry = retryOf(el, 'm3')!;
    retry.focus();
    expectFocusOn(retry, 'Retry');

    el.scrollToNewest();
    await waitFor(() => onScreen(el, 'm10000'), 'the newest message in view');
    await frame();
    expect(retry.isConnected, 'the focused row is still rendered').to.equal(true);
    expectFocusOn(retry, 'Retry, still');
    expect(rendered(el).length).to.be.lessThan(200);
    // Still where it belongs, far above the view (the rows in view are where they belong too).
    expect(topOf(el, 'm3')).to.be.lessThan(-100_000);
    expect(onScreen(el, 'm9999')).to.equal(true);
    // The log keeps its role and name, and stays one tab stop.
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-label')).to.equal('Messages with bob');
    expect(log.getAttribute('tabindex')).to.equal('0');
    await expect(el).to.be.accessible();

    // Focus leaves the row: the next scroll lets it go.
    log.focus();
    log.scrollTop -= 1000;
    await waitFor(() => !retry.isConnected, 'the row to be let go');
    expect(rendered(el).length).to.be.lessThan(200);
    expectFocusOn(log, 'the log');
  });

  it('keeps a row whose focus is inside an attachment (another shadow root), also when older messages go in above', async () => {
    const el = await longList(messages(1001, 11_000, () => false, (seq) => seq === 11_000));
    const attachment = await waitFor(() => rowOf(el, 'm11000')?.querySelector('rtm-attachment'), 'the image');
    await attachment.updateComplete;
    // (Until the image's row is measured, the list keeps scrolling to the newest message.)
    await waitFor(() => onScreen(el, 'm11000'), 'the image in view');
    await frame();
    const open = attachment.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="preview"]')!;
    open.focus();
    expectFocusOn(open, 'the image');

    const log = logOf(el);
    log.scrollTop = 0;
    await waitFor(() => onScreen(el, 'm1001'), 'the oldest message in view');
    // Older messages go in above: every index shifts, the focused row stays.
    el.messages = [...messages(901, 1000), ...el.messages];
    await frame();
    await frame();
    expect(open.isConnected, 'the focused row is still rendered').to.equal(true);
    expectFocusOn(open, 'the image, still');
    expect(rendered(el).length).to.be.lessThan(200);
    expect(topOf(el, 'm11000')).to.be.greaterThan(100_000);

    open.blur();
    log.scrollTop += 1000;
    await waitFor(() => !open.isConnected, 'the row to be let go');
  });

  it('moves through the rows with Tab and Shift+Tab, also from a row kept out of view', async () => {
    const el = await longList(messages(1, 1000, (seq) => seq === 3 || seq === 997 || seq === 999));
    await waitFor(() => onScreen(el, 'm997') && onScreen(el, 'm999'), 'the failed messages in view');
    const first = retryOf(el, 'm997')!;
    const second = retryOf(el, 'm999')!;
    const between = actionsOf(el, 'm998')!;
    first.focus();
    // In reading order: the stored message between the two failed ones has its actions button.
    await sendKeys({ press: 'Tab' });
    expectFocusOn(between, 'the actions of m998');
    await sendKeys({ press: 'Tab' });
    expectFocusOn(second, 'Retry of m999');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expectFocusOn(first, 'Retry of m997');

    // Tab from the row kept far above goes on to the next control in reading order, in view.
    logOf(el).scrollTop = 0;
    await waitFor(() => onScreen(el, 'm3'), 'the oldest failed message in view');
    const far = retryOf(el, 'm3')!;
    far.focus();
    el.scrollToNewest();
    await waitFor(() => onScreen(el, 'm1000'), 'the newest message in view');
    await frame();
    expectFocusOn(far, 'Retry of m3, kept far above');
    await sendKeys({ press: 'Tab' });
    // The rows between are not rendered: the next control is the first one of the rows in view.
    const next = deepActiveElement()!;
    const row = next.closest<HTMLElement>('.row');
    expect(next.getAttribute('part'), 'an actions button').to.equal('actions-button');
    expect(Number(row?.dataset.index), 'a row after m3').to.be.greaterThan(3);
    expect(onScreen(el, row!.querySelector('[part~="bubble"]')!.textContent!.trim()), 'in view').to.equal(true);
  });
});

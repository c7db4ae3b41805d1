// A conversation of 10,000 messages in <rtm-channel>, end to end through the real server: bob sends
// them (in batches, through the client, as any sender would), alice opens the conversation and
// scrolls up through its whole history. Only the messages in view are in the DOM.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import type { RtmChannelElement } from '../../src/elements/rtm-channel/rtm-channel.js';
import type { RtmMessageListElement } from '../../src/elements/rtm-message-list/rtm-message-list.js';
import { loggedInClient, logoutAll } from '../client/helpers.js';
import { appId, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

const COUNT = 10_000;
/** Sends in flight at once. */
const WINDOW = 64;

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe('<rtm-channel> with 10,000 messages', () => {
  afterEach(() => logoutAll());

  it('keeps fewer than 200 message elements in the DOM while scrolling up to the oldest, then jumps, follows and marks read', async function () {
    this.timeout(240_000);
    const aliceId = uniqueId('alice');
    const bobId = uniqueId('bob');
    const bob = await loggedInClient(bobId);
    let next = 1;
    const sendSome = async () => {
      while (next <= COUNT) {
        const n = next++;
        await bob.sendMessageToPeer({ text: `m${n}` }, aliceId);
      }
    };
    // Each worker sends one at a time, so the server stores them in order with few gaps in time.
    await Promise.all(Array.from({ length: WINDOW }, sendSome));

    const chat = await fixture<RtmChatElement>(html`<rtm-chat
      style="--rtm-height: 480px"
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${aliceId}
      token=${await devToken(aliceId)}
      ><rtm-channel peer=${bobId}></rtm-channel
    ></rtm-chat>`);
    const view = chat.querySelector<RtmChannelElement>('rtm-channel')!;
    const list = deepQuery<RtmMessageListElement>(view, 'rtm-message-list')!;
    const log = deepQuery<HTMLElement>(view, '[role="log"]')!;
    const key = `peer:${bobId}` as const;
    const held = () => chat.session!.messagesOf(key).get().length;
    const inDom = () => deepQueryAll(view, '[part~="message"]').length;
    const visible = (text: string) =>
      deepQueryAll<HTMLElement>(view, '[part~="bubble"]').some((bubble) => {
        const box = bubble.getBoundingClientRect();
        const area = log.getBoundingClientRect();
        return bubble.textContent === text && box.bottom > area.top && box.top < area.bottom;
      });
    await waitFor(() => held() >= 100 && visible(`m${COUNT}`), 'the newest page, at the newest message', 20_000);

    // Scroll to the top again and again: each time the list asks for the page before.
    let most = 0;
    const started = performance.now();
    while (!visible('m1')) {
      const before = held();
      // As a reader would: up to the top, and once more if a page that was on its way when the
      // view got there took the view back down.
      for (let tries = 0; held() === before && !visible('m1'); tries++) {
        if (tries === 20) throw new Error(`no older messages after ${before}`);
        log.scrollTop = 0;
        await waitFor(() => held() > before || visible('m1') || log.scrollTop > 0, 'older messages, or the view moved', 1000).catch(() => {});
        await waitFor(() => held() > before || visible('m1'), 'older messages', 1000).catch(() => {});
      }
      most = Math.max(most, inDom());
    }
    const seconds = (performance.now() - started) / 1000;
    expect(held()).to.equal(COUNT);
    expect(most, 'message elements in the DOM at most').to.be.greaterThan(0).and.lessThan(200);
    expect(inDom()).to.be.lessThan(200);
    // The New line is before the oldest message: everything was unread when alice opened it.
    expect(deepQuery(view, '[part~="new-divider"]')).to.exist;
    console.log(`paged through ${COUNT} messages in ${seconds.toFixed(1)} s; at most ${most} message elements in the DOM`);

    // Back down, then jump to the first unread.
    list.scrollToNewest();
    await waitFor(() => visible(`m${COUNT}`), 'the newest message again');
    const jump = await waitFor(() => deepQuery<HTMLButtonElement>(view, 'button[part~="jump-button"]'), 'Jump to first unread');
    jump.click();
    await waitFor(() => visible('m1'), 'the first unread message in view');
    expect(inDom()).to.be.lessThan(200);

    // Scrolled up: new messages wait behind "N new messages", and are not marked read.
    await waitFor(() => chat.session!.$conversations.get().find((c) => c.key === key)?.unread === 0, 'the conversation to be read');
    await bob.sendMessageToPeer({ text: 'new one' }, aliceId);
    await bob.sendMessageToPeer({ text: 'new two' }, aliceId);
    const button = await waitFor(() => deepQuery<HTMLButtonElement>(view, 'button[part~="new-messages-button"]'), 'N new messages');
    await waitFor(() => button.textContent?.trim() === '2 new messages', '"2 new messages"');
    expect(visible('m1'), 'the reader stayed where they were').to.equal(true);
    await frame();
    expect(chat.session!.$conversations.get().find((c) => c.key === key)?.unread, 'unread while out of view').to.equal(2);
    button.click();
    await waitFor(() => visible('new two'), 'the newest message in view');
    await waitFor(() => chat.session!.$conversations.get().find((c) => c.key === key)?.unread === 0, 'marked read once seen');
    expect(inDom()).to.be.lessThan(200);
  });
});

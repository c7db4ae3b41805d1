// A conversation of 10,000 messages in <rtm-channel>, end to end through the real server: bob sends
// them (in batches, through the client, as any sender would), alice opens the conversation and
// scrolls up through its whole history. Only the messages in view are in the DOM.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import type { RtmChannelElement } from '../../src/elements/rtm-channel/rtm-channel.js';
import type { RtmMessageListElement } from '../../src/elements/rtm-message-list/rtm-message-list.js';
import type { RtmError } from '../../src/protocol/index.js';
import { loggedInClient, logoutAll } from '../client/helpers.js';
import { appId, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

const COUNT = 10_000;
/**
 * Connections bob sends them over, each one message at a time. More connections share the
 * server's per-connection send limit (a burst of 180, then 60/s), but every message is also synced
 * to bob's other connections, all in this page: a dozen fills 10,000 in about 15 s. A send over
 * the limit is refused (TOO_OFTEN) and sent again a little later.
 */
const CONNECTIONS = 12;

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe('<rtm-channel> with 10,000 messages', () => {
  afterEach(() => logoutAll());

  it('keeps fewer than 200 message elements in the DOM while scrolling up to the oldest, then jumps, follows and marks read', async function () {
    this.timeout(240_000);
    const aliceId = uniqueId('alice');
    const bobId = uniqueId('bob');
    const bob = await loggedInClient(bobId);
    const senders = [bob, ...(await Promise.all(Array.from({ length: CONNECTIONS - 1 }, () => loggedInClient(bobId))))];
    let next = 1;
    await Promise.all(
      senders.map(async (sender) => {
        while (next <= COUNT) {
          const text = `m${next++}`;
          for (;;) {
            try {
              await sender.sendMessageToPeer({ text }, aliceId);
              break;
            } catch (error) {
              // Over the connection's send limit: refused, not stored; wait for the bucket to refill.
              if ((error as RtmError).reason !== 'TOO_OFTEN') throw error;
              await new Promise((resolve) => setTimeout(resolve, 250));
            }
          }
        }
      }),
    );

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
    const oldest = () => chat.session!.messagesOf(key).get()[0]?.text;
    const newest = () => chat.session!.messagesOf(key).get().at(-1)?.text;
    const visible = (text: string | undefined) =>
      deepQueryAll<HTMLElement>(view, '[part~="bubble"]').some((bubble) => {
        const box = bubble.getBoundingClientRect();
        const area = log.getBoundingClientRect();
        return bubble.textContent === text && box.bottom > area.top && box.top < area.bottom;
      });
    await waitFor(() => held() >= 100 && visible(newest()), 'the newest page, at the newest message', 20_000);

    // Scroll to the top again and again: each time the list asks for the page before, until the
    // oldest message is on screen.
    let most = 0;
    const reachedStart = () => held() === COUNT && visible(oldest());
    const started = performance.now();
    while (!reachedStart()) {
      const before = held();
      // As a reader would: up to the top, and once more if a page that was on its way when the
      // view got there took the view back down.
      for (let tries = 0; held() === before && !reachedStart(); tries++) {
        if (tries === 20) throw new Error(`no older messages after ${before}`);
        log.scrollTop = 0;
        await waitFor(() => held() > before || reachedStart() || log.scrollTop > 0, 'older messages, or the view moved', 1000).catch(() => {});
        await waitFor(() => held() > before || reachedStart(), 'older messages', 1000).catch(() => {});
      }
      most = Math.max(most, inDom());
    }
    const seconds = (performance.now() - started) / 1000;
    const first = oldest();
    const last = newest();
    expect(most, 'message elements in the DOM at most').to.be.greaterThan(0).and.lessThan(200);
    expect(inDom()).to.be.lessThan(200);
    // The New line is before the oldest message: everything was unread when alice opened it.
    expect(deepQuery(view, '[part~="new-divider"]')).to.exist;
    console.log(`paged through ${COUNT} messages in ${seconds.toFixed(1)} s; at most ${most} message elements in the DOM`);

    // Back down, then jump to the first unread.
    list.scrollToNewest();
    await waitFor(() => visible(last), 'the newest message again');
    const jump = await waitFor(() => deepQuery<HTMLButtonElement>(view, 'button[part~="jump-button"]'), 'Jump to first unread');
    jump.click();
    await waitFor(() => visible(first), 'the first unread message in view');
    expect(inDom()).to.be.lessThan(200);

    // Scrolled up: new messages wait behind "N new messages", and are not marked read.
    await waitFor(() => chat.session!.$conversations.get().find((c) => c.key === key)?.unread === 0, 'the conversation to be read');
    await bob.sendMessageToPeer({ text: 'new one' }, aliceId);
    await bob.sendMessageToPeer({ text: 'new two' }, aliceId);
    const button = await waitFor(() => deepQuery<HTMLButtonElement>(view, 'button[part~="new-messages-button"]'), 'N new messages');
    await waitFor(() => button.textContent?.trim() === '2 new messages', '"2 new messages"');
    expect(visible(first), 'the reader stayed where they were').to.equal(true);
    await frame();
    expect(chat.session!.$conversations.get().find((c) => c.key === key)?.unread, 'unread while out of view').to.equal(2);
    button.click();
    await waitFor(() => visible('new two'), 'the newest message in view');
    await waitFor(() => chat.session!.$conversations.get().find((c) => c.key === key)?.unread === 0, 'marked read once seen');
    expect(inDom()).to.be.lessThan(200);
  });
});

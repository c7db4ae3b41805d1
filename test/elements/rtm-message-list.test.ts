import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmMessageListElement, RtmMessageRetryEvent } from '../../src/elements/rtm-message-list/rtm-message-list.js';
import type { ChatMessage } from '../../src/store/index.js';
import { RtmError } from '../../src/protocol/index.js';
import { waitFor } from './helpers.js';

function message(overrides: Partial<ChatMessage>): ChatMessage {
  const text = overrides.text ?? 'hello';
  return {
    localId: `m${Math.random().toString(36).slice(2)}`,
    conversation: 'peer:bob',
    from: 'bob',
    own: false,
    text,
    message: { messageType: 'TEXT', text },
    ts: Date.UTC(2026, 10, 21, 12, 30),
    status: 'sent',
    ...overrides,
  } as ChatMessage;
}

describe('<rtm-message-list>', () => {
  it('shows sender, time and text, and "You" with a status for your own messages', async () => {
    const el = await fixture<RtmMessageListElement>(html`<rtm-message-list
      label="Messages with bob"
      .messages=${[
        message({ text: 'hi there' }),
        message({ own: true, from: 'alice', text: 'on my way', status: 'sending' }),
        message({ own: true, from: 'alice', text: 'sent one', status: 'sent' }),
      ]}
    ></rtm-message-list>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('[role="log"]')?.getAttribute('aria-label')).to.equal('Messages with bob');
    const rows = [...root.querySelectorAll('[part~="message"]')];
    expect(rows.map((r) => r.querySelector('[part~="sender"]')?.textContent)).to.deep.equal(['bob', 'You', 'You']);
    expect(rows.map((r) => r.querySelector('[part~="status"]')?.textContent?.trim() ?? null)).to.deep.equal([
      null,
      'Sending…',
      'Sent',
    ]);
    expect(rows[0]!.querySelector('time')!.getAttribute('datetime')).to.equal('2026-11-21T12:30:00.000Z');
  });

  it('offers Retry on a failed message and says why it failed', async () => {
    const failed = message({
      own: true,
      from: 'alice',
      text: 'lost',
      status: 'failed',
      error: new RtmError('SERVER_NOT_REACHABLE', 'The server did not answer.'),
    });
    const el = await fixture<RtmMessageListElement>(html`<rtm-message-list .messages=${[failed]}></rtm-message-list>`);
    const status = el.shadowRoot!.querySelector('[part~="status"]')!;
    expect(status.textContent).to.contain('The server did not answer.');
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="retry-button"]')!;
    expect(retry.getAttribute('aria-label')).to.equal('Retry sending');
    setTimeout(() => retry.click());
    const event = (await oneEvent(el, 'rtm-message-retry')) as unknown as RtmMessageRetryEvent;
    expect(event.localId).to.equal(failed.localId);
  });

  it('keeps newlines and shows markup as text', async () => {
    const el = await fixture<RtmMessageListElement>(html`<rtm-message-list
      .messages=${[message({ text: 'line 1\nline 2 <script>window.__rtmRan = 1</script>' })]}
    ></rtm-message-list>`);
    const bubble = el.shadowRoot!.querySelector('[part~="bubble"]')!;
    expect(bubble.textContent).to.equal('line 1\nline 2 <script>window.__rtmRan = 1</script>');
    expect(bubble.children).to.have.length(0);
    expect((window as unknown as { __rtmRan?: number }).__rtmRan).to.equal(undefined);
  });

  it('is accessible, empty and with sent, sending and failed messages', async () => {
    const empty = await fixture<RtmMessageListElement>(html`<rtm-message-list label="Messages"></rtm-message-list>`);
    await expect(empty).to.be.accessible();
    const full = await fixture<RtmMessageListElement>(html`<rtm-message-list
      label="Messages"
      .messages=${[
        message({}),
        message({ own: true, status: 'sending' }),
        message({ own: true, status: 'failed', error: new RtmError('SERVER_NOT_REACHABLE', 'No answer.') }),
      ]}
    ></rtm-message-list>`);
    await expect(full).to.be.accessible();
  });
});

describe('<rtm-message-list> with unread messages', () => {
  it('marks the first unread with a "New" line and offers to jump to it once it is out of view', async () => {
    const messages = Array.from({ length: 60 }, (_, i) => message({ seq: i + 1, text: `message ${i + 1}` }));
    const el = await fixture<RtmMessageListElement>(html`<rtm-message-list
      style="height: 300px"
      label="Messages"
      .messages=${messages}
      .firstUnreadSeq=${20}
    ></rtm-message-list>`);
    await el.updateComplete;
    const root = el.shadowRoot!;
    const divider = root.querySelector('[part~="new-divider"]')!;
    expect(divider.getAttribute('role')).to.equal('separator');
    expect(divider.nextElementSibling?.querySelector('[part~="bubble"]')?.textContent).to.equal('message 20');
    // The list opened at the newest message: the first unread is above, so the button shows.
    const jump = await waitFor(() => root.querySelector<HTMLButtonElement>('button[part~="jump-button"]'), 'the jump button');
    expect(jump.textContent?.trim()).to.equal('Jump to first unread');
    jump.click();
    const log = root.querySelector<HTMLElement>('[role="log"]')!;
    await waitFor(() => Math.abs(log.scrollTop - (divider as HTMLElement).offsetTop) < 5, 'the first unread to come into view');
    await waitFor(() => !root.querySelector('button[part~="jump-button"]'), 'the button to go away');
    await expect(el).to.be.accessible();
  });
});

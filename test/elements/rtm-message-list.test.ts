import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmMessageListElement, RtmMessageRetryEvent } from '../../src/elements/rtm-message-list/rtm-message-list.js';
import type { ChatMessage } from '../../src/store/index.js';
import { RtmError } from '../../src/protocol/index.js';

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

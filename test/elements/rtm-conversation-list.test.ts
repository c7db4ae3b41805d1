import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type {
  RtmConversationListElement,
  RtmConversationSelectEvent,
} from '../../src/elements/rtm-conversation-list/rtm-conversation-list.js';
import type { ChatMessage, ConversationSummary } from '../../src/store/index.js';

function lastMessage(text: string, own = false): ChatMessage {
  return {
    localId: `m${Math.random().toString(36).slice(2)}`,
    conversation: 'peer:bob',
    from: own ? 'me' : 'bob',
    own,
    text,
    message: { messageType: 'TEXT', text },
    ts: Date.now(),
    status: 'sent',
  } as ChatMessage;
}

const conversations = [
  { key: 'peer:bob', kind: 'peer', id: 'bob', lastMessage: lastMessage('see you <b>soon</b>'), lastActivity: 3, unread: 3, readSeq: 0, online: true },
  { key: 'channel:lobby', kind: 'channel', id: 'lobby', lastMessage: lastMessage('morning all', true), lastActivity: 2, unread: 0, readSeq: 4 },
] as unknown as ConversationSummary[];

describe('<rtm-conversation-list>', () => {
  it('lists conversations as buttons named after the peer or channel, with "N unread" and a preview', async () => {
    const el = await fixture<RtmConversationListElement>(html`<rtm-conversation-list
      .conversations=${conversations}
      .selected=${'channel:lobby'}
    ></rtm-conversation-list>`);
    const buttons = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part~="conversation"]')];
    expect(buttons.map((b) => b.textContent?.trim()), 'the name is all the button says').to.deep.equal(['bob', '#lobby']);
    const rows = [...el.shadowRoot!.querySelectorAll('li')];
    expect(rows[0]!.querySelector('[part~="badge"]')?.textContent).to.equal('3 unread');
    expect(rows[1]!.querySelector('[part~="badge"]'), 'no badge without unread').to.equal(null);
    expect(rows[0]!.querySelector('[part~="preview"]')?.textContent).to.equal('see you <b>soon</b>');
    expect(rows[1]!.querySelector('[part~="preview"]')?.textContent).to.equal('You: morning all');
    const description = el.shadowRoot!.getElementById(buttons[0]!.getAttribute('aria-describedby')!);
    expect(description?.textContent, 'the badge is announced with the button').to.contain('3 unread');
    expect(buttons.map((b) => b.getAttribute('aria-current'))).to.deep.equal(['false', 'true']);
    await expect(el).to.be.accessible();
  });

  it('tells its owner which conversation was chosen', async () => {
    const el = await fixture<RtmConversationListElement>(html`<rtm-conversation-list .conversations=${conversations}></rtm-conversation-list>`);
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="conversation"]')!.click());
    const event = (await oneEvent(el, 'rtm-conversation-select')) as unknown as RtmConversationSelectEvent;
    expect(event.conversation).to.equal('peer:bob');
  });

  it('says so when there is no conversation yet', async () => {
    const el = await fixture<RtmConversationListElement>(html`<rtm-conversation-list></rtm-conversation-list>`);
    expect(el.shadowRoot!.querySelector('[part~="empty"]')?.textContent).to.equal('No conversations yet.');
  });
});

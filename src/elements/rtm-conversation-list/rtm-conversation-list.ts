import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, ConversationKey, ConversationSummary } from '../../store/index.js';
import { formatMessageTime } from '../internal/format.js';
import { strings } from '../internal/strings.js';
import { conversationListStyles } from './rtm-conversation-list.styles.js';

/** Fired (not composed) when the user opens a conversation from the list. */
export class RtmConversationSelectEvent extends Event {
  static readonly eventName = 'rtm-conversation-select';
  constructor(readonly conversation: ConversationKey) {
    super(RtmConversationSelectEvent.eventName, { bubbles: true });
  }
}

/** The one-line preview of a conversation's latest message. */
function preview(message: ChatMessage | undefined): string {
  if (!message) return '';
  const attachment = message.attachment;
  const body = attachment
    ? attachment.kind === 'image'
      ? strings.previewImage(attachment.fileName)
      : strings.previewFile(attachment.fileName)
    : (message.text ?? '');
  const line = body.replace(/\s+/g, ' ').trim();
  return message.own ? strings.previewOwn(line) : line;
}

/**
 * The inbox list: one button per conversation, named after the peer or channel, with an unread
 * badge ("3 unread"), the latest message and its time, newest activity first.
 *
 * Internal part of `<rtm-chat>`.
 *
 * @fires rtm-conversation-select - a conversation was chosen
 * @csspart list - the list
 * @csspart conversation-row - one entry
 * @csspart conversation - the entry's button (its name; it covers the whole row)
 * @csspart name - the peer or channel name
 * @csspart badge - the unread count
 * @csspart preview - the latest message
 * @csspart time - the time of the latest message
 * @csspart presence - the online dot of a peer
 * @csspart empty - the text shown with no conversations
 *
 * @tagname rtm-conversation-list
 */
export class RtmConversationListElement extends LitElement {
  static override styles = conversationListStyles;

  static override properties = {
    conversations: { attribute: false },
    selected: { attribute: false },
  };

  /** The conversations, in display order. */
  conversations: readonly ConversationSummary[] = [];

  /** The open conversation, marked with aria-current. */
  selected: ConversationKey | undefined;

  override render() {
    if (this.conversations.length === 0) return html`<p part="empty">${strings.noConversations}</p>`;
    return html`<ul part="list" role="list">
      ${repeat(
        this.conversations,
        (entry) => entry.key,
        (entry, index) => {
          const detailsId = `details-${index}`;
          const name = entry.kind === 'channel' ? `#${entry.id}` : entry.id;
          const last = entry.lastMessage;
          // The button holds only the name, so its accessible name is exactly the peer or channel;
          // its ::after stretches over the whole row, so the row is the click target.
          return html`<li part="conversation-row" class=${entry.key === this.selected ? 'current' : ''}>
            <span class="top">
              ${entry.kind === 'peer' && entry.online !== undefined
                ? html`<span part="presence" class=${entry.online ? 'online' : 'offline'} aria-hidden="true"></span>`
                : nothing}
              <button
                part="conversation"
                type="button"
                aria-describedby=${detailsId}
                aria-current=${entry.key === this.selected ? 'true' : 'false'}
                @click=${() => this.dispatchEvent(new RtmConversationSelectEvent(entry.key))}
              >
                <span part="name">${name}</span>
              </button>
              ${last ? html`<time part="time" datetime=${new Date(last.ts).toISOString()}>${formatMessageTime(last.ts)}</time>` : nothing}
            </span>
            <span class="bottom" id=${detailsId}>
              <span part="preview">${preview(last)}</span>
              ${entry.unread > 0
                ? html`<span part="badge">${entry.unread}<span class="visually-hidden">${strings.unreadSuffix}</span></span>`
                : nothing}
            </span>
          </li>`;
        },
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-conversation-list': RtmConversationListElement;
  }
  interface GlobalEventHandlersEventMap {
    'rtm-conversation-select': RtmConversationSelectEvent;
  }
}

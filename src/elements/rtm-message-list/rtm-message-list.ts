import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../../store/index.js';
import { formatMessageTime } from '../internal/format.js';
import { strings } from '../internal/strings.js';
import { messageListStyles } from './rtm-message-list.styles.js';

/** Fired (not composed) when the user asks to resend a failed message. */
export class RtmMessageRetryEvent extends Event {
  static readonly eventName = 'rtm-message-retry';
  constructor(readonly localId: string) {
    super(RtmMessageRetryEvent.eventName, { bubbles: true });
  }
}

/** How close to the bottom (px) still counts as "reading the newest messages". */
const PINNED_THRESHOLD_PX = 48;

/**
 * The messages of one conversation in a `role="log"` region: sender, time, text and, for your own
 * messages, their status (Sending…, Sent, Not sent + Retry). Text is rendered as text. Stays
 * scrolled to the newest message unless the reader scrolled up.
 *
 * Internal part of `<rtm-channel>`.
 *
 * @fires rtm-message-retry - the Retry button of a failed message was pressed
 * @csspart log - the scrolling log region
 * @csspart message - one message (also `message-own` or `message-other`)
 * @csspart meta - sender and time line
 * @csspart sender - the sender's name
 * @csspart time - the time of the message
 * @csspart bubble - the message text
 * @csspart status - the delivery status of your own message
 * @csspart retry-button - Retry on a failed message
 * @csspart empty - the text shown before the first message
 * @csspart attachment - an image or file (`<rtm-attachment>`; its parts are exported too)
 * @csspart caption - the text sent with an image or file
 *
 * @tagname rtm-message-list
 */
export class RtmMessageListElement extends LitElement {
  static override styles = messageListStyles;

  /** The messages, oldest first. */
  @property({ attribute: false }) messages: readonly ChatMessage[] = [];

  /** Accessible name of the log, e.g. "Messages with bob". */
  @property() label = '';

  private pinned = true;

  private onScroll(event: Event): void {
    const log = event.currentTarget as HTMLElement;
    this.pinned = log.scrollHeight - log.scrollTop - log.clientHeight < PINNED_THRESHOLD_PX;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('messages')) return;
    const log = this.renderRoot.querySelector<HTMLElement>('[role="log"]');
    const last = this.messages.at(-1);
    // Your own new message always brings you to the bottom; others only when you were there.
    if (log && (this.pinned || (last?.own && last.status === 'sending'))) {
      log.scrollTop = log.scrollHeight;
      this.pinned = true;
    }
  }

  private renderStatus(message: ChatMessage) {
    if (!message.own) return nothing;
    if (message.status === 'failed') {
      return html`<div part="status" class="failed">
        <span>${strings.failed}${message.error ? html`: ${message.error.message}` : nothing}</span>
        <button
          part="retry-button"
          type="button"
          aria-label=${strings.retrySending}
          @click=${() => this.dispatchEvent(new RtmMessageRetryEvent(message.localId))}
        >
          ${strings.retry}
        </button>
      </div>`;
    }
    const label = message.status === 'uploading' ? strings.uploading : message.status === 'sending' ? strings.sending : strings.sent;
    return html`<div part="status">${label}</div>`;
  }

  private renderBody(message: ChatMessage) {
    if (message.attachment) {
      return html`<rtm-attachment
          part="attachment"
          exportparts="preview, thumbnail, icon, name, size, progress, percent, cancel-button, download-button, retry-button: attachment-retry-button, error, lightbox, lightbox-image, close-button"
          .message=${message}
        ></rtm-attachment>${message.attachment.description
          ? html`<div part="caption">${message.attachment.description}</div>`
          : nothing}`;
    }
    if (message.text !== undefined) return message.text;
    const raw = message.message;
    if (raw.messageType === 'RAW') return raw.description || `(${raw.rawMessage.byteLength} bytes of data)`;
    return '';
  }

  override render() {
    return html`
      <div part="log" role="log" aria-label=${this.label || nothing} tabindex="0" @scroll=${this.onScroll}>
        ${this.messages.length === 0 ? html`<p part="empty">${strings.noMessages}</p>` : nothing}
        ${repeat(
          this.messages,
          (message) => message.localId,
          (message) => html`
            <div
              class="message ${message.own ? 'own' : 'other'}"
              part="message ${message.own ? 'message-own' : 'message-other'}"
              data-status=${message.status}
            >
              <div part="meta">
                <span part="sender">${message.own ? strings.you : message.from}</span>
                <time part="time" datetime=${new Date(message.ts).toISOString()}>${formatMessageTime(message.ts)}</time>
              </div>
              <div part=${message.attachment ? 'bubble attachment-bubble' : 'bubble'}>${this.renderBody(message)}</div>
              ${this.renderStatus(message)}
            </div>
          `,
        )}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-message-list': RtmMessageListElement;
  }
  interface GlobalEventHandlersEventMap {
    'rtm-message-retry': RtmMessageRetryEvent;
  }
}

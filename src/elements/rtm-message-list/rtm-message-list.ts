import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { RtmError } from '../../protocol/index.js';
import type { ChatMessage, ChatProfile, ConversationKey } from '../../store/index.js';
import { formatMessageTime } from '../internal/format.js';
import { strings } from '../internal/strings.js';
import { messageListStyles } from './rtm-message-list.styles.js';
import { importMessageActions, type MessageActionsModule } from './load-message-actions.js';
import { importRichParts, type RichPartsModule } from './load-rich-parts.js';
import { RtmErrorEvent } from '../events.js';
import { VirtualRowsController } from './virtual-rows-controller.js';
import { errorText } from '../internal/error-text.js';

export { VIRTUALIZE_ABOVE } from './virtual-rows-controller.js';

/** Fired (not composed) when the user asks to resend a failed message. */
export class RtmMessageRetryEvent extends Event {
  static readonly eventName = 'rtm-message-retry';
  constructor(readonly localId: string) {
    super(RtmMessageRetryEvent.eventName, { bubbles: true });
  }
}

/** What the reader asked to do with a message (its actions menu or a reaction button). */
export type MessageAction =
  | { kind: 'reply' }
  | { kind: 'react'; emoji: string }
  | { kind: 'edit'; text: string }
  | { kind: 'retract' }
  | { kind: 'delete' }
  | { kind: 'forward'; to: ConversationKey };

/** Fired (not composed) when the reader picks an action for a stored message. */
export class RtmMessageActionEvent extends Event {
  static readonly eventName = 'rtm-message-action';
  constructor(
    readonly message: ChatMessage,
    readonly action: MessageAction,
  ) {
    super(RtmMessageActionEvent.eventName, { bubbles: true });
  }
}

/** Fired (not composed) when the reader activates a reply's quote: show the original (by seq). */
export class RtmQuoteActivateEvent extends Event {
  static readonly eventName = 'rtm-quote-activate';
  constructor(readonly seq: number) {
    super(RtmQuoteActivateEvent.eventName, { bubbles: true });
  }
}

/** How a page renders its CUSTOM messages: text, a Lit template or a DOM node. */
export type CustomMessageRenderer = (message: ChatMessage) => unknown;

const customRenderers = new Map<string, CustomMessageRenderer>();

/**
 * Registers how the message list shows CUSTOM messages of `customType` (the last registration
 * wins). Types without one show their `description`, or "Unsupported message".
 *
 * @example
 * registerMessageRenderer('order.shipped', (m) => `📦 Order ${(m.message as RtmCustomMessage).payload.id} shipped`);
 */
export function registerMessageRenderer(customType: string, render: CustomMessageRenderer): void {
  customRenderers.set(customType, render);
}

/** The map link of a location message; `{lat}` and `{lng}` are replaced. */
let mapLink = 'https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=16/{lat}/{lng}';

/** Sets where location messages link to (any map the page prefers; no map script is loaded). */
export function setMapLink(template: string): void {
  mapLink = template;
}

/** What a sent message's status line says beyond "Sent": receipts and, in channels, who read it. */
export interface MessageReceipt {
  /** "Delivered", "Read" or "Read by 2". */
  text: string;
  /** Channel messages: who has read it and who has not (shown on demand). */
  readers?: readonly string[];
  nonReaders?: readonly string[];
}

/** Fired (not composed) when the reader reaches the newest message, or leaves it. */
export class RtmListPinnedEvent extends Event {
  static readonly eventName = 'rtm-list-pinned';
  constructor(readonly pinned: boolean) {
    super(RtmListPinnedEvent.eventName, { bubbles: true });
  }
}

/** Fired (not composed) when the reader nears the oldest message shown: time to load older ones. */
export class RtmLoadOlderEvent extends Event {
  static readonly eventName = 'rtm-load-older';
  constructor() {
    super(RtmLoadOlderEvent.eventName, { bubbles: true });
  }
}

let receiptDetails: MessageActionsModule['renderReceiptDetails'] | undefined;

/** Quotes, reactions and the other message types: loaded when a list first shows one. */
let richParts: RichPartsModule | undefined;
let richLoad: Promise<RichPartsModule> | undefined;

/** How close to the top (px) starts loading the page before the oldest message. */
const LOAD_OLDER_THRESHOLD_PX = 200;

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
 * @csspart avatar - a sender's avatar beside their name (from their `avatarUrl` user attribute)
 * @csspart receipt-button - "Read by N" on your channel message; shows who read it
 * @csspart receipt-details - the readers and non-readers
 * @csspart retracted - "alice retracted a message", in place of a retracted message
 * @csspart edited - "edited", beside the time of an edited message
 * @csspart actions-button - opens a message's actions menu (react, edit, retract, delete for me, copy)
 * @csspart actions-menu - the actions menu (also `actions-item` for each entry)
 * @csspart emoji-picker - the reaction picker (also `emoji-button` for each emoji)
 * @csspart edit-dialog - the dialog that edits a message (also `edit-input`, `save-button`, `cancel-button`)
 * @csspart quote - what a reply quotes (also `quote-sender`); activating it shows the original
 * @csspart mention - added to `message` when it mentions you
 * @csspart location - a location message: a link to a map (`setMapLink`)
 * @csspart unsupported - a message type this page cannot show
 * @csspart reactions - the reactions under a message (also `reaction`, and `reaction-mine` for yours)
 * @csspart new-divider - the "New" line before the first unread message
 * @csspart new-messages-button - "N new messages", shown when you scrolled up
 * @csspart jump-button - "Jump to first unread", shown while the first unread is above the view
 * @fires rtm-message-action - the reader picked an action for a message (detail on the event: message, action)
 * @fires rtm-quote-activate - a reply's quote was activated (seq of the original on the event)
 * @fires rtm-list-pinned - the newest message came into view or left it
 * @fires rtm-load-older - the reader scrolled near the oldest message shown
 *
 * @tagname rtm-message-list
 */
export class RtmMessageListElement extends LitElement {
  constructor() {
    super();
    // Renders again when the widget's locale changes (internal/locale.ts).
    updateWhenLocaleChanges(this);
  }

  static override styles = messageListStyles;

  // Declared without decorators: the decorator helpers cost the script-tag bundle bytes.
  static override properties = {
    messages: { attribute: false },
    profiles: { attribute: false },
    label: {},
    receiptOf: { attribute: false },
    firstUnreadSeq: { attribute: false },
    newWhileAway: { state: true, attribute: false },
    openReceipt: { state: true, attribute: false },
    unreadAbove: { state: true, attribute: false },
  };

  /** The messages, oldest first. */
  messages: readonly ChatMessage[] = [];

  /** Display names and avatars by user id; a sender without a name shows as their user id. */
  profiles: ReadonlyMap<string, ChatProfile> | undefined;

  /** Accessible name of the log, e.g. "Messages with bob". */
  label = '';

  /** Receipts of your own sent messages (delivered, read, read by N). */
  receiptOf: ((message: ChatMessage) => MessageReceipt | undefined) | undefined;

  /** Sequence number of the first unread message: a "New" divider goes before it. */
  firstUnreadSeq: number | undefined;

  /** Whether the newest message is in view (the reader is "at the bottom"). */
  get pinned(): boolean {
    return this.isPinned;
  }

  private isPinned = true;
  /** Messages from others that arrived while the reader was scrolled up. */
  private newWhileAway = 0;
  private openReceipt: string | undefined;
  /** Whether the "New" divider is above the visible part of the log. */
  private unreadAbove = false;
  /** Index of the first unread message in `messages` (-1: none). */
  private unreadIndex = -1;
  /** Long conversations: renders only the rows in and near the view. */
  private readonly rows = new VirtualRowsController(this);

  private get log(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[role="log"]');
  }

  private setPinned(pinned: boolean): void {
    if (pinned === this.isPinned) return;
    this.isPinned = pinned;
    if (pinned) this.newWhileAway = 0;
    this.dispatchEvent(new RtmListPinnedEvent(pinned));
  }

  private get divider(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[part~="new-divider"]');
  }

  private checkUnreadAbove(log: HTMLElement): void {
    // A long conversation may not have the divider rendered: the virtualizer knows where it goes.
    // (An index of -1 finds nothing.)
    const top = this.rows.active ? this.rows.startOf(this.unreadIndex) : this.divider?.offsetTop;
    this.unreadAbove = top !== undefined && top < log.scrollTop;
  }

  /** Scrolls the "New" divider (the first unread message) into view. */
  jumpToFirstUnread(): void {
    if (this.rows.active && this.unreadIndex >= 0) this.rows.scrollToIndex(this.unreadIndex);
    else this.divider?.scrollIntoView({ block: 'start' });
  }

  private onScroll(event: Event): void {
    const log = event.currentTarget as HTMLElement;
    this.checkUnreadAbove(log);
    this.setPinned(log.scrollHeight - log.scrollTop - log.clientHeight < PINNED_THRESHOLD_PX);
    if (log.scrollTop < LOAD_OLDER_THRESHOLD_PX) this.dispatchEvent(new RtmLoadOlderEvent());
  }

  /** Scrolls to the newest message. */
  scrollToNewest(): void {
    const log = this.log;
    if (this.rows.active) this.rows.scrollToEnd();
    else if (log) log.scrollTop = log.scrollHeight;
    this.setPinned(true);
  }

  /** Distance from the bottom to keep while older messages go in above (see updated()). */
  private keepFromBottom: number | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('messages') as readonly ChatMessage[] | undefined;
    const log = this.log;
    if (changed.has('messages') || changed.has('firstUnreadSeq')) {
      const seq = this.firstUnreadSeq;
      this.unreadIndex = seq === undefined ? -1 : this.messages.findIndex((message) => message.seq === seq && !message.own);
    }
    this.rows.sync(previous);
    if (previous?.length && this.messages[0] !== previous[0]) {
      // Older messages going in above (or another conversation): remember where the reader is,
      // measured from the bottom, since the browser does not anchor scrolling at the very top (and
      // anchoring is off here, below). The virtualizer keeps the place itself. None of them is new.
      if (!this.rows.active && log) this.keepFromBottom = log.scrollHeight - log.scrollTop;
    } else if (previous && !this.isPinned) {
      const known = new Set(previous.map((message) => message.localId));
      this.newWhileAway += this.messages.filter((message) => !message.own && !known.has(message.localId)).length;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // (The rows controller has sized and measured the rendered rows already: hostUpdated.)
    if (!changed.has('messages')) return;
    const keep = this.keepFromBottom;
    this.keepFromBottom = undefined;
    if (keep !== undefined && !this.isPinned && this.log) {
      this.log.scrollTop = this.log.scrollHeight - keep;
      return;
    }
    const last = this.messages.at(-1);
    // Your own new message always brings you to the bottom; others only when you were there.
    if (this.isPinned || (last?.own && (last.status === 'sending' || last.status === 'uploading'))) {
      this.scrollToNewest();
    }
    // Too few messages to scroll means no scroll event will ever ask for older ones: ask now.
    const log = this.log;
    if (log) this.checkUnreadAbove(log);
    if (log && this.messages.length > 0 && log.scrollHeight <= log.clientHeight) this.dispatchEvent(new RtmLoadOlderEvent());
  }

  private renderReceipt(message: ChatMessage) {
    const receipt = this.receiptOf?.(message);
    if (!receipt) return strings.sent();
    if (!receipt.readers) return receipt.text;
    const open = this.openReceipt === message.localId;
    const detailsId = `receipt-${message.localId}`;
    return html`<button
        part="receipt-button"
        type="button"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls=${detailsId}
        @click=${async () => {
          // Who has read it and who not: drawn by the actions module (loaded on first use).
          receiptDetails ??= (await importMessageActions()).renderReceiptDetails;
          this.openReceipt = open ? undefined : message.localId;
        }}
      >
        ${receipt.text}
      </button>
      ${open && receiptDetails ? receiptDetails(detailsId, receipt) : nothing}`;
  }

  private renderStatus(message: ChatMessage) {
    if (!message.own) return nothing;
    if (message.status === 'failed') {
      return html`<div part="status" class="failed">
        <span>${strings.failed()}${message.error ? html`: ${errorText(message.error)}` : nothing}</span>
        <button
          part="retry-button"
          type="button"
          aria-label=${strings.retrySending()}
          @click=${() => this.dispatchEvent(new RtmMessageRetryEvent(message.localId))}
        >
          ${strings.retry()}
        </button>
      </div>`;
    }
    if (message.status === 'uploading') return html`<div part="status">${strings.uploading()}</div>`;
    if (message.status === 'sending') return html`<div part="status">${strings.sending()}</div>`;
    return html`<div part="status">${this.renderReceipt(message)}</div>`;
  }

  /** Opens the actions menu of a message (loaded on first use) beside its button. */
  private async openActions(message: ChatMessage, button: HTMLElement): Promise<void> {
    const { openMessageActions } = await importMessageActions();
    openMessageActions({
      message,
      anchor: button,
      act: (action) => this.dispatchEvent(new RtmMessageActionEvent(message, action)),
    });
  }

  /**
   * The rich parts module, once loaded and styled here; until then undefined, and asked for (the
   * list renders again when it arrives).
   */
  private rich(): RichPartsModule | undefined {
    if (!richParts) {
      this.richReady ??= (richLoad ??= importRichParts()).then(
        (module) => {
          richParts = module;
          this.requestUpdate();
        },
        (error: unknown) => {
          // Asked for again by the next render that needs it.
          richLoad = this.richReady = undefined;
          this.dispatchEvent(new RtmErrorEvent({ error: new RtmError('INTERNAL_ERROR', `Could not load the message parts: ${String(error)}`) }));
        },
      );
    } else if (!this.richStyled) {
      this.richStyled = true;
      richParts.styleList(this.renderRoot as ShadowRoot);
    }
    return richParts;
  }

  private richReady: Promise<void> | undefined;
  private richStyled = false;

  /** Resolves once rendered with the parts its messages need loaded. */
  protected override async getUpdateComplete(): Promise<boolean> {
    // A render may start the load: let it happen, then wait for the load and the render it brings.
    const done = await super.getUpdateComplete();
    if (!this.richReady || richParts) return done;
    await this.richReady;
    return super.getUpdateComplete();
  }

  /** Scrolls a loaded message (by seq) into view. */
  scrollToSeq(seq: number): void {
    const index = this.messages.findIndex((m) => m.seq === seq);
    if (index < 0) return;
    if (this.rows.active) this.rows.scrollToIndex(index);
    this.renderRoot.querySelector(`[data-index="${index}"]`)?.scrollIntoView({ block: 'center' });
  }

  private renderBody(message: ChatMessage) {
    if (message.retractedAt !== undefined) {
      return html`<span part="retracted">${strings.retracted(message.own ? strings.you() : this.nameOf(message.from))}</span>`;
    }
    if (message.attachment) {
      return html`<rtm-attachment
          part="attachment"
          exportparts="preview, thumbnail, icon, name, size, progress, percent, cancel-button, download-button, retry-button: attachment-retry-button, error, lightbox, lightbox-image, close-button, player"
          .message=${message}
        ></rtm-attachment>${message.attachment.description
          ? html`<div part="caption">${message.attachment.description}</div>`
          : nothing}`;
    }
    if (message.text !== undefined) return message.text;
    const raw = message.message;
    return this.rich()?.renderOtherBody(message, { mapLink, render: raw.messageType === 'CUSTOM' ? customRenderers.get(raw.customType) : undefined }) ?? '';
  }

  private nameOf(uid: string): string {
    return this.profiles?.get(uid)?.name ?? uid;
  }

  /** Who wrote it: "You", or the sender's avatar and name (isolated: a name may be right-to-left). */
  private renderSender(message: ChatMessage) {
    if (message.own) return html`<span part="sender">${strings.you()}</span>`;
    const avatar = this.profiles?.get(message.from)?.avatar;
    return html`${avatar ? html`<img part="avatar" class="avatar" src=${avatar} alt="" referrerpolicy="no-referrer" />` : nothing}<bdi
        part="sender"
        >${this.nameOf(message.from)}</bdi
      >`;
  }

  /** One message, with the "New" divider before it when it is the first unread. */
  private renderRow(message: ChatMessage, index: number) {
    return html`<div class="row" data-index=${index} data-id=${message.localId}>
      ${index === this.unreadIndex
        ? html`<div part="new-divider" class="divider" role="separator" aria-label=${strings.newDivider()}>
            <span>${strings.newDivider()}</span>
          </div>`
        : nothing}
      <div
        class="message ${message.own ? 'own' : 'other'}"
        part="message ${message.own ? 'message-own' : 'message-other'}${message.mentionsMe ? ' mention' : ''}"
        data-status=${message.status}
      >
        <div part="meta">
          ${this.renderSender(message)}
          <time part="time" datetime=${new Date(message.ts).toISOString()}>${formatMessageTime(message.ts)}</time>
          ${message.editedAt && !message.retractedAt ? html`<span part="edited">${strings.edited()}</span>` : nothing}
          ${message.status === 'sent' && message.id && !message.retractedAt && !message.transient
            ? html`<button
                part="actions-button"
                type="button"
                aria-label=${strings.messageActions()}
                aria-haspopup="menu"
                aria-expanded="false"
                @click=${(event: Event) => this.openActions(message, event.currentTarget as HTMLElement)}
              >
                ⋯
              </button>`
            : nothing}
        </div>
        ${message.quote
          ? this.rich()?.renderQuote({ ...message.quote, from: this.nameOf(message.quote.from) }, () => this.dispatchEvent(new RtmQuoteActivateEvent(message.quote!.seq)))
          : nothing}
        <div part=${message.attachment ? 'bubble attachment-bubble' : 'bubble'}>${this.renderBody(message)}</div>
        ${message.reactions
          ? this.rich()?.renderReactions(message, (emoji) => this.dispatchEvent(new RtmMessageActionEvent(message, { kind: 'react', emoji })))
          : nothing}
        ${this.renderStatus(message)}
      </div>
    </div>`;
  }

  override render() {
    const messages = this.messages;
    const from = this.rows.firstPlainIndex(messages.length);
    // A long conversation: the sizer is as tall as all messages together, and the items box, holding
    // the rendered ones, is moved down to where the first of them belongs (sizes set by the rows
    // controller after each update).
    return html`
      <div part="log" role="log" aria-label=${this.label || nothing} tabindex="0" @scroll=${this.onScroll}>
        ${messages.length === 0 ? html`<p part="empty">${strings.noMessages()}</p>` : nothing}
        ${this.rows.active
          ? html`<div class="sizer"><div class="items">${repeat(
              this.rows.items,
              (item) => item.key,
              (item) => this.renderRow(messages[item.index]!, item.index),
            )}</div></div>`
          : // While the virtualizer loads, at most the newest VIRTUALIZE_ABOVE (the reader's place is
            // kept from the bottom, as always).
            repeat(
              messages.slice(from),
              (message) => message.localId,
              (message, index) => this.renderRow(message, from + index),
            )}
      </div>
      ${this.unreadAbove
        ? html`<button part="jump-button" class="pill jump" type="button" @click=${() => this.jumpToFirstUnread()}>
            ${strings.jumpToUnread()}
          </button>`
        : nothing}
      ${this.newWhileAway > 0
        ? html`<button part="new-messages-button" class="new-messages" type="button" @click=${() => this.scrollToNewest()}>
            ${strings.newMessages(this.newWhileAway)}
          </button>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-message-list': RtmMessageListElement;
  }
  interface GlobalEventHandlersEventMap {
    'rtm-message-retry': RtmMessageRetryEvent;
    'rtm-message-action': RtmMessageActionEvent;
    'rtm-quote-activate': RtmQuoteActivateEvent;
    'rtm-list-pinned': RtmListPinnedEvent;
    'rtm-load-older': RtmLoadOlderEvent;
  }
}

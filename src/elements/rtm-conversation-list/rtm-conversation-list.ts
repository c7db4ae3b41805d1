import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, nothing } from 'lit';
import type { ChatSession, ConversationKey, ConversationSummary } from '../../store/index.js';
import type { ConversationListHost } from './conversation-list-view.js';
import { importConversationListView, type ConversationListViewModule } from './load-conversation-list-view.js';
import { conversationListStyles } from './rtm-conversation-list.styles.js';

let viewModule: Promise<ConversationListViewModule> | undefined;

/**
 * Fired (not composed) when the user opens a conversation from the list, or starts one with the
 * New conversation form (`started`: it may not be in the list yet, a peer with no message).
 */
export class RtmConversationSelectEvent extends Event {
  static readonly eventName = 'rtm-conversation-select';
  constructor(
    readonly conversation: ConversationKey,
    readonly started = false,
  ) {
    super(RtmConversationSelectEvent.eventName, { bubbles: true });
  }
}

/**
 * The inbox list: one button per conversation, named after the peer or channel, with an unread
 * badge ("3 unread"), the latest message and its time, newest activity first.
 *
 * Internal part of `<rtm-chat>`.
 *
 * @fires rtm-conversation-select - a conversation was chosen, or started with the New conversation form
 * @csspart new-conversation-button - "New conversation": opens (and closes) the form
 * @csspart new-conversation-form - the form (loaded when the button is first pointed at, focused or pressed)
 * @csspart new-conversation-kind - its choice of a person or a channel
 * @csspart new-conversation-input - the user id or channel name
 * @csspart new-conversation-error - why the typed id cannot be used
 * @csspart start-button - Start (a person) or Join (a channel)
 * @csspart cancel-button - closes the form
 * @csspart list - the list
 * @csspart conversation-row - one entry
 * @csspart conversation - the entry's button (its name; it covers the whole row)
 * @csspart name - the peer or channel name
 * @csspart badge - the unread count
 * @csspart mention-badge - "@" when an unread message mentions you
 * @csspart conversation-actions-button - opens a conversation's menu (delete, with or without history)
 * @csspart conversation-menu - that menu (also `conversation-menu-item`)
 * @csspart preview - the latest message
 * @csspart time - the time of the latest message
 * @csspart presence - the online dot of a peer
 * @csspart avatar - a peer's avatar (from their `avatarUrl` user attribute)
 * @csspart empty - the text shown with no conversations
 *
 * @tagname rtm-conversation-list
 */
export class RtmConversationListElement extends LitElement implements ConversationListHost {
  constructor() {
    super();
    // Renders again when the widget's locale changes (internal/locale.ts).
    updateWhenLocaleChanges(this);
  }

  static override styles = conversationListStyles;

  static override properties = {
    conversations: { attribute: false },
    selected: { attribute: false },
    session: { attribute: false },
    noNewConversation: { attribute: false },
  };

  /** The conversations, in display order. */
  conversations: readonly ConversationSummary[] = [];

  /** The open conversation, marked with aria-current. */
  selected: ConversationKey | undefined;

  /** The session whose peers get live online dots (the view watches the most recent ones). */
  session: ChatSession | undefined;

  /** Hides the New conversation button (set by `<rtm-chat no-new-conversation>`). */
  noNewConversation = false;

  #view: ConversationListViewModule | undefined;
  #viewReady: Promise<unknown> | undefined;

  /** @internal */
  select(key: ConversationKey, started?: boolean): void {
    this.dispatchEvent(new RtmConversationSelectEvent(key, started));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#viewReady ??= (viewModule ??= importConversationListView()).then(
      (module) => {
        this.#view = module;
        this.requestUpdate();
      },
      (error: unknown) => {
        // Retried when the list is shown again.
        viewModule = undefined;
        this.#viewReady = undefined;
        console.warn('rtm-chat: could not load the conversation list.', error);
      },
    );
  }

  /** Resolves once rendered with the view loaded. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.#viewReady;
    return super.getUpdateComplete();
  }

  override render() {
    return this.#view ? this.#view.renderConversationList(this) : nothing;
  }

  protected override updated(): void {
    this.#view?.watchPresence(this);
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

import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import {
  createChatSession,
  type ChatSession,
  type ChatInvitation,
  type ChatProfile,
  type ChatStoreEvent,
  type ConnectionSnapshot,
  type ConversationSummary,
  parseConversationKey,
} from '../../store/index.js';
import { RtmError } from '../../protocol/index.js';
import { sessionContext } from '../internal/context.js';
import { RtmConnectionChangeEvent, RtmErrorEvent, RtmInvitationEvent, RtmMessageEvent, RtmUnreadChangeEvent } from '../events.js';
import type { RtmConversationSelectEvent } from '../rtm-conversation-list/rtm-conversation-list.js';
import { StoreController } from '../internal/store-controller.js';
import { strings } from '../internal/strings.js';
import { chatStyles } from './rtm-chat.styles.js';
import { importPopupView, type PopupViewModule } from './load-popup-view.js';
import { importInvitationPrompt, type InvitationPromptModule } from './load-invitation-prompt.js';
import type { PageAttention } from './page-attention.js';
import { importPageAttention } from './load-page-attention.js';
import { errorText } from '../internal/error-text.js';
import { isRightToLeft, matchLocale, useLocale } from '../internal/locale.js';

let popupModule: Promise<PopupViewModule> | undefined;
let invitationPromptModule: Promise<InvitationPromptModule> | undefined;

/** An async function returning a fresh token for the current user (login and renewal). */
export type TokenProvider = () => Promise<string>;

/**
 * The chat session: signs one user in to an rtm-chat server and provides the session to the
 * `<rtm-channel>` views inside it. With no child views it shows the conversation named by its
 * `peer` or `channel` attribute, or a list of this session's conversations. A banner (`role=status`)
 * tells the user while the connection is not up.
 *
 * @example
 * <rtm-chat server="https://chat.example.com" app-id="demo" user-id="alice" token="…">
 *   <rtm-channel peer="bob"></rtm-channel>
 * </rtm-chat>
 *
 * @slot - `<rtm-channel>` views (or any content) that use this session
 * @fires rtm-connection-change - the connection state changed (detail: { state, reason })
 * @fires rtm-message - a message from someone else arrived (detail: { conversation, message })
 * @fires rtm-error - sign-in or an operation failed (detail: { error, conversation? })
 * @fires rtm-unread-change - the total unread count changed (detail: { total })
 * @fires rtm-invitation - a call invitation to this user arrived or ended (detail: { invitation, state, reason? })
 * @csspart banner - the connection banner
 * @csspart reconnect-button - the Reconnect button shown after the session gave up
 * @csspart conversations - the inbox's conversation list (no child views, no peer/channel); its
 *   parts are exported: conversation, name, badge, preview, time, presence, and the New
 *   conversation form's new-conversation-button, new-conversation-form, new-conversation-kind,
 *   new-conversation-input, new-conversation-error, start-button, cancel-button
 * @csspart back-button - Back to the list, on narrow screens
 * @csspart launcher - the floating button of `mode="popup"`
 * @csspart launcher-badge - the total unread count on the launcher
 * @csspart panel - the chat panel of `mode="popup"`
 * @csspart panel-header - the popup panel's title bar
 * @csspart panel-title - its title
 * @csspart close-button - Close of the popup panel
 * @csspart invitation - the prompt for an incoming call invitation (`accept-button`, `decline-button`)
 * @csspart accept-button - Accept of the call prompt
 * @csspart decline-button - Decline of the call prompt
 * @csspart channel - the built-in conversation view (no child views)
 * @cssprop --rtm-color-background - background
 * @cssprop --rtm-color-text - text colour
 * @cssprop --rtm-color-accent - accent (buttons, own messages' default)
 * @cssprop --rtm-color-banner-background - connection banner background
 * @cssprop --rtm-radius - corner radius of bubbles, inputs and buttons
 * @cssprop --rtm-font-family - font family
 *
 * @tagname rtm-chat
 */
export class RtmChatElement extends LitElement {
  constructor() {
    super();
    // Renders again when the widget's locale changes (internal/locale.ts).
    updateWhenLocaleChanges(this);
  }

  static override styles = chatStyles;

  // Declared without decorators: the decorator helpers cost the script-tag bundle bytes.
  static override properties = {
    server: {},
    appId: { attribute: 'app-id' },
    userId: { attribute: 'user-id' },
    token: {},
    tokenProvider: { attribute: false },
    displayName: { attribute: 'display-name' },
    avatar: {},
    peer: {},
    channel: {},
    mode: { reflect: true },
    unreadInTitle: { type: Boolean, attribute: 'unread-in-title' },
    notifications: { type: Boolean },
    noNewConversation: { type: Boolean, attribute: 'no-new-conversation' },
    noInvitationPrompt: { type: Boolean, attribute: 'no-invitation-prompt' },
    open: { type: Boolean, reflect: true },
    locale: {},
    session: { state: true, attribute: false },
    hasChildViews: { state: true, attribute: false },
    openedKey: { state: true, attribute: false },
  };

  /** Base URL of the rtm-chat server, e.g. `https://chat.example.com`. */
  server = '';

  /** App id on that server. */
  appId = '';

  /** The signed-in user's id. */
  userId = '';

  /** A token for `user-id`, signed by the app's token secret. */
  token = '';

  /** Called for a token at login and renewal; takes precedence over `token`. */
  tokenProvider: TokenProvider | undefined;

  /**
   * The signed-in user's display name, shown to others instead of their user id (written to
   * their `displayName` user attribute at sign-in and when it changes; '' removes it).
   */
  displayName: string | undefined;

  /** The signed-in user's avatar, an http(s) image URL (their `avatarUrl` user attribute). */
  avatar: string | undefined;

  /** With no child views: open the one-to-one conversation with this user. */
  peer: string | undefined;

  /** With no child views: open this channel. */
  channel: string | undefined;

  /**
   * `inline` (default) shows the chat where the element is; `popup` shows a floating launcher
   * button with the total unread count that opens the chat as a panel.
   */
  mode: 'inline' | 'popup' = 'inline';

  /** Shows the total unread count in the document title, e.g. "(3) Shop". */
  unreadInTitle = false;

  /**
   * Shows a desktop notification for new messages while the page is hidden. The page asks for
   * permission itself (`Notification.requestPermission()` on a user gesture); without it, nothing.
   */
  notifications = false;

  /**
   * Hides the inbox's New conversation button, for a site that opens conversations itself
   * (`peer` / `channel`, or its own views).
   */
  noNewConversation = false;

  /**
   * Hides the built-in prompt for incoming call invitations, for a page that shows its own (it
   * listens to `rtm-invitation` and answers with `session.answerInvitation`).
   */
  noInvitationPrompt = false;

  /** Whether the popup panel is open (`mode="popup"`). */
  open = false;

  /**
   * The widget's language, a BCP 47 tag (`zh-CN`, `ar`, `en`). Unset, it follows `lang`: this
   * element's, its nearest ancestor's, or the page's. The closest available locale is used
   * (`zh-Hans` → `zh-CN`), English when none matches; right-to-left ones lay the widget out
   * mirrored (this element's `dir`, unless the page set it). One language per page: the widget's
   * elements all show the last one asked for.
   */
  locale: string | undefined;

  /** Whether this element set its own `dir` (so the page's `dir`, when it set one, is kept). */
  private ownsDir = false;
  private readonly langWatch = typeof MutationObserver === 'undefined' ? undefined : new MutationObserver(() => this.applyLocale());

  /** The current session (read-only; replaced when server, app-id, user-id or token change). */
  session: ChatSession | undefined;

  /**
   * Whether the page put views (`<rtm-channel>`…) inside this element; undefined until that is
   * known. While the parser is still adding children, guessing "none" would render, and load,
   * the inbox a page with its own views never shows.
   */
  private hasChildViews: boolean | undefined;
  private openedKey: string | undefined;
  /** The conversation last started with the inbox's form, shown until the list names it. */
  private started: { kind: 'peer' | 'channel'; id: string } | undefined;

  /** Gives the views inside the current session. */
  private readonly sessionProvider = new ContextProvider(this, { context: sessionContext });

  private readonly connection = new StoreController<ConnectionSnapshot>(this);
  private readonly conversations = new StoreController<readonly ConversationSummary[]>(this);
  private readonly totalUnreadStore = new StoreController<number>(this);
  private readonly invitations = new StoreController<readonly ChatInvitation[]>(this);
  /** For the call prompt's caller name. */
  private readonly profiles = new StoreController<ReadonlyMap<string, ChatProfile>>(this);
  private stopListening: (() => void) | undefined;
  /** The title badge and notifications, loaded when one of the two opt-ins first has work. */
  private attention: Promise<PageAttention> | undefined;

  private withAttention(use: (attention: PageAttention) => void): void {
    const attention = (this.attention ??= importPageAttention().then((module) => new module.PageAttention()));
    attention.then(use, (error: unknown) => {
      // Tried again on the next message or count.
      if (this.attention === attention) this.attention = undefined;
      console.warn('rtm-chat: could not load the title badge and notifications.', error);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A session is created on the next update, so moving the element keeps one session alive.
    this.requestUpdate();
    this.findChildViews();
    // `lang` on this element or any ancestor, changed by the page, switches the language live.
    this.langWatch?.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    this.applyLocale();
  }

  /** Switches the widget to this element's locale (see `locale`), and its direction with it. */
  private applyLocale(): void {
    const locale = matchLocale(this.locale || this.closest('[lang]')?.getAttribute('lang'));
    if (this.ownsDir || !this.hasAttribute('dir')) {
      this.ownsDir = true;
      this.setAttribute('dir', isRightToLeft(locale) ? 'rtl' : 'ltr');
    }
    useLocale(locale).catch((error: unknown) =>
      this.dispatchEvent(new RtmErrorEvent({ error: new RtmError('INTERNAL_ERROR', `Could not load the ${locale} strings: ${String(error)}`) })),
    );
  }

  private findChildViews(): void {
    if (this.childElementCount > 0) {
      this.hasChildViews = true;
    } else if (document.readyState === 'loading') {
      // A slotchange says so if children arrive; otherwise there are none once parsing is done.
      document.addEventListener('DOMContentLoaded', () => (this.hasChildViews ??= this.childElementCount > 0), { once: true });
    } else {
      this.hasChildViews ??= false;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.langWatch?.disconnect();
    this.endSession();
    void this.attention?.then((attention) => attention.restoreTitle());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') && this.isConnected) this.applyLocale();
    const configChanged =
      changed.has('server') || changed.has('appId') || changed.has('userId') || changed.has('token') || changed.has('tokenProvider');
    if (this.isConnected && (configChanged || !this.session)) this.startSession();
    else if (this.session && (changed.has('displayName') || changed.has('avatar'))) {
      this.session.setProfile(this.profile).catch(() => {
        // Reported through the store's error event.
      });
    }
  }

  private get profile() {
    return { name: this.displayName, avatar: this.avatar };
  }


  private get configured(): boolean {
    return Boolean(this.server && this.appId && this.userId && (this.token || this.tokenProvider));
  }

  private sessionConfig: string | undefined;

  /** Starts a session for the current configuration, replacing one made for another. */
  private startSession(): void {
    const config = JSON.stringify([this.server, this.appId, this.userId, this.token, Boolean(this.tokenProvider)]);
    if (this.session && config === this.sessionConfig) return;
    this.endSession();
    if (!this.configured) return;
    const session = createChatSession({
      server: this.server,
      appId: this.appId,
      userId: this.userId,
      token: this.token || undefined,
      tokenProvider: this.tokenProvider,
      profile: this.profile,
    });
    this.session = session;
    this.sessionProvider.setValue(session);
    this.sessionConfig = config;
    this.connection.setStore(session.$connection);
    this.conversations.setStore(session.$conversations);
    this.totalUnreadStore.setStore(session.$totalUnread);
    this.invitations.setStore(session.$invitations);
    this.profiles.setStore(session.$profiles);
    this.stopListening = session.subscribe((event) => this.forward(event));
    session.start().catch(() => {
      // The failure reaches the page through the store's error event and the banner.
    });
  }

  private endSession(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    this.connection.setStore(undefined);
    this.conversations.setStore(undefined);
    this.totalUnreadStore.setStore(undefined);
    this.invitations.setStore(undefined);
    this.profiles.setStore(undefined);
    this.session?.stop();
    this.session = undefined;
    this.sessionProvider.setValue(undefined);
    this.sessionConfig = undefined;
  }

  private forward(event: ChatStoreEvent): void {
    switch (event.type) {
      case 'connection':
        this.dispatchEvent(new RtmConnectionChangeEvent({ state: event.state, reason: event.reason }));
        break;
      case 'message':
        this.dispatchEvent(new RtmMessageEvent({ conversation: event.conversation, message: event.message }));
        if (this.notifications) this.withAttention((attention) => attention.notify(event.message, event.message.from));
        break;
      case 'error':
        this.dispatchEvent(new RtmErrorEvent({ error: event.error, conversation: event.conversation }));
        break;
      case 'invitation':
        this.dispatchEvent(new RtmInvitationEvent({ invitation: event.invitation, state: event.state, reason: event.reason }));
        break;
      case 'unread':
        this.dispatchEvent(new RtmUnreadChangeEvent({ total: event.total }));
        if (this.unreadInTitle) this.withAttention((attention) => attention.showUnreadInTitle(event.total));
        break;
    }
  }

  private onSlotChange(event: Event): void {
    const hasElements = (event.target as HTMLSlotElement).assignedElements().length > 0;
    // While the parser is still adding children, the whitespace before the first one says nothing.
    if (hasElements || document.readyState !== 'loading') this.hasChildViews = hasElements;
  }

  private renderBanner() {
    const snapshot = this.connection.value;
    let text = '';
    let offerReconnect = false;
    if (!this.configured) text = strings.notConfigured();
    else if (!snapshot || snapshot.state === 'IDLE' || snapshot.state === 'CONNECTING') text = strings.connecting();
    else if (snapshot.state === 'RECONNECTING') text = strings.reconnecting();
    else if (snapshot.state === 'DISCONNECTED' || snapshot.state === 'ABORTED') {
      text = snapshot.error ? strings.loginFailed(errorText(snapshot.error)) : strings.disconnected();
      offerReconnect = true;
    }
    // The live region stays in the DOM so screen readers announce changes to it.
    return html`<div part="banner" role="status" ?hidden=${!text}>
      <span>${text}</span>
      ${offerReconnect
        ? html`<button part="reconnect-button" type="button" @click=${() => this.reconnect()}>${strings.reconnect()}</button>`
        : nothing}
    </div>`;
  }

  /** Ends the current session and signs in again (e.g. after the connection gave up). */
  reconnect(): void {
    this.endSession();
    this.requestUpdate();
  }

  private renderOwnView() {
    if (this.hasChildViews !== false) return nothing;
    const peer = this.peer;
    const channel = this.channel;
    if (peer || channel) {
      return html`<rtm-channel part="channel" .peer=${peer} .channel=${peer ? undefined : channel}></rtm-channel>`;
    }
    const list = this.conversations.value ?? [];
    const listed = list.find((entry) => entry.key === this.openedKey);
    // A peer started with the form has no message yet, so no entry: it shows all the same. Once
    // listed it is an entry like any other (closed if it leaves the list).
    if (listed) this.started = undefined;
    const opened = listed ?? (this.openedKey ? this.started : undefined);
    return html`
      <rtm-conversation-list
        part="conversations"
        exportparts="conversation-row, conversation, name, avatar, badge, mention-badge, preview, time, presence, conversation-actions-button, conversation-menu, conversation-menu-item, new-conversation-button, new-conversation-form, new-conversation-kind, new-conversation-input, new-conversation-error, start-button, cancel-button"
        class=${opened ? 'has-open' : ''}
        .conversations=${list}
        .selected=${this.openedKey}
        .session=${this.session}
        .noNewConversation=${this.noNewConversation}
        @rtm-conversation-select=${(event: RtmConversationSelectEvent) => {
          this.started = event.started ? parseConversationKey(event.conversation) : undefined;
          this.openedKey = event.conversation;
        }}
      ></rtm-conversation-list>
      ${opened
        ? html`<div class="open-pane">
            <button part="back-button" class="pill back" type="button" @click=${this.backToList}>${strings.back()}</button>
            <rtm-channel
              part="channel"
              .peer=${opened.kind === 'peer' ? opened.id : undefined}
              .channel=${opened.kind === 'channel' ? opened.id : undefined}
            ></rtm-channel>
          </div>`
        : list.length > 0
          ? html`<p part="placeholder" class="placeholder">${strings.noConversation()}</p>`
          : nothing}
    `;
  }

  private async backToList(): Promise<void> {
    const key = this.openedKey;
    this.openedKey = undefined;
    await this.updateComplete;
    // Keep the keyboard where it was: on the entry of the conversation just closed.
    const list = this.renderRoot.querySelector('rtm-conversation-list');
    const index = (this.conversations.value ?? []).findIndex((entry) => entry.key === key);
    list?.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part~="conversation"]')[index]?.focus();
  }

  /** The first call invitation waiting for an answer, unless the page shows its own prompt. */
  private renderInvitation() {
    const invitation = this.noInvitationPrompt ? undefined : this.invitations.value?.[0];
    if (!invitation) return nothing;
    if (!this.#invitationPrompt) {
      (invitationPromptModule ??= importInvitationPrompt()).then(
        (module) => {
          this.#invitationPrompt = module;
          this.requestUpdate();
        },
        (error: unknown) => {
          invitationPromptModule = undefined;
          this.dispatchEvent(new RtmErrorEvent({ error: new RtmError('INTERNAL_ERROR', `Could not load the call prompt: ${String(error)}`) }));
        },
      );
      return nothing;
    }
    return this.#invitationPrompt.renderInvitationPrompt(this, invitation);
  }

  #invitationPrompt: InvitationPromptModule | undefined;

  /** @internal For the call prompt: a user's display name, or their user id. */
  nameOf(uid: string): string {
    this.session?.loadProfiles([uid]);
    return this.profiles.value?.get(uid)?.name ?? uid;
  }

  /** @internal For the call prompt. */
  answer(invitation: ChatInvitation, accept: boolean): void {
    this.session?.answerInvitation(invitation.id, accept);
  }

  /** The popup's view, loaded when `mode` is first `popup`. */
  #popup: PopupViewModule | undefined;
  #popupReady: Promise<unknown> | undefined;

  /** @internal For the popup view: the unread total on the launcher. */
  get totalUnread(): number {
    return this.totalUnreadStore.value ?? 0;
  }

  #loadPopup(): void {
    this.#popupReady ??= (popupModule ??= importPopupView()).then(
      (module) => {
        this.#popup = module;
        this.requestUpdate();
      },
      (error: unknown) => {
        popupModule = undefined;
        this.#popupReady = undefined;
        this.dispatchEvent(new RtmErrorEvent({ error: new RtmError('INTERNAL_ERROR', `Could not load the popup: ${String(error)}`) }));
      },
    );
  }

  /** Resolves once rendered with the popup view loaded (in popup mode). */
  protected override async getUpdateComplete(): Promise<boolean> {
    // The first render in popup mode starts the load: let it happen, then wait for the load and
    // the render it brings.
    const done = await super.getUpdateComplete();
    if (!this.#popupReady || this.#popup) return done;
    await this.#popupReady;
    return super.getUpdateComplete();
  }

  override render() {
    const content = html`
      ${this.renderBanner()}
      <div part="body" class="body">
        <slot @slotchange=${this.onSlotChange}></slot>
        ${this.renderOwnView()} ${this.renderInvitation()}
      </div>
    `;
    if (this.mode !== 'popup') return content;
    this.#loadPopup();
    return this.#popup ? this.#popup.renderPopup(this, content) : nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-chat': RtmChatElement;
  }
}

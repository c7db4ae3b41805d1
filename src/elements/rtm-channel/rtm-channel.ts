import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { ChatMessage, ChatProfile, ChatReceipt, ChatSession, ConversationKey } from '../../store/index.js';
import { RtmError, isValidUserId, type PeerStatus } from '../../protocol/index.js';
import { sessionContext } from '../internal/context.js';
import { RtmErrorEvent } from '../events.js';
import { StoreController } from '../internal/store-controller.js';
import { strings } from '../internal/strings.js';
import type { RtmComposerElement, RtmComposerFilesEvent, RtmComposerSubmitEvent } from '../rtm-composer/rtm-composer.js';
import type { RtmComposerVoiceEvent } from '../rtm-composer/voice-recorder.js';
import {
  RtmQuoteActivateEvent,
  type MessageReceipt,
  type RtmListPinnedEvent,
  type RtmMessageActionEvent,
  type RtmMessageListElement,
  RtmMessageRetryEvent,
} from '../rtm-message-list/rtm-message-list.js';
import { importMessageActions, type MessageActionsModule } from '../rtm-message-list/load-message-actions.js';

import { importSearchView } from './load-search-view.js';
import { importFileDrop, type FileDropModule } from './load-file-drop.js';

let replyBar: MessageActionsModule['renderReplyBar'] | undefined;
import { sharedStyles } from '../internal/shared.styles.js';
import { channelStyles } from './rtm-channel.styles.js';
import { errorText } from '../internal/error-text.js';

/**
 * One conversation: a peer chat (`peer="bob"`) or a channel (`channel="lobby"`). Shows the message
 * log and a composer. Must sit inside an `<rtm-chat>`, which provides the signed-in session.
 * Showing a channel joins it, and the membership outlasts the element: once removed, the channel
 * stays joined and in the conversation list, still counting unread messages. To end it, call
 * `session.leave(key)` (key: the element's `conversation`).
 *
 * @example
 * <rtm-chat server="https://chat.example.com" app-id="demo" user-id="alice" token="…">
 *   <rtm-channel peer="bob"></rtm-channel>
 * </rtm-chat>
 *
 * @csspart search-button - opens the search dialog (`search-dialog`, `search-input`, `search-results`, `search-result`, `search-more-button`)
 * @fires rtm-error - a message could not be sent (detail: { error, conversation })
 * @csspart header - the title bar
 * @csspart title - the conversation name
 * @csspart messages - the message list (its inner parts are exported: log, message, message-own,
 *   message-other, meta, sender, time, bubble, status, retry-button, empty)
 * @csspart composer - the composer (its inner parts are exported: form, input, send-button,
 *   attach-button, error)
 * @csspart drop-hint - the overlay shown while files are dragged over the conversation
 * @csspart typing - the "bob is typing…" line
 * @csspart presence - the online dot of a peer in the header
 * @csspart avatar - the peer's avatar in the header (from their `avatarUrl` user attribute)
 * @cssprop --rtm-color-background - background of the conversation
 * @cssprop --rtm-color-accent - Send button and focus colour
 * @cssprop --rtm-color-own-bubble - background of your own messages
 *
 * @tagname rtm-channel
 */
export class RtmChannelElement extends LitElement {
  static override styles = [sharedStyles, ...channelStyles];

  // Declared without decorators: the decorator helpers cost the script-tag bundle bytes.
  static override properties = {
    peer: { reflect: true },
    channel: { reflect: true },
    noHeader: { type: Boolean, attribute: 'no-header', reflect: true },
    session: { attribute: false },
    replyTo: { state: true, attribute: false },
  };

  /** The message the next send replies to (chosen with Reply in its actions menu). */
  private replyTo: ChatMessage | undefined;

  /** User id of the peer for a one-to-one conversation. */
  peer: string | undefined;

  /** Channel name for a group conversation (used when `peer` is not set). */
  channel: string | undefined;

  /** Hides the title bar, for hosts that show their own. */
  noHeader = false;

  /** The session of the enclosing `<rtm-chat>` (from context), or set directly. */
  session: ChatSession | undefined;

  private get composer(): RtmComposerElement | null {
    return this.renderRoot.querySelector('rtm-composer');
  }

  private readonly messages = new StoreController<readonly ChatMessage[]>(this);
  private readonly receipts = new StoreController<ReadonlyMap<string, ChatReceipt>>(this);
  /** The first unread message when this conversation was opened (the "New" divider). */
  private readonly firstUnread = new StoreController<number | undefined>(this);
  private readonly typingUsers = new StoreController<readonly string[]>(this);
  private readonly presence = new StoreController<PeerStatus | undefined>(this);
  private readonly profiles = new StoreController<ReadonlyMap<string, ChatProfile>>(this);
  private get list(): RtmMessageListElement | null {
    return this.renderRoot.querySelector('rtm-message-list');
  }

  constructor() {
    super();
    // Renders again when the widget's locale changes (internal/locale.ts).
    updateWhenLocaleChanges(this);
    // The first file dragged in loads the file module, which then makes this a drop target.
    this.addEventListener('dragenter', (event) => event.dataTransfer?.types.includes('Files') && void this.withFiles(event).catch(() => undefined));
    new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: (session) => (this.session = session) });
  }

  /** The conversation this element shows, or undefined until peer/channel and a session are set. */
  get conversation(): ConversationKey | undefined {
    if (!this.session) return undefined;
    if (this.peer) return this.session.conversationKey('peer', this.peer);
    if (this.channel) return this.session.conversationKey('channel', this.channel);
    return undefined;
  }

  /** A user's display name, or their user id. */
  private nameOf = (uid: string): string => this.profiles.value?.get(uid)?.name ?? uid;

  private get conversationTitle(): string {
    if (this.peer) return this.nameOf(this.peer);
    if (this.channel) return `#${this.channel}`;
    return '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session') || changed.has('peer') || changed.has('channel')) {
      const key = this.conversation;
      const session = key ? this.session : undefined;
      this.messages.setStore(session && key ? session.messagesOf(key) : undefined);
      this.receipts.setStore(session && key ? session.receiptsOf(key) : undefined);
      this.firstUnread.setStore(session && key ? session.firstUnreadOf(key) : undefined);
      this.typingUsers.setStore(session && key ? session.$typingOf(key) : undefined);
      this.presence.setStore(session && this.peer ? session.presenceOf(this.peer) : undefined);
      this.profiles.setStore(session?.$profiles);
      this.reachedStart = false;
    }
    // A new function only when the receipts change: the list re-renders for them, not for typing.
    const receipts = this.receipts.value;
    const profiles = this.profiles.value;
    if (receipts !== this.receiptsShown || profiles !== this.profilesShown) {
      this.receiptsShown = receipts;
      this.profilesShown = profiles;
      this.receiptOf = receipts && ((message) => receiptText(receipts.get(message.localId), this.nameOf));
    }
    // The people this view names: the peer, the senders, who read what.
    const messages = this.messages.value;
    if (this.session && messages !== this.profilesAskedFor) {
      this.profilesAskedFor = messages;
      const shown = new Set(messages?.map((message) => message.from));
      if (this.peer) shown.add(this.peer);
      for (const receipt of receipts?.values() ?? []) {
        if (receipt.kind === 'channel') for (const uid of [...(receipt.readers ?? []), ...(receipt.nonReaders ?? [])]) shown.add(uid);
      }
      this.session.loadProfiles(shown);
    }
  }

  private receiptsShown: ReadonlyMap<string, ChatReceipt> | undefined;
  private profilesShown: ReadonlyMap<string, ChatProfile> | undefined;
  private profilesAskedFor: readonly ChatMessage[] | undefined;
  private receiptOf: ((message: ChatMessage) => MessageReceipt | undefined) | undefined;

  protected override updated(): void {
    this.markReadIfSeen();
  }

  /**
   * Marks the conversation read when the user can actually see the newest message: it is in
   * view, the page is visible and has focus.
   */
  private markReadIfSeen = (): void => {
    const key = this.conversation;
    if (!key || !this.session || !this.list?.pinned) return;
    if (document.visibilityState !== 'visible' || !document.hasFocus()) return;
    this.session.markRead(key);
  };

  /** Whether the beginning of the conversation has been reached (nothing older to load). */
  private reachedStart = false;

  private onLoadOlder(): void {
    const key = this.conversation;
    if (!key || !this.session || this.reachedStart) return;
    const session = this.session;
    void session.loadOlder(key).then((more) => {
      if (!more && this.conversation === key && this.session === session) this.reachedStart = true;
    });
  }

  private onPinned(event: RtmListPinnedEvent): void {
    if (event.pinned) this.markReadIfSeen();
  }

  private onComposerInput(): void {
    const key = this.conversation;
    if (key) this.session?.typing(key);
  }

  private onSubmit(event: RtmComposerSubmitEvent): void {
    const key = this.conversation;
    if (!key || !this.session) return;
    const text = event.text;
    const refusal = this.session.validateDraft(key, text);
    if (refusal) {
      this.composer?.showError(errorText(refusal));
      return;
    }
    this.composer?.clear();
    const replyTo = this.replyTo;
    this.replyTo = undefined;
    // "@bob" mentions bob, "@all" everyone of a channel (the server drops ids that are not user ids).
    const named = [...text.matchAll(/(?:^|\s)@([^\s@]+)/g)].map((match) => match[1]!);
    const mentionAll = key.startsWith('channel:') && named.includes('all');
    const mentions = named.filter((uid) => uid !== 'all' && isValidUserId(uid));
    this.session.send(key, text, { replyTo, mentions, mentionAll }).catch((error: unknown) => this.reportError(error, key));
  }

  /** Files dragged in, picked or pasted: handled by the file module (loaded with the first). */
  #files: InstanceType<FileDropModule['FileDrop']> | undefined;
  #filesReady: Promise<InstanceType<FileDropModule['FileDrop']>> | undefined;

  private withFiles(first?: DragEvent): Promise<InstanceType<FileDropModule['FileDrop']>> {
    return (this.#filesReady ??= importFileDrop().then(
      (module) => (this.#files = new module.FileDrop(this, first)),
      (error: unknown) => {
        this.#filesReady = undefined;
        throw new RtmError('INTERNAL_ERROR', `Could not load the file handling: ${String(error)}`);
      },
    ));
  }

  /** @internal For the file module: why files were refused. */
  showComposerError(message: string): void {
    this.composer?.showError(message);
  }

  private onComposerFiles(event: RtmComposerFilesEvent): void {
    this.withFiles().then(
      (files) => files.send(event.files),
      (error: unknown) => this.showComposerError(errorText(error)),
    );
  }

  /** Resolves once rendered with the file module loaded, when a drag or a pick asked for it. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.#filesReady || this.#files) return done;
    await this.#filesReady.catch(() => undefined);
    return super.getUpdateComplete();
  }

  private onVoice(event: RtmComposerVoiceEvent): void {
    const key = this.conversation;
    try {
      if (key) this.session?.sendVoice(key, event.file, event.durationMs);
    } catch (error) {
      this.composer?.showError(errorText(error));
    }
  }

  /** A channel's members (other than you) for the composer's mention picker. */
  private mentionCandidates = (): readonly string[] => {
    const key = this.conversation;
    const session = this.session;
    return (key && session?.readersOf(key).get()?.members.map((member) => member.uid).filter((uid) => uid !== session.userId)) || [];
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.markReadIfSeen);
    window.addEventListener('focus', this.markReadIfSeen);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.markReadIfSeen);
    window.removeEventListener('focus', this.markReadIfSeen);
  }

  private onRetry(event: RtmMessageRetryEvent): void {
    const key = this.conversation;
    if (!key || !this.session) return;
    this.session.retry(key, event.localId).catch((error: unknown) => this.reportError(error, key));
  }

  /** Reactions, edits, retractions, deletions: a refusal (too late to retract, say) shows under the composer. */
  private onMessageAction(event: RtmMessageActionEvent): void {
    const session = this.session;
    if (!session) return;
    // Carried out by the actions module (loaded with the menu, or now for a reaction button).
    void importMessageActions().then((module) => {
      replyBar = module.renderReplyBar;
      module.runAction(session, event.message, event.action, {
        reply: (message) => {
          this.replyTo = message;
          this.composer?.focus();
        },
        refused: (error) => {
          this.reportError(error, event.message.conversation);
          this.composer?.showError(errorText(error));
        },
      });
    });
  }

  /** Opens the search dialog (loaded on first use); a result shows its message here. */
  private async openSearch(event: Event): Promise<void> {
    const key = this.conversation;
    const session = this.session;
    const opener = event.currentTarget as HTMLElement;
    if (!key || !session) return;
    (await importSearchView()).openSearch({
      session,
      key,
      root: this.renderRoot as ShadowRoot,
      opener,
      show: (seq) => this.onQuote(new RtmQuoteActivateEvent(seq)),
    });
  }

  /** A reply's quote was activated: show the original, paging back through history until it is loaded. */
  private async onQuote(event: RtmQuoteActivateEvent): Promise<void> {
    const key = this.conversation;
    const session = this.session;
    if (!key || !session) return;
    const loaded = () => session.messagesOf(key).get().some((m) => m.seq === event.seq);
    while (!loaded() && (await session.loadOlder(key)));
    if (loaded()) this.list?.scrollToSeq(event.seq);
  }

  private reportError(error: unknown, conversation: ConversationKey): void {
    const rtmError = error instanceof RtmError ? error : new RtmError('INTERNAL_ERROR', String(error));
    this.dispatchEvent(new RtmErrorEvent({ error: rtmError, conversation }));
  }

  private renderAvatar() {
    const avatar = this.peer && this.profiles.value?.get(this.peer)?.avatar;
    // Decorative: the name is the title next to it.
    return avatar ? html`<img part="avatar" class="avatar" src=${avatar} alt="" referrerpolicy="no-referrer" />` : nothing;
  }

  private renderPresence() {
    const status = this.presence.value;
    if (!this.peer || !status) return nothing;
    const online = status === 'ONLINE';
    return html`<span part="presence" class=${online ? 'online' : 'offline'}></span
      ><span class="visually-hidden">${online ? strings.online() : strings.offline()}</span>`;
  }

  override render() {
    const ready = Boolean(this.conversation);
    const typing = this.typingUsers.value ?? [];
    return html`
      ${this.noHeader
        ? nothing
        : html`<div part="header">
            ${this.renderAvatar()}${this.renderPresence()}<h2 part="title">${this.conversationTitle}</h2>
            <button part="search-button" class="pill" type="button" aria-label=${strings.searchMessages()} @click=${this.openSearch}>⌕</button>
          </div>`}
      <rtm-message-list
        part="messages"
        exportparts="log, message, message-own, message-other, meta, sender, avatar, time, bubble, attachment-bubble, status, retry-button, empty, attachment, caption, receipt-button, receipt-details, new-divider, new-messages-button, jump-button, retracted, edited, actions-button, actions-menu, actions-item, emoji-picker, emoji-button, emoji-input, edit-dialog, edit-input, save-button, cancel-button, reactions, reaction, reaction-mine, quote, quote-sender, mention, location, unsupported"
        .messages=${this.messages.value ?? []}
        .profiles=${this.profiles.value}
        label=${strings.messages(this.conversationTitle)}
        .receiptOf=${this.receiptOf}
        .firstUnreadSeq=${this.firstUnread.value}
        @rtm-message-retry=${this.onRetry}
        @rtm-message-action=${this.onMessageAction}
        @rtm-quote-activate=${this.onQuote}
        @rtm-list-pinned=${this.onPinned}
        @rtm-load-older=${this.onLoadOlder}
      ></rtm-message-list>
      <div part="typing" class="typing" aria-live="polite">${typing.length ? strings.typing(typing.map(this.nameOf)) : ''}</div>
      ${this.replyTo && replyBar ? replyBar({ ...this.replyTo, from: this.nameOf(this.replyTo.from) }, () => (this.replyTo = undefined)) : nothing}
      <rtm-composer
        part="composer"
        exportparts="form, input, send-button, attach-button, record-button, recording, recording-time, cancel-recording-button, mention-list, mention-option, error"
        ?disabled=${!ready}
        .mentionCandidates=${this.channel && !this.peer ? this.mentionCandidates : undefined}
        @rtm-composer-submit=${this.onSubmit}
        @rtm-composer-files=${this.onComposerFiles}
        @rtm-composer-voice=${this.onVoice}
        @input=${this.onComposerInput}
      ></rtm-composer>
      ${this.#files?.render()}
    `;
  }
}

/** What a message's receipt says: delivered/read (peer), read by N (channel). */
function receiptText(receipt: ChatReceipt | undefined, nameOf: (uid: string) => string): MessageReceipt | undefined {
  if (receipt?.kind === 'channel') return { text: strings.readBy(receipt.read), readers: receipt.readers?.map(nameOf), nonReaders: receipt.nonReaders?.map(nameOf) };
  if (receipt?.state === 'read') return { text: strings.read() };
  if (receipt?.state === 'delivered') return { text: strings.delivered() };
  return undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-channel': RtmChannelElement;
  }
}

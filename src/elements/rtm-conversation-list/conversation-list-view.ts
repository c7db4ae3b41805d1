import { ContextEvent } from '@lit/context';
import type { ReactiveControllerHost } from 'lit';
import { html, nothing, render } from 'lit/html.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, ChatSession, ConversationKey, ConversationSummary } from '../../store/index.js';
import { sessionContext } from '../internal/context.js';
import { adoptCss, css } from '../internal/css-text.js';
import { formatCount, formatMessageTime } from '../internal/format.js';
import { menuItemCss } from '../internal/menu.styles.js';
import { openPopover } from '../internal/popover.js';
import { strings } from '../internal/strings.js';
import { listStrings } from './conversation-list-view.strings.js';
import { importNewConversation, type NewConversationModule } from './load-new-conversation.js';
import { PresenceWatch } from './presence-watch.js';

/**
 * What `<rtm-conversation-list>` draws: one row per conversation with its name, time, preview and
 * unread badge. Loaded when an inbox is first shown (a companion file of the script-tag build, a
 * chunk of the ESM build): pages that embed single conversations never need it.
 */
export interface ConversationListHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly conversations: readonly ConversationSummary[];
  readonly selected: ConversationKey | undefined;
  readonly session: ChatSession | undefined;
  /** Hides the New conversation button (`<rtm-chat no-new-conversation>`). */
  readonly noNewConversation: boolean;
  /** Opens `key`; `started` when it came from the New conversation form (it may not be listed yet). */
  select(key: ConversationKey, started?: boolean): void;
}

const conversationListCss = css`
    .start {
      position: sticky;
      top: 0;
      z-index: 2;
      padding: var(--_gap);
      border-bottom: 1px solid var(--_border);
      background: var(--_surface);
    }

    [part~='new-conversation-button'] {
      width: 100%;
      padding-block: 0.3rem;
      border-color: var(--_accent);
      color: var(--_accent);
      font-size: inherit;
      font-weight: 600;
    }

    .row-actions {
      position: relative;
      z-index: 1;
      border: none;
      background: none;
      color: var(--_muted);
      font: inherit;
      line-height: 1;
      padding: 0 0.25rem;
      cursor: pointer;
    }

    [part~='conversation-menu'] {
      position: fixed;
      z-index: 10;
      display: flex;
      flex-direction: column;
      padding: 0.25rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_bg);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.2);
    }

    ${menuItemCss}

    .mention {
      color: var(--_accent);
      font-weight: 700;
    }

    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }

    [part~='empty'] {
      margin: 0;
      padding: calc(var(--_gap) * 1.5);
      color: var(--_muted);
    }

    li {
      position: relative;
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      padding: 0.625rem 0.75rem;
      border-bottom: 1px solid var(--_border);
    }

    li:hover {
      background: color-mix(in srgb, var(--_accent) 6%, transparent);
    }

    li.current {
      background: var(--_bg);
    }

    [part~='conversation'] {
      flex: 1;
      min-width: 0;
      padding: 0;
      border: none;
      background: none;
      color: inherit;
      font: inherit;
      text-align: start;
      cursor: pointer;
    }

    [part~='conversation']::after {
      content: '';
      position: absolute;
      inset: 0;
    }

    [part~='conversation']:focus-visible {
      outline: none;
    }

    [part~='conversation']:focus-visible::after {
      outline: 2px solid var(--_focus);
      outline-offset: -2px;
    }

    .top,
    .bottom {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-width: 0;
    }

    [part~='name'] {
      display: block;
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    [part~='time'],
    [part~='preview'] {
      color: var(--_muted);
      font-size: 0.8125em;
    }

    [part~='preview'] {
      flex: 1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    [part~='badge'] {
      min-width: 1.25rem;
      padding: 0 0.375rem;
      border-radius: 999px;
      background: var(--_accent);
      color: var(--_on-accent);
      font-size: 0.75em;
      font-weight: 700;
      line-height: 1.25rem;
      text-align: center;
    }

    [part~='presence'] {
      width: 0.5rem;
      height: 0.5rem;
      border-radius: 50%;
      background: var(--_muted);
    }

    [part~='avatar'] {
      width: var(--rtm-avatar-size, 1.75rem);
      height: var(--rtm-avatar-size, 1.75rem);
      border-radius: 50%;
      object-fit: cover;
      flex-shrink: 0;
    }

    [part~='presence'].online {
      background: var(--rtm-color-online, #1a7f37);
    }
`;

/** The one-line preview of a conversation's latest message. */
function preview(message: ChatMessage | undefined): string {
  if (!message) return '';
  if (message.retractedAt !== undefined) return strings.retracted(message.own ? strings.you() : message.from);
  const attachment = message.attachment;
  const content = message.message;
  const body = attachment
    ? listStrings.preview[attachment.kind](attachment.fileName)
    : content.messageType === 'LOCATION'
      ? listStrings.previewLocation(content.name ?? content.address ?? '')
      : content.messageType === 'CUSTOM'
        ? (content.description ?? strings.unsupported())
        : (message.text ?? '');
  const line = body.replace(/\s+/g, ' ').trim();
  return message.own ? listStrings.previewOwn(line) : line;
}

/**
 * A conversation's menu: delete it for this user, with or without its history (seeds 002, 003).
 * Arrow keys move, Escape closes and focus goes back to the button. The session comes from the
 * enclosing `<rtm-chat>` (a context request from the button).
 */
function openRowMenu(button: HTMLElement, key: ConversationKey): void {
  let session: ChatSession | undefined;
  button.dispatchEvent(new ContextEvent(sessionContext, button, (value: ChatSession | undefined) => (session = value)));
  const { layer, position, close, keys } = openPopover(button, 'row-menu');
  const remove = (history: boolean) => {
    close(true);
    session?.deleteConversation(key, { history }).catch((error: unknown) => console.warn('rtm-chat: could not delete the conversation.', error));
  };
  render(
    html`<div part="conversation-menu" role="menu" aria-label=${listStrings.conversationActions} style=${position} @keydown=${keys('[role="menuitem"]')}>
      <button part="conversation-menu-item" class="menu-item" role="menuitem" type="button" tabindex="-1" @click=${() => remove(false)}>${listStrings.deleteConversation}</button>
      <button part="conversation-menu-item" class="menu-item" role="menuitem" type="button" tabindex="-1" @click=${() => remove(true)}>${listStrings.deleteWithHistory}</button>
    </div>`,
    layer,
  );
  layer.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
}

const presenceWatches = new WeakMap<ConversationListHost, PresenceWatch>();

/** Keeps the online dots of the list's most recent peers live (after each update of the list). */
export function watchPresence(host: ConversationListHost): void {
  let watch = presenceWatches.get(host);
  if (!watch) presenceWatches.set(host, (watch = new PresenceWatch(host)));
  watch.update(host.session, host.conversations);
}

/** The form's module, once loaded. */
let formModule: NewConversationModule | undefined;
let formLoad: Promise<NewConversationModule> | undefined;

function loadForm(): Promise<NewConversationModule> {
  return (formLoad ??= importNewConversation().then(
    (module) => (formModule = module),
    (error: unknown) => {
      // Tried again with the next press.
      formLoad = undefined;
      throw error;
    },
  ));
}

/**
 * Starts loading the form when the button is pointed at or focused, so it is there (and the
 * keyboard in its textbox) by the time the button is pressed and the user types. A failure is
 * reported by the press.
 */
const preloadForm = () => void loadForm().catch(() => {});

function pressNewConversation(host: ConversationListHost): void {
  void loadForm().then(
    (module) => module.toggleNewConversation(host),
    (error: unknown) => console.warn('rtm-chat: could not load the new conversation form.', error),
  );
}

/** The New conversation button, and its form while open. */
function renderStart(host: ConversationListHost) {
  if (host.noNewConversation) return nothing;
  const open = formModule?.isNewConversationOpen(host) ?? false;
  return html`<div class="start">
    <button
      part="new-conversation-button"
      id="new-conversation-button"
      class="pill"
      type="button"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${open ? 'new-conversation' : nothing}
      @pointerenter=${preloadForm}
      @focus=${preloadForm}
      @click=${() => pressNewConversation(host)}
    >
      <span aria-hidden="true">+</span> ${listStrings.newConversation}
    </button>
    ${formModule?.renderNewConversation(host) ?? nothing}
  </div>`;
}

export function renderConversationList(host: ConversationListHost) {
  adoptCss(host.renderRoot as ShadowRoot, conversationListCss);
  return html`${renderStart(host)}${renderList(host)}`;
}

function renderList(host: ConversationListHost) {
  if (host.conversations.length === 0) return html`<p part="empty">${listStrings.noConversations}</p>`;
  return html`<ul part="list" role="list">
    ${repeat(
      host.conversations,
      (entry) => entry.key,
      (entry, index) => {
        const detailsId = `details-${index}`;
        const name = entry.kind === 'channel' ? `#${entry.id}` : (entry.name ?? entry.id);
        const last = entry.lastMessage;
        // The button holds only the name, so its accessible name is exactly the peer or channel;
        // its ::after stretches over the whole row, so the row is the click target.
        return html`<li part="conversation-row" class=${entry.key === host.selected ? 'current' : ''}>
          <span class="top">
            ${entry.avatar ? html`<img part="avatar" src=${entry.avatar} alt="" referrerpolicy="no-referrer" />` : nothing}
            ${entry.kind === 'peer' && entry.online !== undefined
              ? html`<span part="presence" class=${entry.online ? 'online' : 'offline'} aria-hidden="true"></span>`
              : nothing}
            <button
              part="conversation"
              type="button"
              aria-describedby=${detailsId}
              aria-current=${entry.key === host.selected ? 'true' : 'false'}
              @click=${() => host.select(entry.key)}
            >
              <span part="name">${name}</span>
            </button>
            ${last ? html`<time part="time" datetime=${new Date(last.ts).toISOString()}>${formatMessageTime(last.ts)}</time>` : nothing}
            <button
              part="conversation-actions-button"
              class="row-actions"
              type="button"
              aria-label=${listStrings.actionsFor(name)}
              aria-haspopup="menu"
              aria-expanded="false"
              @click=${(event: Event) => openRowMenu(event.currentTarget as HTMLElement, entry.key)}
            >
              ⋯
            </button>
          </span>
          <span class="bottom" id=${detailsId}>
            <span part="preview">${preview(last)}</span>
            ${entry.mentioned
              ? html`<span part="mention-badge" class="mention">@<span class="visually-hidden">${listStrings.mentioned}</span></span>`
              : nothing}
            ${entry.unread > 0
              ? html`<span part="badge">${formatCount(entry.unread)}<span class="visually-hidden">${strings.unreadSuffix()}</span></span>`
              : nothing}
          </span>
        </li>`;
      },
    )}
  </ul>`;
}

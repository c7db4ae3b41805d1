import { html, render } from 'lit/html.js';
import { RETRACT_WINDOW_MS, parseReaction } from '../../protocol/index.js';
import { ContextEvent } from '@lit/context';
import type { ChatMessage, ChatSession } from '../../store/index.js';
import { sessionContext } from '../internal/context.js';
import { css } from '../internal/css-text.js';
import { menuItemCss } from '../internal/menu.styles.js';
import { strings } from '../internal/strings.js';
import { actionStrings } from './message-actions.strings.js';
import { openPopover } from '../internal/popover.js';
import type { MessageAction, MessageReceipt } from './rtm-message-list.js';
import { errorText } from '../internal/error-text.js';

/**
 * A message's actions menu — react (with a small picker: common emoji, or any one emoji typed),
 * edit (a dialog), retract, delete for me, copy text — with the keyboard of a menu: arrows,
 * Home/End, Escape (focus goes back to the button that opened it). Loaded on first use (a
 * companion file of the script-tag build, a chunk of the ESM build): most readers never open it.
 */
export interface ActionsRequest {
  message: ChatMessage;
  /** The button that opened the menu; focus returns to it, and the menu is drawn in its shadow root (so its parts and theme apply). */
  anchor: HTMLElement;
  act(action: MessageAction): void;
}

/** The reactions offered at once; any other emoji can be typed. */
const COMMON_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉', '👀', '🔥', '✅', '👎', '😊'];

const styles = css`
  .layer [part~='actions-menu'],
  .layer [part~='emoji-picker'] {
    position: fixed;
    z-index: 10;
    display: flex;
    flex-direction: column;
    min-width: 10rem;
    padding: 0.25rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.2);
  }
  .layer [part~='emoji-picker'] {
    display: grid;
    grid-template-columns: repeat(6, 2.25rem);
    gap: 0.125rem;
    min-width: 0;
  }
  ${menuItemCss}
  .layer [part~='emoji-button'] {
    font-size: 1.25em;
    padding: 0.25rem;
    text-align: center;
  }
  .layer [part~='emoji-input'] {
    grid-column: 1 / -1;
    font: inherit;
    padding: 0.25rem 0.5rem;
  }
  .layer [part~='edit-dialog'] {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    width: min(32rem, 90vw);
  }
  .layer [part~='edit-input'] {
    box-sizing: border-box;
    width: 100%;
    min-height: 5rem;
    font: inherit;
  }
  .layer .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-top: 0.5rem;
  }
`;

interface Item {
  label: string;
  run(): void;
}

export function openMessageActions(request: ActionsRequest): void {
  const { anchor, message, act } = request;
  const { layer, position, close, keys, stayOpen } = openPopover(anchor, 'layer');

  const choose = (action: MessageAction) => {
    close(true);
    act(action);
  };

  const items: Item[] = [];
  const stored = message.id !== undefined && message.retractedAt === undefined;
  if (stored) items.push({ label: actionStrings.reply, run: () => choose({ kind: 'reply' }) });
  if (stored) items.push({ label: actionStrings.react, run: () => showPicker() });
  if (stored && message.own && message.text !== undefined) items.push({ label: actionStrings.edit, run: () => showEditor() });
  // The server decides with its clock; this only hides what is clearly too late.
  if (stored && message.own && Date.now() - message.ts < RETRACT_WINDOW_MS) items.push({ label: actionStrings.retract, run: () => choose({ kind: 'retract' }) });
  if (stored) items.push({ label: actionStrings.forward, run: () => showTargets() });
  if (message.id !== undefined) items.push({ label: actionStrings.deleteForMe, run: () => choose({ kind: 'delete' }) });
  if (message.text !== undefined) {
    items.push({ label: actionStrings.copyText, run: () => (close(true), void navigator.clipboard?.writeText(message.text ?? '')) });
  }

  const draw = (content: unknown) => render(html`<style>${styles}</style>${content}`, layer);

  draw(html`<div part="actions-menu" role="menu" aria-label=${strings.messageActions()} style=${position} @keydown=${keys('[role="menuitem"]')}>
    ${items.map((item) => html`<button part="actions-item" class="menu-item" role="menuitem" type="button" tabindex="-1" @click=${item.run}>${item.label}</button>`)}
  </div>`);
  layer.querySelector<HTMLElement>('[role="menuitem"]')?.focus();

  function showPicker(): void {
    const react = (emoji: string) => choose({ kind: 'react', emoji });
    const typed = (event: KeyboardEvent) => {
      if (event.key !== 'Enter') return;
      const input = event.target as HTMLInputElement;
      try {
        react(parseReaction(input.value.trim()));
      } catch (error) {
        input.setCustomValidity(errorText(error));
        input.reportValidity();
      }
    };
    draw(html`<div part="emoji-picker" role="group" aria-label=${actionStrings.chooseReaction} style=${position} @keydown=${keys('[part~="emoji-button"]', 6)}>
      ${COMMON_EMOJI.map(
        (emoji) => html`<button part="emoji-button" class="menu-item" type="button" aria-label=${emoji} @click=${() => react(emoji)}>${emoji}</button>`,
      )}
      <input part="emoji-input" aria-label=${actionStrings.otherEmoji} placeholder=${actionStrings.otherEmoji} @keydown=${typed} @input=${(e: Event) => (e.target as HTMLInputElement).setCustomValidity('')} />
    </div>`);
    layer.querySelector<HTMLElement>('[part~="emoji-button"]')?.focus();
  }

  /** The conversations to forward to: this user's others, from the session of the enclosing `<rtm-chat>`. */
  function showTargets(): void {
    let session: ChatSession | undefined;
    anchor.dispatchEvent(new ContextEvent(sessionContext, anchor, (value: ChatSession | undefined) => (session = value)));
    const targets = (session?.$conversations.get() ?? []).filter((entry) => entry.key !== message.conversation);
    draw(html`<div part="actions-menu" role="menu" aria-label=${actionStrings.forwardTo} style=${position} @keydown=${keys('[role="menuitem"]')}>
      ${targets.map(
        (entry) => html`<button part="actions-item" class="menu-item" role="menuitem" type="button" tabindex="-1" @click=${() => choose({ kind: 'forward', to: entry.key })}>
          ${entry.kind === 'channel' ? `#${entry.id}` : entry.id}
        </button>`,
      )}
    </div>`);
    layer.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }

  function showEditor(): void {
    stayOpen();
    const save = () => {
      const text = layer.querySelector('textarea')!.value;
      if (text.trim() && text !== message.text) choose({ kind: 'edit', text });
      else close(true);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        save();
      }
    };
    draw(html`<dialog part="edit-dialog" aria-label=${actionStrings.editMessage} @close=${() => close(true)}>
      <textarea part="edit-input" aria-label=${actionStrings.editMessage} .value=${message.text ?? ''} @keydown=${onKey}></textarea>
      <div class="buttons">
        <button part="cancel-button" class="pill" type="button" @click=${() => close(true)}>${strings.cancel()}</button>
        <button part="save-button" class="pill" type="button" @click=${save}>${actionStrings.save}</button>
      </div>
    </dialog>`);
    const dialog = layer.querySelector('dialog')!;
    dialog.showModal();
    const input = layer.querySelector('textarea')!;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }
}

/** The readers and non-readers of one of this user's channel messages ("Read by N", opened). */
export function renderReceiptDetails(id: string, receipt: MessageReceipt) {
  return html`<div part="receipt-details" id=${id}>
    <p>${actionStrings.readers}: ${receipt.readers?.length ? receipt.readers.join(', ') : '—'}</p>
    <p>${actionStrings.notReadYet}: ${receipt.nonReaders?.length ? receipt.nonReaders.join(', ') : '—'}</p>
  </div>`;
}

/** "Replying to bob" with Cancel, above the composer while a reply is being written. */
export function renderReplyBar(original: ChatMessage, cancel: () => void) {
  return html`<div part="reply-bar" class="typing reply-bar">
    <span>${actionStrings.replyingTo(original.own ? strings.you() : original.from)}</span>
    <button part="cancel-reply-button" class="pill" type="button" aria-label=${actionStrings.cancelReply} @click=${cancel}>${strings.cancel()}</button>
  </div>`;
}

/** Carries out an action of the menu or of a reaction button through the session. */
export function runAction(
  session: ChatSession,
  message: ChatMessage,
  action: MessageAction,
  on: { reply(message: ChatMessage): void; refused(error: Error): void },
): void {
  if (action.kind === 'reply') {
    on.reply(message);
    return;
  }
  const done =
    action.kind === 'react'
      ? session.toggleReaction(message, action.emoji)
      : action.kind === 'edit'
        ? session.edit(message, action.text)
        : action.kind === 'retract'
          ? session.retract(message)
          : action.kind === 'forward'
            ? session.forward(message, action.to)
            : session.deleteForMe(message);
  done.catch((error: unknown) => on.refused(error instanceof Error ? error : new Error(String(error))));
}

import { html } from 'lit/html.js';
import { MAX_MENTION_SUGGESTIONS } from '../../protocol/index.js';
import { adoptCss, css } from '../internal/css-text.js';
import { mentionStrings } from './mention-picker.strings.js';

/**
 * The composer's mention picker: typing "@" (and the start of a name) in a channel lists the
 * channel's members whose id starts with it, and "all". ArrowUp/ArrowDown move, Enter or Tab puts
 * "@uid " in place of what was typed, Escape closes; a pointer picks too. The textbox keeps focus
 * and points at the active option (`aria-activedescendant`), as a combobox's textbox does. Loaded
 * the first time "@" is typed where mentions are offered (a companion file of the script-tag
 * build, a chunk of the ESM build).
 */

/** What the picker needs of the composer. */
export interface MentionHost extends HTMLElement {
  /** The user ids that can be mentioned here; unset where mentions are not offered. */
  mentionCandidates: (() => readonly string[]) | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
  requestUpdate(): void;
}

/** "@" then the name typed so far, at the caret: at the start or after a space. */
const MENTION_AT_CARET = /(?:^|\s)@([^\s@]*)$/;

const styles = css`
  [part~='mention-list'] {
    position: absolute;
    inset-inline-start: var(--_gap);
    bottom: 100%;
    z-index: 5;
    min-width: 12rem;
    max-width: calc(100% - 2 * var(--_gap));
    margin: 0 0 0.25rem;
    padding: 0.25rem;
    list-style: none;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.15);
  }

  [part~='mention-option'] {
    padding: 0.375rem 0.5rem;
    border-radius: calc(var(--_radius) / 2);
    overflow-wrap: anywhere;
    cursor: pointer;
  }

  [part~='mention-option'][aria-selected='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }

  [part~='mention-option'] small {
    opacity: 0.8;
  }
`;

export class MentionPicker {
  readonly #host: MentionHost;
  /** The ids offered now ("all" first when it matches); empty while closed. */
  options: readonly string[] = [];
  active = 0;
  /** Where the "@" being completed starts in the text. */
  #at = 0;

  constructor(host: MentionHost) {
    this.#host = host;
    adoptCss(host.renderRoot as ShadowRoot, styles);
  }

  get #textarea(): HTMLTextAreaElement {
    return this.#host.renderRoot.querySelector('textarea')!;
  }

  /** Looks at the word at the caret again (after typing or moving the caret). */
  update(): void {
    const textarea = this.#textarea;
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = MENTION_AT_CARET.exec(before);
    const candidates = this.#host.mentionCandidates?.();
    if (!match || !candidates) return this.close();
    const typed = match[1]!.toLowerCase();
    this.#at = before.length - match[1]!.length - 1;
    this.options = ['all', ...candidates.filter((uid) => uid !== 'all')]
      .filter((uid) => uid.toLowerCase().startsWith(typed))
      .slice(0, MAX_MENTION_SUGGESTIONS);
    this.active = Math.min(this.active, Math.max(0, this.options.length - 1));
    this.#sync();
  }

  close(): void {
    this.options = [];
    this.active = 0;
    this.#sync();
  }

  /** A key typed in the textbox: true when the picker used it (the composer then ignores it). */
  handleKey(event: KeyboardEvent): boolean {
    const count = this.options.length;
    if (count === 0 || event.isComposing) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
      this.#sync();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      this.choose(this.options[this.active]!);
    } else if (event.key === 'Escape') {
      this.close();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  /** Puts "@uid " in place of the "@…" typed, and the caret after it. */
  choose(uid: string): void {
    const textarea = this.#textarea;
    const end = textarea.selectionStart;
    textarea.setRangeText(`@${uid} `, this.#at, end, 'end');
    // The composer keeps its draft from input events.
    textarea.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    this.close();
  }

  /** The textbox points at the list and its active option while it is open. */
  #sync(): void {
    const textarea = this.#textarea;
    const open = this.options.length > 0;
    textarea.setAttribute('aria-autocomplete', 'list');
    if (open) {
      textarea.setAttribute('aria-controls', 'mention-list');
      textarea.setAttribute('aria-activedescendant', `mention-${this.active}`);
    } else {
      textarea.removeAttribute('aria-controls');
      textarea.removeAttribute('aria-activedescendant');
    }
    this.#host.requestUpdate();
  }

  render() {
    if (this.options.length === 0) return undefined;
    return html`<ul id="mention-list" part="mention-list" role="listbox" aria-label=${mentionStrings.members}>
      ${this.options.map(
        (uid, index) => html`<li
          id=${`mention-${index}`}
          part="mention-option"
          role="option"
          aria-selected=${index === this.active ? 'true' : 'false'}
          @pointerdown=${(event: Event) => {
            // Keeps the focus in the textbox.
            event.preventDefault();
            this.choose(uid);
          }}
        >
          @${uid}${uid === 'all' ? html` <small>${mentionStrings.everyone}</small>` : ''}
        </li>`,
      )}
    </ul>`;
  }
}

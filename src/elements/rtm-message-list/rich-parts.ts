import { html } from 'lit/html.js';
import type { MessageQuote } from '../../protocol/index.js';
import type { ChatMessage } from '../../store/index.js';
import { adoptCss, css } from '../internal/css-text.js';
import { strings } from '../internal/strings.js';
import { richStrings } from './rich-parts.strings.js';

/**
 * The parts of a message beyond its text and attachment — a reply's quote, the reactions under
 * it, and the bodies of the other types (location, custom, raw, unsupported) — with their styles.
 * Loaded when a list first shows such a message (a companion file of the script-tag build, a chunk
 * of the ESM build): a conversation of plain text never needs them.
 */

const richCss = css`
  [part~='quote'] {
    max-width: 100%;
    border: 0;
    border-inline-start: 3px solid var(--_accent);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    font-size: 0.8125em;
    text-align: start;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    cursor: pointer;
  }

  [part~='quote-sender'] {
    font-weight: 600;
  }

  [part~='reactions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin-top: 0.25rem;
  }

  /* A .pill (shared styles), a little tighter. */
  [part~='reaction'] {
    background: var(--_surface);
    padding: 0.05rem 0.5rem;
  }

  [part~='reaction-mine'] {
    border-color: var(--_accent);
  }
`;

/** Styles a list's shadow root for these parts (after its own styles). */
export function styleList(root: ShadowRoot): void {
  adoptCss(root, richCss);
}

/** What a reply quotes; activating it asks the list's owner to show the original. */
export function renderQuote(quote: MessageQuote, activate: () => void) {
  const excerpt = quote.retracted ? richStrings.quoteRetracted : (quote.excerpt ?? '');
  return html`<button part="quote" type="button" @click=${activate}>
    <span part="quote-sender">${quote.from}</span> ${excerpt}
  </button>`;
}

/** The reactions under a message: one toggle button per emoji, named with who reacted. */
export function renderReactions(message: ChatMessage, react: (emoji: string) => void) {
  return html`<div part="reactions">
    ${message.reactions!.map(
      (r) => html`<button
        part=${r.mine ? 'reaction reaction-mine' : 'reaction'}
        class="pill"
        type="button"
        aria-pressed=${r.mine ? 'true' : 'false'}
        aria-label=${richStrings.reaction(r.emoji, r.count, r.uids)}
        @click=${() => react(r.emoji)}
      >
        ${r.emoji} ${r.count}
      </button>`,
    )}
  </div>`;
}

/** How the list shows a message that is neither text nor an attachment. */
export interface OtherBodyOptions {
  /** The map link template, `{lat}` and `{lng}` replaced (setMapLink). */
  mapLink: string;
  /** The page's renderer of this CUSTOM type, if it registered one. */
  render?: (message: ChatMessage) => unknown;
}

/** The body of a RAW, LOCATION or CUSTOM message, or of a type this page cannot show. */
export function renderOtherBody(message: ChatMessage, options: OtherBodyOptions) {
  const raw = message.message;
  if (raw.messageType === 'RAW') return raw.description || `(${raw.rawMessage.byteLength} bytes of data)`;
  if (raw.messageType === 'LOCATION') {
    const href = options.mapLink.replaceAll('{lat}', String(raw.latitude)).replaceAll('{lng}', String(raw.longitude));
    // A link to the page's map of choice (no map script): the place's name and address are its text.
    return html`<a part="location" href=${href} target="_blank" rel="noopener noreferrer">${raw.name || richStrings.location} ${raw.address ?? ''}</a>`;
  }
  if (options.render) return options.render(message);
  return html`<span part="unsupported">${(raw as { description?: string }).description || strings.unsupported()}</span>`;
}

import { html, nothing, render } from 'lit/html.js';
import { msg } from '@lit/localize';
import type { ChatSearchPage, ChatSession, ConversationKey } from '../../store/index.js';
import { css } from '../internal/css-text.js';
import { formatMessageTime } from '../internal/format.js';
import { menuItemCss } from '../internal/menu.styles.js';
import { strings } from '../internal/strings.js';

/**
 * Searching a conversation (seed 002): a dialog with a search box and the results, newest first,
 * the query's words marked (text stays text: the marks are elements around plain text nodes);
 * choosing one closes the dialog and shows the message in the conversation. Loaded with the first
 * search (a companion file of the script-tag build, a chunk of the ESM build).
 */
export interface SearchRequest {
  session: ChatSession;
  key: ConversationKey;
  /** Where the dialog goes (the conversation's shadow root, so its parts and theme apply). */
  root: ShadowRoot;
  /** The button that opened it; focus returns there. */
  opener: HTMLElement;
  /** Shows the message with this seq in the conversation. */
  show(seq: number): void;
}

export const searchStrings = {
  get search() {
    return msg('Search messages');
  },
  get searching() {
    return msg('Searching…');
  },
  get none() {
    return msg('No messages found.');
  },
  get more() {
    return msg('Older results');
  },
} as const;

const styles = css`
  [part~='search-dialog'] {
    width: min(32rem, 90vw);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
  }
  [part~='search-input'] {
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    padding: 0.375rem 0.5rem;
  }
  [part~='search-results'] {
    list-style: none;
    margin: 0.5rem 0 0;
    padding: 0;
    max-height: 60vh;
    overflow-y: auto;
  }
  ${menuItemCss}
  [part~='search-result'] {
    display: block;
    width: 100%;
  }
  [part~='search-result'] small {
    color: var(--_muted);
  }
  mark {
    background: color-mix(in srgb, var(--_accent) 25%, transparent);
    color: inherit;
  }
`;

/** `text` with `[start, end)` ranges wrapped in <mark>, everything else as text. */
function marked(text: string, ranges: [number, number][]) {
  const parts: unknown[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    parts.push(text.slice(at, start), html`<mark>${text.slice(start, end)}</mark>`);
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

export function openSearch(request: SearchRequest): void {
  const { session, key, root, opener, show } = request;
  root.querySelector('.search-layer')?.remove();
  const layer = document.createElement('div');
  layer.className = 'search-layer';
  root.append(layer);
  let query = '';
  let page: ChatSearchPage | undefined;
  let busy = false;
  let error: string | undefined;

  const close = () => {
    layer.remove();
    opener.focus();
  };
  const run = async (more: boolean) => {
    if (!query.trim()) return;
    busy = true;
    draw();
    try {
      const next = await session.search({ query, key, ...(more && page?.cursor !== undefined && { cursor: page.cursor }) });
      page = more && page ? { ...next, results: [...page.results, ...next.results] } : next;
      error = undefined;
    } catch (caught) {
      error = (caught as Error).message;
    }
    busy = false;
    draw();
  };
  const draw = () =>
    render(
      html`<style>${styles}</style>
        <dialog part="search-dialog" aria-label=${searchStrings.search} @close=${close}>
          <input
            part="search-input"
            type="search"
            aria-label=${searchStrings.search}
            placeholder=${searchStrings.search}
            .value=${query}
            @input=${(event: Event) => (query = (event.target as HTMLInputElement).value)}
            @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && !event.isComposing && run(false)}
          />
          <div role="status" aria-live="polite">${busy ? searchStrings.searching : error ?? (page && page.results.length === 0 ? searchStrings.none : '')}</div>
          ${page?.results.length
            ? html`<ul part="search-results">
                ${page.results.map(
                  ({ message, text, highlights }) => html`<li>
                    <button
                      part="search-result"
                      class="menu-item"
                      type="button"
                      @click=${() => {
                        layer.remove();
                        if (message.seq !== undefined) show(message.seq);
                      }}
                    >
                      <small>${message.own ? strings.you() : message.from} · ${formatMessageTime(message.ts)}</small><br />${marked(text, highlights)}
                    </button>
                  </li>`,
                )}
              </ul>`
            : nothing}
          ${page?.hasMore ? html`<button part="search-more-button" class="pill" type="button" @click=${() => run(true)}>${searchStrings.more}</button>` : nothing}
        </dialog>`,
      layer,
    );
  draw();
  layer.querySelector('dialog')!.showModal();
  layer.querySelector<HTMLInputElement>('input')!.focus();
}

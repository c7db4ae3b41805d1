import { html, nothing } from 'lit/html.js';
import { adoptCss, css } from '../internal/css-text.js';
import { strings } from '../internal/strings.js';
import { popupStrings } from './popup-view.strings.js';
import { formatCount } from '../internal/format.js';

/**
 * `<rtm-chat mode="popup">`: the floating launcher (with the unread total) and the panel it opens,
 * Escape to close, focus into the panel and back to the launcher. Loaded when an element first
 * needs it (a companion file of the script-tag build, a chunk of the ESM build): inline chats
 * never do. Its styles go after the element's own (adoptCss) on the first render.
 */
export interface PopupHost {
  open: boolean;
  readonly totalUnread: number;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
}

const popupCss = css`
    .panel {
      position: relative;
      display: flex;
      flex-direction: column;
      width: min(24rem, calc(100vw - 2.5rem));
      height: min(var(--rtm-height, 36rem), calc(100vh - 7rem));
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      overflow: hidden;
      background: var(--_bg);
      box-shadow: 0 12px 32px rgb(0 0 0 / 0.2);
    }

    .panel[hidden] {
      display: none;
    }

    .panel-header {
      display: flex;
      align-items: center;
      padding: 0.25rem 0.25rem 0.25rem 0.75rem;
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 600;
    }

    .close {
      margin-inline-start: auto;
      width: 2rem;
      height: 2rem;
      border: none;
      border-radius: 50%;
      background: transparent;
      color: inherit;
      display: grid;
      place-items: center;
      cursor: pointer;
    }

    .launcher {
      position: relative;
      display: grid;
      place-items: center;
      width: 3.5rem;
      height: 3.5rem;
      border: none;
      border-radius: 50%;
      background: var(--_accent);
      color: var(--_on-accent);
      box-shadow: 0 6px 16px rgb(0 0 0 / 0.25);
      cursor: pointer;
    }

    .launcher-wrap {
      position: relative;
    }

    .launcher-wrap .badge {
      pointer-events: none;
      position: absolute;
      top: -0.25rem;
      inset-inline-end: -0.25rem;
      min-width: 1.375rem;
      padding: 0 0.375rem;
      border-radius: 999px;
      background: var(--rtm-color-badge, #cf222e);
      color: var(--rtm-color-on-badge, #ffffff);
      font-size: 0.75rem;
      font-weight: 700;
      line-height: 1.375rem;
    }
`;

/** Opens or closes the panel, moving focus into it or back to the launcher. */
async function togglePanel(host: PopupHost, open: boolean): Promise<void> {
  host.open = open;
  await host.updateComplete;
  host.renderRoot.querySelector<HTMLElement>(open ? '.close' : '.launcher')?.focus();
}

function onPanelKeyDown(host: PopupHost, event: KeyboardEvent): void {
  if (event.key !== 'Escape' || event.defaultPrevented) return;
  // Escape inside an image lightbox closes that dialog, not the whole panel.
  if (event.composedPath().some((node) => node instanceof HTMLDialogElement)) return;
  event.preventDefault();
  void togglePanel(host, false);
}

export function renderPopup(host: PopupHost, content: unknown) {
  adoptCss(host.renderRoot as ShadowRoot, popupCss);
  const total = host.totalUnread;
  return html`
    <div
      part="panel"
      id="panel"
      class="panel"
      ?hidden=${!host.open}
      role="dialog"
      aria-label=${popupStrings.chat}
      @keydown=${(event: KeyboardEvent) => onPanelKeyDown(host, event)}
    >
      <div part="panel-header" class="panel-header">
        <span part="panel-title">${popupStrings.chat}</span>
        <button part="close-button" class="close" type="button" aria-label=${popupStrings.closeChat} @click=${() => togglePanel(host, false)}>
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" />
          </svg>
        </button>
      </div>
      ${content}
    </div>
    <div class="launcher-wrap">
      <button
        part="launcher"
        class="launcher"
        type="button"
        aria-label=${popupStrings.openChat}
        aria-expanded=${host.open ? 'true' : 'false'}
        aria-controls="panel"
        aria-describedby=${total > 0 ? 'launcher-badge' : nothing}
        @click=${() => togglePanel(host, !host.open)}
      >
        <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
        </svg>
      </button>
      ${total > 0
        ? html`<span part="launcher-badge" id="launcher-badge" class="badge">${formatCount(total)}<span class="visually-hidden">${strings.unreadSuffix()}</span></span>`
        : nothing}
    </div>
  `;
}

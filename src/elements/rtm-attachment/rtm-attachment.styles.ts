import { css } from '../internal/css-text.js';

/**
 * The attachment view's own styles (transfers, buttons, the lightbox), as text: the element
 * adopts them after its own box styles (rtm-attachment-box.styles.ts) once the view is loaded.
 */
export const attachmentCss = css`
    [part~='preview'] {
      display: block;
      padding: 0;
      border: none;
      border-radius: calc(var(--_radius) - 4px);
      background: none;
      cursor: zoom-in;
      max-width: 100%;
    }

    .transfer {
      display: flex;
      gap: 0.5rem;
      align-items: center;
    }

    progress {
      width: 8rem;
      accent-color: var(--_accent);
    }

    [part~='percent'] {
      font-size: 0.8125em;
      font-variant-numeric: tabular-nums;
      min-width: 3ch;
    }

    .pill {
      align-self: flex-start;
    }

    button:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }

    .error {
      color: var(--_error);
      font-size: 0.8125em;
    }

    dialog {
      max-width: min(96vw, 80rem);
      max-height: 96vh;
      padding: 0;
      border: none;
      border-radius: var(--_radius);
      background: var(--_bg);
      color: var(--_text);
    }

    dialog::backdrop {
      background: rgb(0 0 0 / 0.7);
    }

    .lightbox-bar {
      display: flex;
      gap: var(--_gap);
      align-items: center;
      padding: 0.5rem 0.75rem;
      border-bottom: 1px solid var(--_border);
    }

    .lightbox-bar [part~='close-button'] {
      margin-inline-start: auto;
      align-self: center;
    }

    .lightbox-body {
      display: grid;
      place-items: center;
      gap: var(--_gap);
      padding: var(--_gap);
    }

    [part~='lightbox-image'] {
      max-width: 100%;
      max-height: calc(96vh - 4rem);
      object-fit: contain;
    }
  `;

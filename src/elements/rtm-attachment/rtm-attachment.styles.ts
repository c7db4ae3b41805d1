import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';
import { sharedStyles } from '../internal/shared.styles.js';

export const attachmentStyles = [
  themeStyles,
  sharedStyles,
  css`
    :host {
      display: inline-block;
      max-width: 100%;
      /* A message bubble keeps the text's line breaks (pre-wrap); that must not reach this layout. */
      white-space: normal;
      --_preview-max: var(--rtm-attachment-max-width, 240px);
    }

    .card {
      display: flex;
      gap: var(--_gap);
      align-items: center;
      max-width: 100%;
    }

    .card.file,
    .card.local {
      padding: 0.5rem 0.75rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_bg);
      color: var(--_text);
    }

    .facts {
      display: flex;
      flex-direction: column;
      gap: 0.125rem;
      min-width: 0;
    }

    .name {
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      max-width: 16rem;
    }

    .size {
      font-size: 0.8125em;
      color: var(--_muted);
    }

    .icon {
      flex-shrink: 0;
      width: 2rem;
      height: 2.5rem;
      border-radius: 4px;
      background:
        linear-gradient(225deg, var(--_surface) 0.5rem, transparent 0.5rem) no-repeat,
        var(--_accent);
    }

    [part~='thumbnail'] {
      display: block;
      max-width: min(100%, var(--_preview-max));
      height: auto;
      border-radius: calc(var(--_radius) - 4px);
      object-fit: cover;
      background: var(--_surface);
    }

    .placeholder {
      min-height: 4rem;
    }

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
      margin-left: auto;
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
  `,
];

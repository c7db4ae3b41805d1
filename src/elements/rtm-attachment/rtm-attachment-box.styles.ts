import { css } from 'lit';
import { sharedStyles } from '../internal/shared.styles.js';
import { themeStyles } from '../internal/theme.styles.js';

/**
 * What decides the size of an attachment — the host box, the card, the icon, the name and size,
 * the image preview — so the element takes its final place before its view (and the rest of its
 * styles) is loaded.
 */
export const attachmentBoxStyles = [
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

  `,
];

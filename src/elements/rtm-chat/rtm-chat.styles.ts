import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';

export const chatStyles = [
  themeStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      height: var(--rtm-height, 32rem);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      overflow: hidden;
      background: var(--_bg);
      color: var(--_text);
      font-family: var(--_font);
      font-size: var(--_font-size);
    }

    [part~='banner'] {
      display: flex;
      align-items: center;
      gap: var(--_gap);
      padding: 0.375rem calc(var(--_gap) * 1.5);
      background: var(--_warning-bg);
      color: var(--_warning-text);
      font-size: 0.875em;
    }

    [part~='banner'][hidden] {
      display: none;
    }

    [part~='reconnect-button'] {
      margin-left: auto;
      border: 1px solid currentColor;
      border-radius: 999px;
      background: transparent;
      color: inherit;
      font: inherit;
      padding: 0.1rem 0.75rem;
      cursor: pointer;
    }

    .body {
      flex: 1;
      min-height: 0;
      display: flex;
    }

    ::slotted(*),
    [part~='channel'] {
      flex: 1;
      min-width: 0;
    }

    [part~='conversations'] {
      display: flex;
      flex-direction: column;
      width: 12rem;
      flex-shrink: 0;
      border-right: 1px solid var(--_border);
      background: var(--_surface);
      overflow-y: auto;
    }

    [part~='conversations'] .empty {
      padding: var(--_gap);
      color: var(--_muted);
    }

    [part~='conversation'] {
      border: none;
      border-bottom: 1px solid var(--_border);
      background: transparent;
      color: inherit;
      font: inherit;
      text-align: start;
      padding: 0.75rem;
      cursor: pointer;
    }

    [part~='conversation'][aria-current='true'] {
      background: var(--_bg);
      font-weight: 600;
    }
  `,
];

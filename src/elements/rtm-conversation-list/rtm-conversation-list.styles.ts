import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';
import { visuallyHidden } from '../internal/shared.styles.js';

export const conversationListStyles = [
  themeStyles,
  visuallyHidden,
  css`
    :host {
      display: block;
      overflow-y: auto;
      background: var(--_surface);
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

    [part~='conversation'] {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      width: 100%;
      padding: 0.625rem 0.75rem;
      border: none;
      border-bottom: 1px solid var(--_border);
      background: transparent;
      color: inherit;
      font: inherit;
      text-align: start;
      cursor: pointer;
    }

    [part~='conversation']:hover {
      background: color-mix(in srgb, var(--_accent) 6%, transparent);
    }

    [part~='conversation'][aria-current='true'] {
      background: var(--_bg);
    }

    .top,
    .bottom {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-width: 0;
    }

    [part~='name'] {
      flex: 1;
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

    [part~='presence'].online {
      background: var(--rtm-color-online, #1a7f37);
    }
  `,
];

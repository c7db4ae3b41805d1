import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';
import { sharedStyles } from '../internal/shared.styles.js';

export const conversationListStyles = [
  themeStyles,
  sharedStyles,
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

    li {
      position: relative;
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      padding: 0.625rem 0.75rem;
      border-bottom: 1px solid var(--_border);
    }

    li:hover {
      background: color-mix(in srgb, var(--_accent) 6%, transparent);
    }

    li.current {
      background: var(--_bg);
    }

    [part~='conversation'] {
      flex: 1;
      min-width: 0;
      padding: 0;
      border: none;
      background: none;
      color: inherit;
      font: inherit;
      text-align: start;
      cursor: pointer;
    }

    [part~='conversation']::after {
      content: '';
      position: absolute;
      inset: 0;
    }

    [part~='conversation']:focus-visible {
      outline: none;
    }

    [part~='conversation']:focus-visible::after {
      outline: 2px solid var(--_focus);
      outline-offset: -2px;
    }

    .top,
    .bottom {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-width: 0;
    }

    [part~='name'] {
      display: block;
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

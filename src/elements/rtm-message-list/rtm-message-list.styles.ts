import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';
import { sharedStyles } from '../internal/shared.styles.js';

export const messageListStyles = [
  themeStyles,
  sharedStyles,
  css`
    :host {
      position: relative;
      display: flex;
      flex-direction: column;
      min-height: 0;
    }

    .divider {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      color: var(--_error);
      font-size: 0.75em;
      font-weight: 600;
    }

    .divider::before,
    .divider::after {
      content: '';
      flex: 1;
      border-top: 1px solid currentColor;
    }

    .jump {
      position: absolute;
      top: 0.5rem;
      left: 50%;
      transform: translateX(-50%);
      padding: 0.25rem 0.8rem;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);
    }

    .new-messages {
      position: absolute;
      bottom: 0.75rem;
      left: 50%;
      transform: translateX(-50%);
      border: none;
      border-radius: 999px;
      background: var(--_accent);
      color: var(--_on-accent);
      font: inherit;
      font-size: 0.8125em;
      font-weight: 600;
      padding: 0.3rem 0.9rem;
      box-shadow: 0 4px 12px rgb(0 0 0 / 0.2);
      cursor: pointer;
    }

    [part~='receipt-button'] {
      border: none;
      background: none;
      color: inherit;
      font: inherit;
      padding: 0;
      text-decoration: underline dotted;
      cursor: pointer;
    }

    [part~='receipt-details'] {
      margin-top: 0.25rem;
      padding: 0.375rem 0.5rem;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
      color: var(--_text);
    }

    [part~='receipt-details'] p {
      margin: 0;
    }

    [role='log'] {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      padding: 0 calc(var(--_gap) * 1.5) var(--_gap);
      overscroll-behavior: contain;
      /* The list keeps the reader's place itself when older messages load (one rule, not two). */
      overflow-anchor: none;
      /* Offsets of messages (the New divider) are measured from here. */
      position: relative;
    }

    [part~='empty'] {
      margin: auto;
      color: var(--_muted);
    }

    .row {
      display: flex;
      flex-direction: column;
      gap: var(--_gap);
      padding-top: var(--_gap);
    }

    .sizer {
      flex: none;
    }

    .message {
      display: flex;
      flex-direction: column;
      max-width: min(80%, 36rem);
      align-items: flex-start;
    }

    .message.own {
      align-self: flex-end;
      align-items: flex-end;
    }

    [part~='meta'] {
      display: flex;
      gap: 0.5em;
      font-size: 0.75em;
      color: var(--_muted);
    }

    [part~='sender'] {
      font-weight: 600;
      min-width: 0;
      overflow-wrap: anywhere;
    }

    [part~='avatar'] {
      width: var(--rtm-message-avatar-size, 1.25rem);
      height: var(--rtm-message-avatar-size, 1.25rem);
      border-radius: 50%;
      object-fit: cover;
      flex-shrink: 0;
      align-self: center;
    }

    /* A long sender name wraps; the time and the actions button never do. */
    [part~='time'],
    [part~='edited'],
    [part~='actions-button'] {
      flex-shrink: 0;
      white-space: nowrap;
    }

    [part~='bubble'] {
      padding: 0.45rem 0.75rem;
      border-radius: var(--_radius);
      background: var(--_bubble);
      color: var(--_bubble-text);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      line-height: 1.4;
    }

    [part~='attachment-bubble'] {
      padding: 0.25rem;
      white-space: normal;
    }

    [part~='caption'] {
      white-space: pre-wrap;
    }

    [part~='caption'] {
      padding: 0.25rem 0.5rem 0.125rem;
    }

    .own [part~='bubble'] {
      background: var(--_own-bubble);
      color: var(--_own-bubble-text);
    }

    /* Pending messages keep full contrast: the status line under them says "Sending…". */
    .own[data-status='sending'] [part~='bubble'] {
      outline: 1px dashed var(--_own-bubble);
      outline-offset: 2px;
    }

    [part~='actions-button'] {
      margin-inline-start: auto;
      border: none;
      background: none;
      color: inherit;
      font: inherit;
      line-height: 1;
      padding: 0 0.25rem;
      cursor: pointer;
      opacity: 0;
    }

    .message:hover [part~='actions-button'],
    [part~='actions-button']:focus-visible,
    [part~='actions-button'][aria-expanded='true'] {
      opacity: 1;
    }

    /* In the bubble's own colours (a muted grey would fail contrast on your accent bubble). */
    [part~='retracted'] {
      font-style: italic;
    }

    [part~='mention'] [part~='bubble'] {
      outline: 2px solid var(--_accent);
    }

    /* Quotes and reactions are styled by the parts module that draws them (rich-parts.ts). */

    [part~='status'] {
      font-size: 0.75em;
      color: var(--_muted);
    }

    [part~='status'].failed {
      color: var(--_error);
      display: flex;
      gap: 0.5em;
      align-items: center;
    }

    [part~='retry-button'] {
      border: 1px solid currentColor;
      border-radius: 999px;
      background: transparent;
      color: inherit;
      font: inherit;
      padding: 0.1rem 0.6rem;
      cursor: pointer;
    }
  `,
];

import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';
import { sharedStyles } from '../internal/shared.styles.js';

export const chatStyles = [
  themeStyles,
  sharedStyles,
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
      margin-inline-start: auto;
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
      container-type: inline-size;
      /* The call invitation prompt floats over the top of it. */
      position: relative;
    }

    ::slotted(*),
    [part~='channel'] {
      flex: 1;
      min-width: 0;
    }

    [part~='conversations'] {
      width: 16rem;
      flex-shrink: 0;
      border-inline-end: 1px solid var(--_border);
    }

    .open-pane {
      flex: 1;
      min-width: 0;
      display: flex;
      flex-direction: column;
    }

    .back {
      display: none;
      align-self: flex-start;
      margin: 0.375rem;
      font-size: 0.875em;
      padding: 0.2rem 0.75rem;
    }

    .placeholder {
      flex: 1;
      display: grid;
      place-items: center;
      margin: 0;
      color: var(--_muted);
    }

    /* Narrow: one pane at a time — the list, or the open conversation with a Back button. */
    @container (max-width: 36rem) {
      [part~='conversations'] {
        flex: 1;
        width: auto;
        border-inline-end: none;
      }

      [part~='conversations'].has-open,
      .placeholder {
        display: none;
      }

      .back {
        display: inline-block;
      }
    }

    /* mode="popup": a floating launcher in the corner that opens the chat as a panel. */
    :host([mode='popup']) {
      position: fixed;
      inset-inline-end: var(--rtm-popup-inset, 1.25rem);
      bottom: var(--rtm-popup-inset, 1.25rem);
      z-index: var(--rtm-popup-z-index, 2147483000);
      height: auto;
      border: none;
      background: none;
      overflow: visible;
      align-items: flex-end;
      gap: 0.75rem;
    }
  `,
];

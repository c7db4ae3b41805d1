import { css } from 'lit';

/**
 * Rules several elements use, each opting in by class:
 * - `.visually-hidden`: text for screen readers only (e.g. " unread" after a badge's number).
 * - `.pill`: the small rounded button beside content (Download, Cancel, Back to conversations,
 *   Jump to first unread). An element's own rules come later in its styles and set what differs.
 */
export const sharedStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .pill {
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
    font-size: 0.8125em;
    padding: 0.15rem 0.75rem;
    cursor: pointer;
  }
`;

import { css } from 'lit';
import { sharedStyles } from '../internal/shared.styles.js';
import { themeStyles } from '../internal/theme.styles.js';

/** The list element's own box; the rest of its styles come with its view (conversation-list-view.ts). */
export const conversationListStyles = [
  themeStyles,
  sharedStyles,
  css`
    :host {
      display: block;
      overflow-y: auto;
      background: var(--_surface);
    }
  `,
];

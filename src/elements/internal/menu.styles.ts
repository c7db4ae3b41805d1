import { css } from './css-text.js';

/**
 * The items of the popover menus and lists that views loaded on demand draw (a message's actions,
 * a conversation's menu, search results): a plain button that lights up under the pointer and the
 * keyboard focus. Text, for those views' own style elements (see css-text.ts).
 */
export const menuItemCss = css`
  .menu-item {
    border: none;
    background: none;
    color: inherit;
    font: inherit;
    text-align: start;
    padding: 0.375rem 0.625rem;
    cursor: pointer;
  }
  .menu-item:hover,
  .menu-item:focus-visible {
    background: var(--_surface);
  }
`;

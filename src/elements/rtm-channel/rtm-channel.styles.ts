import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';

export const channelStyles = [
  themeStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      height: 100%;
      background: var(--_bg);
      color: var(--_text);
      font-family: var(--_font);
      font-size: var(--_font-size);
      position: relative;
    }

    [part~='header'] {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: var(--_gap) calc(var(--_gap) * 1.5);
      border-bottom: 1px solid var(--_border);
      background: var(--_surface);
    }

    [part~='title'] {
      margin: 0;
      font-size: 1em;
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    [part~='avatar'] {
      width: var(--rtm-avatar-size, 1.75rem);
      height: var(--rtm-avatar-size, 1.75rem);
      border-radius: 50%;
      object-fit: cover;
      flex-shrink: 0;
    }

    rtm-message-list {
      flex: 1;
    }

    [part~='presence'] {
      width: 0.5rem;
      height: 0.5rem;
      border-radius: 50%;
      background: var(--_muted);
      flex-shrink: 0;
    }

    [part~='presence'].online {
      background: var(--rtm-color-online, #1a7f37);
    }

    .typing {
      min-height: 1.25rem;
      padding: 0 calc(var(--_gap) * 1.5);
      color: var(--_muted);
      font-size: 0.8125em;
      font-style: italic;
    }

    .reply-bar {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      font-style: normal;
    }
  `,
];

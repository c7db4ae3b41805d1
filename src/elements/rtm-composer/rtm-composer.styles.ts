import { css } from 'lit';
import { themeStyles } from '../internal/theme.styles.js';

export const composerStyles = [
  themeStyles,
  css`
    :host {
      position: relative;
      display: block;
      padding: var(--_gap);
      border-top: 1px solid var(--_border);
      background: var(--_bg);
      font: inherit;
    }

    form {
      display: flex;
      gap: var(--_gap);
      align-items: flex-end;
    }

    textarea {
      flex: 1;
      min-height: 2.5rem;
      max-height: 10rem;
      resize: none;
      field-sizing: content;
      padding: 0.5rem 0.75rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_bg);
      color: var(--_text);
      font: inherit;
      line-height: 1.4;
    }

    textarea[aria-invalid='true'] {
      border-color: var(--_error);
    }

    button {
      min-height: 2.5rem;
      padding: 0 1rem;
      border: none;
      border-radius: var(--_radius);
      background: var(--_accent);
      color: var(--_on-accent);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }

    [part~='attach-button'],
    [part~='record-button'] {
      display: grid;
      place-items: center;
      width: 2.5rem;
      padding: 0;
      background: transparent;
      color: var(--_muted);
      border: 1px solid var(--_border);
    }

    [part~='attach-button']:hover:not(:disabled),
    [part~='record-button']:hover:not(:disabled) {
      color: var(--_accent);
    }

    button:disabled {
      opacity: 0.5;
      cursor: not-allowed;
    }

    [role='alert'] {
      color: var(--_error);
      font-size: 0.875em;
    }

    [role='alert']:not(:empty) {
      padding-top: 0.25rem;
    }
  `,
];

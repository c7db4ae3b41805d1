import { css } from 'lit';

/**
 * The public theme: every `--rtm-*` custom property, with light and dark fallbacks, mapped to
 * private `--_*` names that the elements' styles use. A page sets `--rtm-color-accent` (say) on
 * `<rtm-chat>` or any ancestor; the elements never read the public names directly, so a missing
 * value always falls back. Documented in docs/theming.md.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--rtm-color-background, #ffffff);
    --_surface: var(--rtm-color-surface, #f6f8fa);
    --_text: var(--rtm-color-text, #1f2328);
    --_muted: var(--rtm-color-text-muted, #59636e);
    --_border: var(--rtm-color-border, #d1d9e0);
    --_accent: var(--rtm-color-accent, #0969da);
    --_on-accent: var(--rtm-color-on-accent, #ffffff);
    --_bubble: var(--rtm-color-bubble, #eef1f4);
    --_bubble-text: var(--rtm-color-bubble-text, var(--_text));
    --_own-bubble: var(--rtm-color-own-bubble, #0969da);
    --_own-bubble-text: var(--rtm-color-own-bubble-text, #ffffff);
    --_error: var(--rtm-color-error, #cf222e);
    --_warning-bg: var(--rtm-color-banner-background, #fff8c5);
    --_warning-text: var(--rtm-color-banner-text, #3b2300);
    --_focus: var(--rtm-color-focus-ring, #0969da);
    --_radius: var(--rtm-radius, 12px);
    --_font: var(--rtm-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--rtm-font-size, 0.9375rem);
    --_gap: var(--rtm-spacing, 0.5rem);
    color-scheme: light dark;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--rtm-color-background, #0d1117);
      --_surface: var(--rtm-color-surface, #151b23);
      --_text: var(--rtm-color-text, #f0f6fc);
      --_muted: var(--rtm-color-text-muted, #9198a1);
      --_border: var(--rtm-color-border, #3d444d);
      --_accent: var(--rtm-color-accent, #4493f8);
      --_on-accent: var(--rtm-color-on-accent, #0d1117);
      --_bubble: var(--rtm-color-bubble, #262c36);
      --_own-bubble: var(--rtm-color-own-bubble, #1f6feb);
      --_error: var(--rtm-color-error, #ff7b72);
      --_warning-bg: var(--rtm-color-banner-background, #3b2e00);
      --_warning-text: var(--rtm-color-banner-text, #f2cc60);
      --_focus: var(--rtm-color-focus-ring, #4493f8);
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
`;

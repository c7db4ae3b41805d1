/**
 * A `css` tag that returns plain text: for the styles of a view loaded on demand, which the
 * element adopts with `unsafeCSS` (the text is ours, never user input). It keeps Lit's styling
 * module out of companion files. Named `css` so the build minifies it like Lit's.
 */
export const css = (strings: TemplateStringsArray, ...values: unknown[]): string => String.raw({ raw: strings }, ...values);

const adopted = new WeakMap<ShadowRoot, Set<string>>();

/**
 * Adds a view's styles (from `css` above) to a shadow root after the element's own, once per
 * root: for views loaded on demand into an element that does not know their styles.
 */
export function adoptCss(root: ShadowRoot, cssText: string): void {
  const done = adopted.get(root) ?? new Set();
  adopted.set(root, done);
  if (done.has(cssText)) return;
  done.add(cssText);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(cssText);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

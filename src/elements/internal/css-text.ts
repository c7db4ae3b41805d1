/**
 * A `css` tag that returns plain text: for the styles of a view loaded on demand, which the
 * element adopts with `unsafeCSS` (the text is ours, never user input). It keeps Lit's styling
 * module out of companion files. Named `css` so the build minifies it like Lit's.
 */
export const css = (strings: TemplateStringsArray, ...values: unknown[]): string => String.raw({ raw: strings }, ...values);

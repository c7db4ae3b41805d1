import { minifyHTMLLiterals } from 'minify-literals';

/**
 * A Vite plugin that minifies the HTML and CSS inside Lit's `html` and `css` template literals in
 * our sources (whitespace, comments), which the JavaScript minifier leaves as written. Bindings
 * and text content keep their meaning; the element tests run against the unminified sources, the
 * end-to-end tests against this output.
 */
export function minifyLitLiterals() {
  return {
    name: 'rtm-minify-lit-literals',
    async transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id)) return null;
      // Unquoted static attribute values and bare boolean attributes are valid HTML, and Lit
      // parses them the same way; bindings keep their place.
      const html = { removeAttributeQuotes: true, collapseBooleanAttributes: true };
      return (await minifyHTMLLiterals(code, { fileName: id, html })) ?? null;
    },
  };
}

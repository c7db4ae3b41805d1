/**
 * Loads the translated error texts (error-texts.ts) with a page's first non-English locale. A
 * dynamic import, so bundlers put it in a chunk of its own; the script-tag build swaps this module
 * for load-error-texts.iife.ts.
 */
export type ErrorTextsModule = typeof import('./error-texts.js');

export function importErrorTexts(): Promise<ErrorTextsModule> {
  return import('./error-texts.js');
}

/**
 * Loads the search dialog (search-view.ts) with the first search. A dynamic import, so bundlers
 * put it in a chunk of its own; the script-tag build swaps this module for load-search-view.iife.ts.
 */
export type SearchViewModule = typeof import('./search-view.js');

export function importSearchView(): Promise<SearchViewModule> {
  return import('./search-view.js');
}

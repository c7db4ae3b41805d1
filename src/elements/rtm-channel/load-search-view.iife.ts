/**
 * The script-tag build's loader of the search dialog (vite.config.ts aliases load-search-view.ts
 * to this file): the companion file dist/rtm-chat.search.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { SearchViewModule } from './load-search-view.js';

export type { SearchViewModule };

export function importSearchView(): Promise<SearchViewModule> {
  return importCompanion<SearchViewModule>('rtm-chat.search.js');
}

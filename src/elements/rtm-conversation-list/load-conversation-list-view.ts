/**
 * Loads the conversation list's view (conversation-list-view.ts) when an inbox is first shown. A
 * dynamic import, so bundlers put it in a chunk of its own; the script-tag build swaps this module
 * for load-conversation-list-view.iife.ts.
 */
export type ConversationListViewModule = typeof import('./conversation-list-view.js');

export function importConversationListView(): Promise<ConversationListViewModule> {
  return import('./conversation-list-view.js');
}

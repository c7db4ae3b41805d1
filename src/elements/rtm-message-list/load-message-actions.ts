/**
 * Loads a message's actions menu (message-actions.ts) when a reader first opens one. A dynamic
 * import, so bundlers put it in a chunk of its own; the script-tag build swaps this module for
 * load-message-actions.iife.ts.
 */
export type MessageActionsModule = typeof import('./message-actions.js');

export function importMessageActions(): Promise<MessageActionsModule> {
  return import('./message-actions.js');
}

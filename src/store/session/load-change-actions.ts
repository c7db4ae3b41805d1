/**
 * Loads this user's message actions (change-actions.ts) with the first one. A dynamic import, so
 * bundlers put them in a chunk of their own; the script-tag build swaps this module for
 * load-change-actions.iife.ts.
 */
export type ChangeActionsModule = typeof import('./change-actions.js');

export function importChangeActions(): Promise<ChangeActionsModule> {
  return import('./change-actions.js');
}

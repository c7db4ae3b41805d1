/**
 * Loads the call invitation prompt (invitation-prompt.ts) with the first invitation an
 * `<rtm-chat>` shows. A dynamic import, so bundlers put it in a chunk of its own; the script-tag
 * build swaps this module for load-invitation-prompt.iife.ts.
 */
export type InvitationPromptModule = typeof import('./invitation-prompt.js');

export function importInvitationPrompt(): Promise<InvitationPromptModule> {
  return import('./invitation-prompt.js');
}

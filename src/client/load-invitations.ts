/**
 * Loads the call invitations (invitations.ts) with the first outgoing invitation or the first push
 * about one. A dynamic import, so bundlers put them in a chunk of their own; the script-tag build
 * swaps this module for load-invitations.iife.ts.
 */
export type InvitationsModule = typeof import('./invitations.js');

export function importInvitations(): Promise<InvitationsModule> {
  return import('./invitations.js');
}

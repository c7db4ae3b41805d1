/**
 * The script-tag build's loader of the call invitations (vite.config.ts aliases
 * load-invitations.ts to this file): the companion file dist/rtm-chat.invitations.js.
 */
import { importCompanion } from './companion.iife.js';
import type { InvitationsModule } from './load-invitations.js';

export type { InvitationsModule };

export function importInvitations(): Promise<InvitationsModule> {
  return importCompanion<InvitationsModule>('rtm-chat.invitations.js');
}

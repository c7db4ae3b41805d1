/**
 * The script-tag build's loader of the call invitation prompt (vite.config.ts aliases
 * load-invitation-prompt.ts to this file): the companion file dist/rtm-chat.call-prompt.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { InvitationPromptModule } from './load-invitation-prompt.js';

export type { InvitationPromptModule };

export function importInvitationPrompt(): Promise<InvitationPromptModule> {
  return importCompanion<InvitationPromptModule>('rtm-chat.call-prompt.js');
}

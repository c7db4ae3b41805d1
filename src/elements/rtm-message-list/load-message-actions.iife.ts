/**
 * The script-tag build's loader of the actions menu (vite.config.ts aliases
 * load-message-actions.ts to this file): the companion file dist/rtm-chat.actions.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { MessageActionsModule } from './load-message-actions.js';

export type { MessageActionsModule };

export function importMessageActions(): Promise<MessageActionsModule> {
  return importCompanion<MessageActionsModule>('rtm-chat.actions.js');
}

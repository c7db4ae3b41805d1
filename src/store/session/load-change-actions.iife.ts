/**
 * The script-tag build's loader of the session's message actions (vite.config.ts aliases
 * load-change-actions.ts to this file): the companion file dist/rtm-chat.session-actions.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { ChangeActionsModule } from './load-change-actions.js';

export type { ChangeActionsModule };

export function importChangeActions(): Promise<ChangeActionsModule> {
  return importCompanion<ChangeActionsModule>('rtm-chat.session-actions.js');
}

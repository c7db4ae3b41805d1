/**
 * The script-tag build's loader of the message action requests (vite.config.ts aliases
 * load-change-requests.ts to this file): the companion file dist/rtm-chat.changes.js.
 */
import { importCompanion } from './companion.iife.js';
import type { ChangeRequestsModule } from './load-change-requests.js';

export type { ChangeRequestsModule };

export function importChangeRequests(): Promise<ChangeRequestsModule> {
  return importCompanion<ChangeRequestsModule>('rtm-chat.changes.js');
}

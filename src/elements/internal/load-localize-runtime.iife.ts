/**
 * The script-tag build's loader of @lit/localize's runtime (vite.config.ts aliases
 * load-localize-runtime.ts to this file): the companion file dist/rtm-chat.localize.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { LocalizeRuntimeModule } from './load-localize-runtime.js';

export type { LocalizeRuntimeModule };

export function importLocalizeRuntime(): Promise<LocalizeRuntimeModule> {
  return importCompanion<LocalizeRuntimeModule>('rtm-chat.localize.js');
}

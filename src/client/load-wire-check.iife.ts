/**
 * The script-tag build's loader of the full message check (vite.config.ts aliases
 * load-wire-check.ts to this file): the companion file dist/rtm-chat.check.js.
 */
import { importCompanion } from './companion.iife.js';
import type { WireCheckModule } from './load-wire-check.js';

export type { WireCheckModule };

export function importWireCheck(): Promise<WireCheckModule> {
  return importCompanion<WireCheckModule>('rtm-chat.check.js');
}

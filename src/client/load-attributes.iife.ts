/**
 * The script-tag build's loader of the user and channel attribute requests (vite.config.ts
 * aliases load-attributes.ts to this file): the companion file dist/rtm-chat.attributes.js.
 */
import { importCompanion } from './companion.iife.js';
import type { AttributesModule } from './load-attributes.js';

export type { AttributesModule };

export function importAttributes(): Promise<AttributesModule> {
  return importCompanion<AttributesModule>('rtm-chat.attributes.js');
}

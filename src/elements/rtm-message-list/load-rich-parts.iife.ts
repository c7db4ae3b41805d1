/**
 * The script-tag build's loader of the rich message parts (vite.config.ts aliases
 * load-rich-parts.ts to this file): the companion file dist/rtm-chat.rich.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { RichPartsModule } from './load-rich-parts.js';

export type { RichPartsModule };

export function importRichParts(): Promise<RichPartsModule> {
  return importCompanion<RichPartsModule>('rtm-chat.rich.js');
}

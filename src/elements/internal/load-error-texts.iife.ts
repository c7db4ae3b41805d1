/**
 * The script-tag build's loader of the translated error texts (vite.config.ts aliases
 * load-error-texts.ts to this file): the companion file dist/rtm-chat.error-texts.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { ErrorTextsModule } from './load-error-texts.js';

export type { ErrorTextsModule };

export function importErrorTexts(): Promise<ErrorTextsModule> {
  return importCompanion<ErrorTextsModule>('rtm-chat.error-texts.js');
}

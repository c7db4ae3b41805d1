/**
 * The script-tag build's catalogs (vite.config.ts aliases load-locale.ts to this file): the
 * companion files dist/rtm-chat.locale-<code>.js, fetched from next to the bundle.
 */
import type { LocaleModule } from '@lit/localize';
import { importCompanion } from '../../client/companion.iife.js';

export const builtInLocales: Record<string, () => Promise<LocaleModule>> = {
  'zh-CN': () => importCompanion<LocaleModule>('rtm-chat.locale-zh-CN.js'),
  ar: () => importCompanion<LocaleModule>('rtm-chat.locale-ar.js'),
};

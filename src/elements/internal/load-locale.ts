/**
 * The catalogs that ship with the widget, each a dynamic import, so bundlers put each in a chunk
 * of its own that loads only on a page that shows that language (src/locales/ is written by
 * `npm run locales` from xliff/). The script-tag build swaps this module for load-locale.iife.ts.
 */
import type { LocaleModule } from '@lit/localize';

export const builtInLocales: Record<string, () => Promise<LocaleModule>> = {
  'zh-CN': () => import('../../locales/zh-CN.js'),
  ar: () => import('../../locales/ar.js'),
};

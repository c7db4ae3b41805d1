/** src/elements/internal/locale.ts as companion files see it: the bundle's own, which knows the active locale (see core.ts). */
import { companionCore } from './core.js';

export type * from '../elements/internal/locale.js';
export const { SOURCE_LOCALE, registerLocale, availableLocales, translatedErrorTexts, currentLocale, matchLocale, useLocale, isRightToLeft } = companionCore().locale;

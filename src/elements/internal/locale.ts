/**
 * The widget's language: English is built in (the strings in the code are the English ones), and
 * other locales are catalogs loaded the first time a page asks for them (@lit/localize's runtime
 * mode). Simplified Chinese and Arabic ship with the widget; a site adds its own with
 * `registerLocale` (docs/localization.md), without forking.
 *
 * @lit/localize keeps one active locale per copy of itself, so the widget has one language per
 * page: the `locale` property or `lang` of the last `<rtm-chat>` that asked. The copy is the
 * widget's own (bundled, not shared with a page that uses @lit/localize for its own elements), so
 * the two never configure each other.
 */
import type { LocaleModule } from '@lit/localize';
import { importErrorTexts, type ErrorTextsModule } from './load-error-texts.js';
import { importLocalizeRuntime, type LocalizeRuntimeModule } from './load-localize-runtime.js';
import { builtInLocales } from './load-locale.js';

export const SOURCE_LOCALE = 'en';

/** A locale's catalog: a module from `lit-localize build`, or a flat `{ id: translation }` object. */
export type LocaleLoader = () => Promise<LocaleModule | Record<string, string>>;

const loaders = new Map<string, LocaleLoader>(Object.entries(builtInLocales));
type LocalizeRuntime = ReturnType<LocalizeRuntimeModule['configureLocalization']>;

/** @lit/localize's runtime, loaded and configured with the first locale other than English. */
let runtimeReady: Promise<LocalizeRuntime> | undefined;
let runtime: LocalizeRuntime | undefined;
let errorTexts: Promise<ErrorTextsModule> | undefined;
let loadedErrorTexts: ErrorTextsModule | undefined;

/**
 * Adds a locale, or replaces a built-in one. `load` resolves to its catalog: either a flat object
 * from message id to translation, with `{0}`, `{1}`… where the English has values (the ids and
 * English texts are in dist/rtm-chat.messages.json), or a module written by `lit-localize build`.
 * Call it before the first non-English locale is used: the set of locales is fixed from then on.
 */
export function registerLocale(code: string, load: LocaleLoader): void {
  const locale = canonicalLocale(code);
  if (!locale) throw new TypeError(`registerLocale: "${code}" is not a BCP 47 language tag.`);
  if (runtimeReady && !loaders.has(locale)) {
    throw new Error(`registerLocale("${locale}") came after the widget switched language; register every locale before the first <rtm-chat> shows one.`);
  }
  loaders.set(locale, load);
}

/** The locales the widget can show: English and every registered one. */
export function availableLocales(): string[] {
  return [SOURCE_LOCALE, ...loaders.keys()];
}

/** The translated error texts (error-texts.ts) while a locale other than English shows. */
export function translatedErrorTexts(): ErrorTextsModule | undefined {
  return currentLocale() === SOURCE_LOCALE ? undefined : loadedErrorTexts;
}

/** The active locale (English until another one has loaded). */
export function currentLocale(): string {
  return runtime?.getLocale() ?? SOURCE_LOCALE;
}

/**
 * The best available locale for a requested tag: itself, else a locale with the same language
 * and script (`zh-Hans-SG` → `zh-CN`, `ar-EG` → `ar`), else English.
 */
export function matchLocale(requested: string | undefined | null): string {
  const wanted = requested ? canonicalLocale(requested) : undefined;
  if (!wanted) return SOURCE_LOCALE;
  const available = availableLocales();
  if (available.includes(wanted)) return wanted;
  const key = (tag: string) => {
    const locale = new Intl.Locale(tag).maximize();
    return `${locale.language}-${locale.script ?? ''}`;
  };
  const wantedKey = key(wanted);
  return available.find((tag) => key(tag) === wantedKey) ?? SOURCE_LOCALE;
}

/** Switches the widget to `locale` (a value of `matchLocale`); resolves once it shows. */
export async function useLocale(locale: string): Promise<void> {
  if (!runtimeReady) {
    if (locale === SOURCE_LOCALE) return;
    runtimeReady = importLocalizeRuntime().then(
      ({ configureLocalization, toLocaleModule }) =>
        (runtime = configureLocalization({
          sourceLocale: SOURCE_LOCALE,
          targetLocales: [...loaders.keys()],
          loadLocale: (code) => loadCatalog(code).then(toLocaleModule),
        })),
      (error: unknown) => {
        runtimeReady = undefined;
        throw error;
      },
    );
  }
  await (await runtimeReady).setLocale(locale);
}

/** A locale's catalog, and with the first one the translated error texts, so errors show in it at once. */
async function loadCatalog(code: string): Promise<LocaleModule | Record<string, string>> {
  errorTexts ??= importErrorTexts().then(
    (module) => (loadedErrorTexts = module),
    (error: unknown) => {
      errorTexts = undefined;
      throw error;
    },
  );
  const [catalog] = await Promise.all([loaders.get(code)!(), errorTexts]);
  return catalog;
}

const rtlLanguages = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** Whether a locale is written right to left. */
export function isRightToLeft(locale: string): boolean {
  const tag = new Intl.Locale(locale) as Intl.Locale & { getTextInfo?(): { direction: string }; textInfo?: { direction: string } };
  const direction = tag.getTextInfo?.().direction ?? tag.textInfo?.direction;
  return direction ? direction === 'rtl' : rtlLanguages.has(tag.language);
}

function canonicalLocale(code: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(code)[0];
  } catch {
    return undefined;
  }
}

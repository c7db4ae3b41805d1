/**
 * @lit/localize's runtime (switching locales, looking templates up by id), which only a page in
 * another language than English needs: English strings are the source, shown by the default
 * `msg` in the bundle. Loaded by locale.ts with the first other locale; the script-tag build
 * fetches it as the companion file dist/rtm-chat.localize.js.
 */
import type { LocaleModule } from '@lit/localize';

export { configureLocalization } from '@lit/localize/init/runtime.js';

/** A site's catalog: message id → translation, with `{0}`, `{1}`… where the English has values. */
export type FlatCatalog = Record<string, string>;

/**
 * A catalog as @lit/localize reads it: a module from `lit-localize build` as it is, a flat one
 * (registerLocale's other form) turned into its templates.
 */
export function toLocaleModule(loaded: LocaleModule | FlatCatalog): LocaleModule {
  if (typeof (loaded as LocaleModule).templates === 'object') return loaded as LocaleModule;
  const templates: LocaleModule['templates'] = {};
  for (const [id, text] of Object.entries(loaded as FlatCatalog)) {
    if (typeof text !== 'string') throw new TypeError(`The translation of ${id} is not a string.`);
    const parts = text.split(/\{(\d+)\}/);
    templates[id] =
      parts.length === 1
        ? text
        : // The shape of a translated str`…`: the text between values, and which value goes where.
          ({ strTag: true, strings: parts.filter((_, index) => index % 2 === 0), values: parts.filter((_, index) => index % 2 === 1).map(Number) } as never);
  }
  return { templates };
}

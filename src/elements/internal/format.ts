/**
 * Times, sizes, counts and plurals in the widget's locale (locale.ts), through `Intl`. Formatters
 * are made once per locale and options.
 */
import { currentLocale } from './locale.js';

const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(key: string, make: (locale: string) => F): F {
  const locale = currentLocale();
  const id = `${locale} ${key}`;
  let format = formats.get(id) as F | undefined;
  if (!format) formats.set(id, (format = make(locale)));
  return format;
}

/** A message's time: the time today, the date and time before. */
export function formatMessageTime(ts: number, now = Date.now()): string {
  const sameDay = new Date(ts).toDateString() === new Date(now).toDateString();
  return sameDay
    ? cached('time', (locale) => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' })).format(ts)
    : cached('date', (locale) => new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })).format(ts);
}

/** A count in the locale's digits and grouping. */
export function formatCount(count: number): string {
  return cached('count', (locale) => new Intl.NumberFormat(locale)).format(count);
}

/**
 * Picks the form for `count` by the locale's plural rules: English has "one" and "other",
 * Chinese only "other", Arabic six forms (each falls back to `other`). Forms get the count
 * already formatted.
 */
export function plural(count: number, forms: Partial<Record<Intl.LDMLPluralRule, (formatted: string) => string>> & { other: (formatted: string) => string }): string {
  const rule = cached('plural', (locale) => new Intl.PluralRules(locale)).select(count);
  return (forms[rule] ?? forms.other)(formatCount(count));
}

const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A file size for people: "512 bytes", "1.4 MB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const name = units[unit]!;
  const format = cached(name, (locale) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: name === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }),
  );
  return format.format(unit === 0 ? value : Math.round(value * 10) / 10);
}

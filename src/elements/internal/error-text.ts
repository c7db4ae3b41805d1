/**
 * The text an element shows for an error. In English it is the error's own message (what the
 * developer-facing API says); in any other locale it comes from error-texts.ts by the error's
 * `reason`, loaded together with that locale's catalog (locale.ts), so an English page never
 * fetches it and a Chinese one never shows an English sentence.
 */
import { translatedErrorTexts } from './locale.js';

export function errorText(error: unknown): string {
  const texts = translatedErrorTexts();
  if (texts) return texts.describeError(error);
  return error instanceof Error ? error.message : String(error);
}

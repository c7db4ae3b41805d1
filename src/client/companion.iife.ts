/**
 * Companion files of the script-tag build: features only some pages use (the list virtualizer,
 * the image work of sending) are ES modules of their own, fetched from next to rtm-chat.iife.js
 * when first needed (an IIFE cannot split chunks). The script's URL can only be read while the
 * script runs, so it is kept here, once, when the bundle is evaluated (not in a Worker, where
 * there is no document).
 */
export const scriptUrl = (globalThis.document?.currentScript as HTMLScriptElement | null | undefined)?.src;

/** Imports the companion `file`; rejects (an invalid URL) when the script's URL is unknown. */
export async function importCompanion<T>(file: string): Promise<T> {
  return import(/* @vite-ignore */ new URL(file, scriptUrl).href) as Promise<T>;
}

/**
 * Loads @lit/localize's runtime (localize-runtime.ts) with the first locale other than English. A
 * dynamic import, so bundlers put it in a chunk of its own; the script-tag build swaps this module
 * for load-localize-runtime.iife.ts.
 */
export type LocalizeRuntimeModule = typeof import('./localize-runtime.js');

export function importLocalizeRuntime(): Promise<LocalizeRuntimeModule> {
  return import('./localize-runtime.js');
}

/**
 * Loads the user and channel attribute requests (attributes.ts) with the first of them. A dynamic
 * import, so bundlers put them in a chunk of their own; the script-tag build swaps this module for
 * load-attributes.iife.ts.
 */
export type AttributesModule = typeof import('./attributes.js');

export function importAttributes(): Promise<AttributesModule> {
  return import('./attributes.js');
}

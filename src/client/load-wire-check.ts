/**
 * Loads the full check of a wire message (protocol/wire-message.ts) with the first message that
 * needs it: a location or custom message, or one with a reply, mentions or extras. A dynamic
 * import, so bundlers put it in a chunk of its own; the script-tag build swaps this module for
 * load-wire-check.iife.ts.
 */
export type WireCheckModule = typeof import('../protocol/wire-message.js');

export function importWireCheck(): Promise<WireCheckModule> {
  return import('../protocol/wire-message.js');
}

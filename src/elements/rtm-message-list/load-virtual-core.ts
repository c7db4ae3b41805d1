/**
 * Loads the list virtualizer, which only long conversations need. A dynamic import, so bundlers
 * (and the ESM build, where the package stays external) put it in a chunk of its own. The
 * script-tag build cannot split chunks: it swaps this module for load-virtual-core.iife.ts.
 */
export type VirtualCore = typeof import('./virtual-core.js');

export function importVirtualCore(): Promise<VirtualCore> {
  return import('@tanstack/virtual-core');
}

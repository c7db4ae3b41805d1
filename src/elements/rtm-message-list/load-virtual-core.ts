/**
 * Loads the message list's virtualizer (virtual-core.ts), which only long conversations need. A
 * dynamic import, so bundlers (and the ESM build, where @tanstack/virtual-core stays external)
 * put it in a chunk of its own. The script-tag build cannot split chunks: it swaps this module for
 * load-virtual-core.iife.ts.
 */
export type VirtualCore = typeof import('./virtual-core.js');

export function importVirtualCore(): Promise<VirtualCore> {
  return import('./virtual-core.js');
}

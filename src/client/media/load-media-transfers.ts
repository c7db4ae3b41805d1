/**
 * Loads a client's media transfers (media-transfers.ts) on its first media call. A dynamic import,
 * so bundlers put them in a chunk of their own; the script-tag build swaps this module for
 * load-media-transfers.iife.ts.
 */
export type MediaTransfersModule = typeof import('./media-transfers.js');

export function importMediaTransfers(): Promise<MediaTransfersModule> {
  return import('./media-transfers.js');
}

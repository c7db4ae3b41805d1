/**
 * Loads the image work of sending (image-work.ts). A dynamic import, so bundlers (and the ESM
 * build) put it in a chunk of its own; the script-tag build cannot split chunks, so it swaps this
 * module for load-image-work.iife.ts.
 */
export type ImageWork = typeof import('./image-work.js');

export function importImageWork(): Promise<ImageWork> {
  return import('./image-work.js');
}

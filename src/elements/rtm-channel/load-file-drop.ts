/**
 * Loads the conversation's file handling (file-drop.ts) with the first file dragged in or picked.
 * A dynamic import, so bundlers put it in a chunk of its own; the script-tag build swaps this
 * module for load-file-drop.iife.ts.
 */
export type FileDropModule = typeof import('./file-drop.js');

export function importFileDrop(): Promise<FileDropModule> {
  return import('./file-drop.js');
}
